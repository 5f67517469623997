package mock

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega/gbytes"
)

// TestCallbacksNeverReachTheControlPlane: a merchant URL aimed at the
// mock's own POST /_kconform/reset, under any name of the mock and with
// path tricks, is not called, so a status change (HPP) or an authorization
// (KP) cannot wipe every session.
func TestCallbacksNeverReachTheControlPlane(t *testing.T) {
	logs := gbytes.NewBuffer()
	h := newHarness(t, Options{ClockControl: true, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	u, _ := url.Parse(h.base)
	port := u.Port()
	targets := []string{
		h.base + "/_kconform/reset",
		"http://localhost:" + port + "/_kconform/reset",
		"http://[::1]:" + port + "/_kconform/reset",
		h.base + "//_kconform/reset",
		h.base + "/./_kconform/reset",
		h.base + "/cb/../_kconform/reset",
		h.base + "/%5Fkconform/reset",
		h.base + "/%255Fkconform/reset",
		h.base + "/_KCONFORM/reset",
	}
	var hppIDs []string
	for _, target := range targets {
		s := h.createHPP(h.createKP(kpBody), map[string]any{"merchant_urls": map[string]any{"status_update": target}})
		h.expect(h.openPage(s.SessionId), 200) // WAITING → IN_PROGRESS: a callback is due
		hppIDs = append(hppIDs, s.SessionId)
	}
	kpAuth := strings.Replace(kpBody, `"locale": "sv-SE"`, `"locale": "sv-SE", "merchant_urls": {"authorization": "`+h.base+`/%5Fkconform/reset"}`, 1)
	kpID := h.createKP(kpAuth)
	h.authorize(kpID)

	deadline := time.Now().Add(10 * time.Second)
	for h.srv.callbacks.pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for i, id := range hppIDs {
		if r := h.do("GET", "/hpp/v1/sessions/"+id, ""); r.status != 200 {
			t.Errorf("the session of callback %q is gone after its callback (status %d): the control plane was called", targets[i], r.status)
		}
	}
	if r := h.do("GET", "/payments/v1/sessions/"+kpID, ""); r.status != 200 {
		t.Errorf("the KP session is gone after its authorization callback (status %d)", r.status)
	}
	if n := strings.Count(string(logs.Contents()), "control-plane path"); n < len(targets)+1 {
		t.Errorf("%d refusals logged, want %d:\n%s", n, len(targets)+1, string(logs.Contents()))
	}
}

func TestIsControlPath(t *testing.T) {
	parsed := func(raw string) bool {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return isControlPath(u)
	}
	eachCase(t, "isControlPath", parsed, map[string]bool{
		"http://127.0.0.1:1/_kconform/reset":     true,
		"http://127.0.0.1:1/_kconform":           true,
		"http://h//_kconform/reset":              true,
		"http://h/a/..//_kconform/faults":        true,
		"http://h/%2F_kconform/reset":            true,
		"http://h/%5c_kconform/reset":            true,
		"http://h/_Kconform/clock/advance?x=1":   true,
		"http://h/cb/_kconform/reset":            false,
		"http://h/_kconformx/reset":              false,
		"http://h/cb?next=/_kconform/reset":      false,
		"http://h/cb/hpp?session={{session_id}}": false,
	})
}
