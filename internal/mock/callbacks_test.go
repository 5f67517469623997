package mock

import (
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
)

func statusUpdateURLs(rc *receiver) map[string]any {
	return map[string]any{"status_update": rc.srv.URL + "/cb?hpp={{session_id}}&secret=s3cr3t"}
}

// hostReporting hosts a new KP session in an HPP session whose status
// updates go to rc.
func (h *harness) hostReporting(rc *receiver) api.SessionCreationResponseV1 {
	h.t.Helper()
	return h.createHPP(h.createKP(kpBody), map[string]any{"merchant_urls": statusUpdateURLs(rc)})
}

func TestStatusCallbacksInOrder(t *testing.T) {
	h := newHarness(t, Options{})
	rc := newReceiver(t, nil)
	hpp := h.hostReporting(rc)
	h.expect(h.openPage(hpp.SessionId), 200)
	h.expect(h.action(hpp.SessionId, "back"), 303)
	h.expect(h.openPage(hpp.SessionId), 200)
	h.expect(h.action(hpp.SessionId, "pay"), 303)

	calls := rc.wait(4)
	want := []api.HppStatus{api.INPROGRESS, api.BACK, api.INPROGRESS, api.COMPLETED}
	ids := map[string]bool{}
	var last time.Time
	for i, c := range calls {
		if c.path != "/cb?hpp="+hpp.SessionId+"&secret=s3cr3t" {
			t.Errorf("call %d went to %q", i, c.path)
		}
		ev := h.statusEvent(c)
		if ev.Session.Status != want[i] || ev.Session.SessionId != hpp.SessionId {
			t.Errorf("call %d: %s, want %s", i, ev.Session.Status, want[i])
		}
		if ids[ev.EventId] {
			t.Errorf("event_id %s reused for another event", ev.EventId)
		}
		ids[ev.EventId] = true
		if ev.Session.UpdatedAt.Before(last) {
			t.Errorf("updated_at went back at call %d", i)
		}
		last = ev.Session.UpdatedAt
	}
	// The COMPLETED event carries what a read shows at that moment.
	final := h.statusEvent(calls[3]).Session
	if final.AuthorizationToken == nil || *final.AuthorizationToken != *h.readHPP(hpp.SessionId).AuthorizationToken {
		t.Errorf("COMPLETED event: %+v", final)
	}
	rc.staysAt(4, 50*time.Millisecond)
}

func TestStatusCallbackOnDisable(t *testing.T) {
	h := newHarness(t, Options{})
	rc := newReceiver(t, nil)
	hpp := h.hostReporting(rc)
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+hpp.SessionId, ""), 204)
	if ev := h.statusEvent(rc.wait(1)[0]); ev.Session.Status != api.DISABLED {
		t.Errorf("event %s", ev.Session.Status)
	}
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+hpp.SessionId, ""), 204) // idempotent: no new event
	rc.staysAt(1, 50*time.Millisecond)
}

func TestStatusCallbackRetriedAfter5xx(t *testing.T) {
	h := newHarness(t, Options{})
	rc := newReceiver(t, func(n int) (int, time.Duration) {
		if n <= 2 {
			return http.StatusServiceUnavailable, 0
		}
		return http.StatusNoContent, 0
	})
	hpp := h.hostReporting(rc)
	h.expect(h.openPage(hpp.SessionId), 200)
	calls := rc.wait(3)
	first := h.statusEvent(calls[0]).EventId
	for i, c := range calls {
		if id := h.statusEvent(c).EventId; id != first {
			t.Errorf("call %d carries event_id %s, want %s", i, id, first)
		}
	}
	if gap := calls[1].at.Sub(calls[0].at); gap < 20*time.Millisecond {
		t.Errorf("retried after %v, want the retry delay (20ms)", gap)
	}
	rc.staysAt(3, 100*time.Millisecond) // delivered on the third
}

func TestStatusCallbackSlowReceiverIsRetried(t *testing.T) {
	h := newHarness(t, Options{CallbackTimeout: 100 * time.Millisecond})
	rc := newReceiver(t, func(n int) (int, time.Duration) {
		if n == 1 {
			return http.StatusOK, 300 * time.Millisecond // answers after the timeout: not delivered
		}
		return http.StatusOK, 0
	})
	hpp := h.hostReporting(rc)
	h.expect(h.openPage(hpp.SessionId), 200)
	calls := rc.wait(2)
	if a, b := h.statusEvent(calls[0]).EventId, h.statusEvent(calls[1]).EventId; a != b {
		t.Errorf("retry changed event_id: %s, %s", a, b)
	}
	rc.staysAt(2, 200*time.Millisecond)
}

func TestStatusCallbackGivesUpAfterFourCalls(t *testing.T) {
	h := newHarness(t, Options{})
	rc := newReceiver(t, func(int) (int, time.Duration) { return http.StatusInternalServerError, 0 })
	hpp := h.hostReporting(rc)
	h.expect(h.openPage(hpp.SessionId), 200)
	h.expect(h.action(hpp.SessionId, "decline"), 303)
	calls := rc.wait(8) // two events, four calls each, the second after the first gave up
	for i, c := range calls {
		want := api.INPROGRESS
		if i >= 4 {
			want = api.FAILED
		}
		if s := h.statusEvent(c).Session.Status; s != want {
			t.Errorf("call %d: %s, want %s", i, s, want)
		}
	}
	rc.staysAt(8, 150*time.Millisecond)
}

func TestAuthorizationCallback(t *testing.T) {
	h := newHarness(t, Options{})
	rc := newReceiver(t, func(n int) (int, time.Duration) {
		if n == 1 {
			return http.StatusBadGateway, 0
		}
		return http.StatusOK, 0
	})
	body := strings.Replace(kpBody, `"locale": "sv-SE"`, `"locale": "sv-SE", "merchant_urls": {"authorization": "`+rc.srv.URL+`/auth?kp={session.id}"}`, 1)
	kpID := h.createKP(body)
	token := h.authorize(kpID)
	calls := rc.wait(2)
	for _, c := range calls {
		res, err := h.v.ValidateCallback("kpAuthorizationCallback", "application/json", c.body, contract.Strict)
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range res.Issues {
			t.Errorf("off-contract authorization callback: %s", is)
		}
		var cb api.AuthorizationCallback
		if err := json.Unmarshal(c.body, &cb); err != nil || cb.AuthorizationToken != token || cb.SessionId != kpID {
			t.Errorf("callback %s (%v)", c.body, err)
		}
		if c.path != "/auth?kp="+kpID {
			t.Errorf("went to %q", c.path)
		}
	}
}

func TestCallbacksOnlyToLoopback(t *testing.T) {
	if err := (&dispatcher{}).checkTarget("http://192.0.2.1/cb"); err == nil {
		t.Error("a non-loopback target was accepted")
	}
	for _, ok := range []string{"http://127.0.0.1:1/cb", "http://localhost/cb", "https://[::1]:8443/x"} {
		if err := (&dispatcher{}).checkTarget(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"ftp://127.0.0.1/x", "/relative", "http://", "://"} {
		if err := (&dispatcher{allowExternal: true}).checkTarget(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := (&dispatcher{allowExternal: true}).checkTarget("https://merchant.example/cb"); err != nil {
		t.Errorf("with AllowExternalCallbacks: %v", err)
	}
	// A name that does not resolve to loopback is refused at dial time too.
	d := newDispatcher(Options{CallbackTimeout: time.Second, Logger: discardLogger()}, &activeFaults{})
	defer d.close()
	if err := d.post(&callbackEvent{target: "http://192.0.2.1:9/cb"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("dial to a non-loopback address: %v", err)
	}
}

func TestCloseStopsCallbackDelivery(t *testing.T) {
	before := runtime.NumGoroutine()
	srv, base := startMock(t, Options{CallbackTimeout: 5 * time.Second, CallbackRetryDelay: time.Hour})
	// A receiver that never answers: delivery is stuck in its first call.
	rc := newReceiver(t, func(int) (int, time.Duration) { return http.StatusOK, time.Minute })
	h := &harness{t: t, srv: srv, base: base, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	for range 5 {
		hpp := h.hostReporting(rc)
		h.expect(h.openPage(hpp.SessionId), 200)
		h.expect(h.action(hpp.SessionId, "pay"), 303)
	}
	rc.wait(5)
	start := time.Now()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	if n := srv.callbacks.pending(); n != 0 {
		t.Errorf("%d sessions still have callback goroutines", n)
	}
	h.client.CloseIdleConnections()
	rc.srv.CloseClientConnections()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
	// After Close, a change queues nothing.
	srv.callbacks.enqueueStatus("x", rc.srv.URL, api.SessionResponseV1{})
	if n := srv.callbacks.pending(); n != 0 {
		t.Errorf("enqueue after Close started delivery")
	}
}
