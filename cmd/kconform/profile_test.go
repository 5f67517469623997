package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/profile"
	"github.com/kconform/kconform/suites/runner"
)

// hookServer is a loopback target with test hooks of its own, and none of
// kconform's: /_kconform/ answers 404 and the page's form actions are not
// served. Its API is the built-in mock's; its hooks (testdata/hooks-profile.yaml)
// open the page, act on it and read and move the clock:
//
//	POST /testhooks/sessions/{id}/open           → {"status": <page status>}
//	POST /testhooks/sessions/{id}/{action}       → {"next_url": ...} (Basic credentials)
//	GET  /testhooks/time                         → {"current_time": ...}
//	POST /testhooks/time/travel {"seconds": n}   → {"current_time": ...}
//
// defect breaks one rule: "clock" makes travel report the new time without
// moving the sessions' clock (nothing expires); "redirect" sends the
// consumer to the merchant URL without its query.
func hookServer(t *testing.T, password, defect string) string {
	t.Helper()
	backend := startMerchantMock(t, password)
	u, _ := url.Parse(backend)
	proxy := httputil.NewSingleHostReverseProxy(u)
	// skew is what the lying clock pretends to have added; handlers run
	// concurrently, so it is atomic.
	var skew atomic.Int64
	call := func(method, path, body string) (int, http.Header, []byte) {
		req, _ := http.NewRequest(method, backend+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Accept", "text/html")
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			return http.StatusBadGateway, nil, []byte(err.Error())
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b
	}
	reply := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	now := func(w http.ResponseWriter, method, path, body string) {
		status, _, answer := call(method, path, body)
		var c struct {
			Now time.Time `json:"now"`
		}
		if status != http.StatusOK || json.Unmarshal(answer, &c) != nil {
			reply(w, http.StatusBadGateway, map[string]string{"error": string(answer)})
			return
		}
		reply(w, http.StatusOK, map[string]string{"current_time": c.Now.Add(time.Duration(skew.Load())).Format(time.RFC3339Nano)})
	}
	var srv *httptest.Server
	// Unstarted, so that srv is set before any handler (which reads it) runs.
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		switch {
		case strings.HasPrefix(path, "/_kconform/"):
			http.NotFound(w, r)
		case r.Method == http.MethodPost && strings.HasPrefix(path, "/pay/"):
			http.NotFound(w, r) // no form protocol here
		case path == "/testhooks/time" && r.Method == http.MethodGet:
			now(w, http.MethodGet, "/_kconform/clock", "")
		case path == "/testhooks/time/travel" && r.Method == http.MethodPost:
			var in struct {
				Seconds int64 `json:"seconds"`
			}
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Seconds <= 0 {
				reply(w, http.StatusBadRequest, map[string]string{"error": "seconds: a positive integer"})
				return
			}
			by := time.Duration(in.Seconds) * time.Second
			if defect == "clock" {
				skew.Add(int64(by))
				now(w, http.MethodGet, "/_kconform/clock", "")
				return
			}
			now(w, http.MethodPost, "/_kconform/clock/advance", fmt.Sprintf(`{"by": %q}`, by.String()))
		case strings.HasPrefix(path, "/testhooks/sessions/") && r.Method == http.MethodPost:
			id, action, _ := strings.Cut(strings.TrimPrefix(path, "/testhooks/sessions/"), "/")
			if action == "open" {
				status, _, _ := call(http.MethodGet, "/pay/"+id, "")
				reply(w, status, map[string]int{"status": status})
				return
			}
			if user, pw, ok := r.BasicAuth(); !ok || user != "merchant" || pw != password {
				reply(w, http.StatusUnauthorized, map[string]string{"error": "credentials"})
				return
			}
			status, h, body := call(http.MethodPost, "/pay/"+id+"/"+action, "")
			if status != http.StatusSeeOther {
				reply(w, status, map[string]string{"error": string(body)})
				return
			}
			next := h.Get("Location")
			// The backend's own pages are this server's.
			next = strings.Replace(next, backend, srv.URL, 1)
			if defect == "redirect" {
				next, _, _ = strings.Cut(next, "?")
			}
			reply(w, http.StatusOK, map[string]string{"next_url": next})
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestProfileDrivesATargetWithItsOwnHooks: through a profile, the consumer
// and clock specs run against a target that has no /_kconform/ and pass;
// with a defect in that target, the spec of the broken rule fails.
func TestProfileDrivesATargetWithItsOwnHooks(t *testing.T) {
	t.Parallel()
	const password = "s3cret-kconform-hooks"
	env := merchant(password)
	prof, _ := filepath.Abs("testdata/hooks-profile.yaml")
	args := func(target string) []string {
		return []string{"--target", target, "--profile", prof, "--label-filter", "consumer || clock",
			"--request-timeout", "5s", "--deadline", "90s", "--callback-timeout", "200ms", "--callback-retry-delay", "50ms", "-v"}
	}

	good := runChild(t, 2*time.Minute, env, args(hookServer(t, password, ""))...)
	wantExit(t, good, runner.ExitPassed, "through the profile")
	for _, bad := range []string{"needs the consumer page", "needs a movable clock", "needs the consumer action"} {
		if strings.Contains(good.output, bad) {
			t.Errorf("through the profile, specs were still not checkable (%q):\n%s", bad, lastOutput(good.output))
		}
	}
	var ran int
	for _, rep := range good.report {
		ran += rep.PreRunStats.SpecsThatWillRun
	}
	t.Logf("%d consumer and clock specs ran through the profile in %s", ran, good.elapsed.Round(time.Millisecond))

	for defect, want := range map[string]struct{ spec, needle string }{
		"clock":    {"MUST refuse the consumer on the page of an expired HPP session", "the page of an expired session MUST refuse the consumer"},
		"redirect": {"MUST fill only {{session_id}} in the back URL", "in the back URL in mode NONE"},
	} {
		r := runChild(t, 2*time.Minute, env, args(hookServer(t, password, defect))...)
		if r.exit != runner.ExitFailed {
			t.Errorf("defect %s: exit %d, want 1:\n%s", defect, r.exit, lastOutput(r.output))
			continue
		}
		found := false
		for name, msg := range r.failures() {
			found = found || (strings.HasSuffix(name, want.spec) && strings.Contains(msg, want.needle))
		}
		if !found {
			t.Errorf("defect %s: %q did not fail saying %q; failures: %v", defect, want.spec, want.needle, r.failures())
		}
	}
}

// TestShippedProfilesLoad: every profile under profiles/ is valid.
func TestShippedProfilesLoad(t *testing.T) {
	files, _ := filepath.Glob("../../profiles/*.yaml")
	files = append(files, "testdata/hooks-profile.yaml")
	if len(files) < 4 {
		t.Fatalf("expected the shipped profiles, found %v", files)
	}
	for _, f := range files {
		if _, err := profile.Load(f); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// TestShippedMockProfileDrivesTheMock: profiles/kconform-mock-http.yaml,
// the worked example of the format, runs every consumer and clock spec
// against the built-in mock.
func TestShippedMockProfileDrivesTheMock(t *testing.T) {
	t.Parallel()
	prof, _ := filepath.Abs("../../profiles/kconform-mock-http.yaml")
	r := runChild(t, 2*time.Minute, nil, "--profile", prof, "--label-filter", "consumer || clock", "-v")
	if r.exit != runner.ExitPassed || !strings.Contains(r.output, "profile:      "+prof) {
		t.Fatalf("exit %d, want 0 with the profile in the header:\n%s", r.exit, lastOutput(r.output))
	}
}
