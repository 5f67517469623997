package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/suites/runner"
)

// TestRunSplitBaseURLs: a mock that serves KP and HPP on different base
// URLs is tested as it is, with --kp-target and --hpp-target (or their
// variables), without a router in front.
func TestRunSplitBaseURLs(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-split"
	proxy := mockProxy(t, password)
	// Each front serves everything but the other API.
	kp, hpp := front(t, proxy, "/hpp/"), front(t, proxy, "/payments/")
	creds := merchant(password)

	r := runChild(t, 2*time.Minute, creds, "--kp-target", kp.URL, "--hpp-target", hpp.URL, "--label-filter", "lifecycle || distribution")
	wantExit(t, r, runner.ExitPassed, "kconform run")
	t.Logf("split run:\n%s", lastOutput(r.output))
	for _, want := range []string{"KP base URL:  " + kp.URL, "HPP base URL: " + hpp.URL, "0 broken, 0 blocked"} {
		if !strings.Contains(r.output, want) {
			t.Errorf("the header lacks %q", want)
		}
	}

	// --target names one API's base; the variable overrides the other.
	env := map[string]string{"KCONFORM_HPP_TARGET": hpp.URL}
	for k, v := range creds {
		env[k] = v
	}
	r = runChild(t, 2*time.Minute, env, "--target", kp.URL, "--label-filter", "hpp && lifecycle")
	if r.exit != runner.ExitPassed {
		t.Errorf("--target with KCONFORM_HPP_TARGET: exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
	// Without the override the HPP API is not at --target: the probe says
	// its routes are not served, and the run fails.
	r = runChild(t, 2*time.Minute, creds, "--target", kp.URL, "--label-filter", "hpp && lifecycle")
	if r.exit != runner.ExitFailed || !strings.Contains(r.output, "is not served") {
		t.Errorf("without --hpp-target: exit %d, want 1 naming the unserved HPP routes:\n%s", r.exit, lastOutput(r.output))
	}

	var stderr bytes.Buffer
	if code := runSuites([]string{"--hpp-target", hpp.URL}, func(k string) string { return creds[k] }, &stderr, &stderr); code != runner.ExitBadUsage ||
		!strings.Contains(stderr.String(), "give both, or --target") {
		t.Errorf("--hpp-target alone: exit %d, want 2 saying what is missing:\n%s", code, stderr.String())
	}
}
