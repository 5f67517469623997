package main

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/labels"
	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/suites/runner"
)

// TestRunAdoptsAnnouncedCallbackTimings: a mock started separately with
// callback timings of its own (not the D-cb defaults a remote run assumes)
// passes the callback specs without matching flags, because the run adopts
// what the capabilities announce. An explicit flag still wins: a wrong one
// makes the "slow receiver" answer before the mock gives up, so the retry
// spec fails — which shows the adopted value is the one that mattered.
func TestRunAdoptsAnnouncedCallbackTimings(t *testing.T) {
	t.Parallel()
	base := startMock(t, mock.Options{ClockControl: true, CallbackTimeout: 700 * time.Millisecond, CallbackRetryDelay: 30 * time.Millisecond})
	creds := map[string]string{"KCONFORM_USERNAME": mock.DefaultUsername, "KCONFORM_PASSWORD": mock.DefaultPassword}

	r := runChild(t, 2*time.Minute, creds, "--target", base, "--label-filter", labels.Callbacks)
	wantExit(t, r, runner.ExitPassed, "without timing flags")
	if want := "timeout 700ms (announced by kconform-mock), retry delay 30ms (announced by kconform-mock)"; !strings.Contains(r.output, want) {
		t.Errorf("the header should say the timings were adopted (%q):\n%s", want, lastOutput(r.output))
	}

	// The failing spec waits out its whole window (Async, 30s remote).
	r = runChild(t, 2*time.Minute, creds, "--target", base, "--label-filter", labels.Callbacks, "--callback-timeout", "100ms")
	const slow = "HPP status callbacks when the receiver does not acknowledge MUST retry a callback the receiver answers too slowly, with the same event_id"
	if _, failed := r.failures()[slow]; r.exit != runner.ExitFailed || !failed {
		t.Errorf("with --callback-timeout 100ms against a mock waiting 700ms: exit %d, failures %v; want exit 1 and %q failed:\n%s",
			r.exit, slices.Sorted(maps.Keys(r.failures())), slow, lastOutput(r.output))
	}
	if !strings.Contains(r.output, "timeout 100ms (--callback-timeout)") {
		t.Errorf("the header should say the flag set the timeout:\n%s", lastOutput(r.output))
	}
}

// startMock serves a mock with opts on loopback until the test ends and
// returns its base URL.
func startMock(t *testing.T, opts mock.Options) string {
	t.Helper()
	srv, err := mock.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return base
}

// TestRunAheadFailureFailsTheAdoptingSpecs: the retry specs' sessions are
// set up ahead (a BeforeAll), so their waits overlap. When that set-up
// breaks (the mock answers HPP create with the wrong status), each retry
// spec still runs and fails with the set-up's message, as it did when it
// made the calls itself: none is left skipped, which would read as "not
// checkable" instead of "broken".
func TestRunAheadFailureFailsTheAdoptingSpecs(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, nil, "--mock-faults", "hpp-create-wrong-status", "--label-filter", labels.Callbacks)
	failures := r.failures()
	for _, spec := range []string{
		"HPP status callbacks when the receiver does not acknowledge MUST retry a callback answered 500 with the same event_id, 4 calls at most",
		"HPP status callbacks when the receiver does not acknowledge MUST retry a callback the receiver answers too slowly, with the same event_id",
	} {
		if msg, ok := failures[spec]; !ok || !strings.Contains(msg, "Expected HTTP status 201, the target answered 200") {
			t.Errorf("%q should fail with the set-up's message; failures: %v\n%s", spec, slices.Sorted(maps.Keys(failures)), lastOutput(r.output))
		}
	}
	if r.exit != runner.ExitFailed {
		t.Errorf("exit %d, want 1", r.exit)
	}
}
