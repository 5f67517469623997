package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/suites/runner"
)

// With --payment-provider kco every HPP session hosts a KCO order (issue 16).

var kcoArgs = []string{"--payment-provider", "kco"}

// TestRunBuiltInMockKCO: every spec passes with kco against the mock; the
// only rules not checked are the hosted-KP ones, skipped with their reason.
func TestRunBuiltInMockKCO(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, nil, kcoArgs...)
	wantExit(t, r, runner.ExitPassed, "kconform run")
	if !strings.Contains(r.output, " hold, 0 broken, 0 blocked, ") {
		t.Errorf("the summary should say no rule is broken or blocked:\n%s", lastOutput(r.output))
	}
	if !strings.Contains(r.output, "× only with --payment-provider kp: the rule is about a hosted KP session") {
		t.Errorf("the hosted-KP rules should be skipped with their reason:\n%s", lastOutput(r.output))
	}
	if strings.Contains(r.output, "× only with --payment-provider kco") {
		t.Errorf("no KCO rule may be skipped in a kco run:\n%s", lastOutput(r.output))
	}
}

// TestFaultMatrixKCO proves a kco run catches every mock fault that
// concerns it, as the specs declare it: the faults with a declaration for
// either provider or for kco. The others break rules of a hosted KP session
// (its authorization token, its status, orders placed with the token),
// whose specs are skipped with kco.
func TestFaultMatrixKCO(t *testing.T) {
	runs := faultRuns(t, target.ProviderKCO)
	var blind []string
	for _, f := range mock.Faults() {
		if !slices.ContainsFunc(runs, func(fr faultRun) bool { return fr.fault == f }) {
			blind = append(blind, f.String())
		}
	}
	t.Logf("faults only a kp run sees: %s", strings.Join(blind, ", "))
	proveFaults(t, runs)
}

// TestRunSplitBaseURLsKCO: with --hpp-target, KCO orders are created and
// named on the HPP API's domain (Kustom serves both there), not on the KP
// one: the KP front here refuses both /hpp/ and /checkout/.
func TestRunSplitBaseURLsKCO(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-split-kco"
	proxy := mockProxy(t, password)
	kp, hpp := front(t, proxy, "/hpp/", "/checkout/"), front(t, proxy, "/payments/")
	creds := merchant(password)
	r := runChild(t, 2*time.Minute, creds, append([]string{"--kp-target", kp.URL, "--hpp-target", hpp.URL, "--label-filter", "hpp && lifecycle"}, kcoArgs...)...)
	wantExit(t, r, runner.ExitPassed, "kconform run")
}

// TestRunKustomLikeTarget is the README's Kustom command against a mock
// that, like Kustom, serves no KP API: with kco and `hpp && !kp` every
// selected spec passes. Callbacks are left out for time only: a separate
// mock process keeps Klarna's real retry timings (3 s, 4 calls).
func TestRunKustomLikeTarget(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-kustom-like"
	kustom := front(t, mockProxy(t, password), "/payments/")
	creds := merchant(password)
	creds["KCONFORM_LABEL_FILTER"] = "hpp && !kp && !callbacks"
	r := runChild(t, 2*time.Minute, creds, append([]string{"--target", kustom.URL}, kcoArgs...)...)
	wantExit(t, r, runner.ExitPassed, "kconform run")
	if !strings.Contains(r.output, " hold, 0 broken, 0 blocked, ") {
		t.Errorf("no rule may be broken or blocked:\n%s", lastOutput(r.output))
	}
}
