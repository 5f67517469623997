package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/labels"
	"github.com/kconform/kconform/suites/runner"
)

// hopTarget is the built-in mock behind a proxy that sends the consumer
// through one more redirect of its own after every consumer action (as a
// real hosted page does, through its own pages) and that may hide the
// control plane. With dropQuery, that extra hop loses the merchant URL's
// query: the first Location is right, the page the browser arrives at is
// not.
func hopTarget(t *testing.T, password string, hideControl, dropQuery bool) string {
	t.Helper()
	proxy := mockProxy(t, password)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Method == http.MethodPost && strings.HasPrefix(resp.Request.URL.Path, "/pay/") && resp.StatusCode == http.StatusSeeOther {
			resp.Header.Set("Location", "/hop?to="+url.QueryEscape(resp.Header.Get("Location")))
		}
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/hop":
			to := r.URL.Query().Get("to")
			if dropQuery {
				to, _, _ = strings.Cut(to, "?")
			}
			http.Redirect(w, r, to, http.StatusFound)
		case hideControl && strings.HasPrefix(r.URL.Path, "/_kconform/"):
			http.NotFound(w, r)
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestPlaceholdersJudgeWhereTheBrowserArrives: the placeholder specs pass
// against a page that reaches the merchant URL through redirects of its
// own, and fail when a later redirect breaks the URL although the first
// Location was right: they judge the arrival at the return receiver.
func TestPlaceholdersJudgeWhereTheBrowserArrives(t *testing.T) {
	t.Parallel()
	const password = "s3cret-kconform-hop"
	env := merchant(password)
	args := []string{"--label-filter", labels.Placeholders, "--request-timeout", "5s", "--deadline", "60s"}

	good := runChild(t, 90*time.Second, env, append(args, "--target", hopTarget(t, password, false, false))...)
	wantExit(t, good, runner.ExitPassed, "through an extra redirect")
	bad := runChild(t, 90*time.Second, env, append(args, "--target", hopTarget(t, password, false, true))...)
	wantExit(t, bad, runner.ExitFailed, "an extra redirect that drops the query")
	msg, ok := bad.failures()["HPP merchant URL placeholders when the consumer is sent back to the merchant MUST fill only {{session_id}} in the back URL"]
	// Which placeholder it names first depends on map order; each is lost.
	if !ok || !strings.Contains(msg, "in the back URL in mode NONE") {
		t.Errorf("the back-URL spec should fail naming a placeholder of the back URL; failures: %v", bad.failures())
	}
}

// TestConsumerFlag: against a target that announces no consumer page, the
// consumer specs are not checkable and their reason names --consumer
// http; with --consumer http they run (and pass); with --consumer none
// they are not checkable against the built-in mock too.
func TestConsumerFlag(t *testing.T) {
	t.Parallel()
	const password = "s3cret-kconform-flag"
	env := merchant(password)
	hidden := hopTarget(t, password, true, false)
	args := []string{"--label-filter", labels.Placeholders, "--request-timeout", "5s", "--deadline", "60s"}

	skipped := runChild(t, 90*time.Second, env, append(args, "--target", hidden)...)
	if skipped.exit != runner.ExitPassed || !strings.Contains(skipped.output, "pass --consumer http") {
		t.Errorf("without a driver: exit %d, and the not-checkable reason should name --consumer http:\n%s", skipped.exit, lastOutput(skipped.output))
	}
	driven := runChild(t, 90*time.Second, env, append(args, "--target", hidden, "--consumer", "http", "-v")...)
	if driven.exit != runner.ExitPassed || strings.Contains(driven.output, "needs the consumer page") || !strings.Contains(driven.output, "consumer:     http") {
		t.Errorf("with --consumer http: exit %d, want the consumer specs run and pass:\n%s", driven.exit, lastOutput(driven.output))
	}
	none := runChild(t, 90*time.Second, nil, "--label-filter", labels.Placeholders, "--consumer", "none")
	if none.exit != runner.ExitPassed || !strings.Contains(none.output, "--consumer none was given") {
		t.Errorf("with --consumer none: exit %d, want not-checkable naming the flag:\n%s", none.exit, lastOutput(none.output))
	}
}
