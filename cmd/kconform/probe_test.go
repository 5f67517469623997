package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/brokentarget"
	"github.com/kconform/kconform/internal/labels"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/suites/runner"
)

// TestRunUnreachableTargetEndsInOneLine: a host that does not resolve or
// refuses connections ends the run at once, exit 1, with one line that says
// why (the issue saw 1,600 lines, each cut before the cause).
func TestRunUnreachableTargetEndsInOneLine(t *testing.T) {
	creds := map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "p"}
	for target, want := range map[string]string{
		"http://kconform-no-such-host.invalid": "kconform-no-such-host.invalid does not resolve",
		"http://127.0.0.1:1":                   "127.0.0.1:1 refused the connection",
	} {
		t.Run(target, func(t *testing.T) {
			r := runInProcess(t, creds, "--target", target)
			lines := strings.Count(strings.TrimSpace(runOutput(r.output)), "\n") + 1
			if r.exit != runner.ExitFailed || !strings.Contains(r.output, want) || lines > 25 {
				t.Errorf("exit %d, %d lines, want 1 and at most 25 saying %q:\n%s", r.exit, lines, want, lastOutput(r.output))
			}
			if r.elapsed > 20*time.Second {
				t.Errorf("the run took %s to give up", r.elapsed)
			}
			t.Logf("%s: %d line(s) in %s", target, lines, r.elapsed.Round(time.Millisecond))
		})
	}
}

// TestRunProbeGarbageTargetSaysNoHTTP: a target that answers bytes that
// are no HTTP was reached: the probe says it does not answer HTTP, not
// that it cannot be reached, and never in Go's words.
func TestRunProbeGarbageTargetSaysNoHTTP(t *testing.T) {
	target := brokentarget.Garbage(t)
	r := runInProcess(t, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "p"}, "--target", target)
	want := "the target at " + target + " does not answer HTTP (malformed status line)"
	if r.exit != runner.ExitFailed || !strings.Contains(r.output, want) || strings.Contains(r.output, "cannot reach") || strings.Contains(r.output, "net/http") {
		t.Errorf("exit %d, want 1 and %q:\n%s", r.exit, want, lastOutput(r.output))
	}
}

// prefixedMock serves the built-in mock (user merchant) under /klarna.
func prefixedMock(t *testing.T, password string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/klarna/", http.StripPrefix("/klarna", mockProxy(t, password)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRunWrongPrefixStops: a mock served under /klarna, with the prefix
// left out of --target, is told apart from a broken API.
func TestRunWrongPrefixStops(t *testing.T) {
	const password = "kconform-test-password-prefix"
	base := prefixedMock(t, password)
	r := runInProcess(t, merchant(password), "--target", base)
	want := "no Klarna API at " + base + ": is a path prefix missing?"
	if r.exit != runner.ExitFailed || !strings.Contains(r.output, want) || strings.Count(strings.TrimSpace(runOutput(r.output)), "\n") > 2 {
		t.Errorf("exit %d, want 1 and %q alone:\n%s", r.exit, want, lastOutput(r.output))
	}
}

// TestRunWithThePrefixPasses: the server of TestRunWrongPrefixStops,
// with the prefix in --target, is a faithful target.
func TestRunWithThePrefixPasses(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-prefix"
	base := prefixedMock(t, password)
	r := runChild(t, 2*time.Minute, merchant(password),
		"--target", base+"/klarna", "--label-filter", "kp && lifecycle && !consumer")
	if r.exit != runner.ExitPassed {
		t.Errorf("with the prefix: exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
}

// TestRunUnservedRouteIsAFinding: a mock that answers every DELETE with a
// plain 404 page does not serve disableHppSession and
// cancelAuthorization; the probe says so, the report lists each as a
// finding ahead of the others, and coverage does not count their 404s.
func TestRunUnservedRouteIsAFinding(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-delete"
	target := mockBehind(t, password, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodDelete {
			return false
		}
		http.NotFound(w, r)
		return true
	})
	js := filepath.Join(t.TempDir(), "report.json")
	md := filepath.Join(t.TempDir(), "report.md")
	r := runChild(t, 2*time.Minute, merchant(password),
		"--target", target, "--report-json", js, "--report", md, "--label-filter", labels.Errors)
	wantExit(t, r, runner.ExitFailed, "kconform run")
	rep := readRunReport(t, js)
	var ops []string
	for _, f := range rep.Findings {
		if f.Kind == runreport.KindRoute {
			ops = append(ops, f.Operation)
			if !strings.Contains(f.What, "is not served") || len(f.Broken) == 0 {
				t.Errorf("route finding %+v: want 'is not served' and the rules it breaks", f)
			}
		}
	}
	slices.Sort(ops)
	if !slices.Equal(ops, []string{"cancelAuthorization", "disableHppSession"}) {
		t.Errorf("unserved routes %v, want cancelAuthorization and disableHppSession", ops)
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Kind != runreport.KindRoute {
		t.Errorf("the unserved routes should come first: %+v", rep.Findings)
	}
	b, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	if !strings.Contains(doc, "⚠ route not served: not counted") {
		t.Errorf("coverage counts the 404s of an unserved route")
	}
	// Every HPP session a spec made is disabled by a clean-up, which this
	// target answers with its 404 page: listed apart, and a rule whose own
	// assertions passed is failed-elsewhere for it (Ginkgo failed its
	// spec), never holds, its evidence the clean-up's DELETE.
	heldDespiteCleanup := slices.ContainsFunc(rep.Rules, func(rule runreport.Rule) bool {
		return rule.Verdict == runreport.Holds && len(rule.Cleanup) > 0
	})
	failedInCleanup := slices.ContainsFunc(rep.Rules, func(rule runreport.Rule) bool {
		return rule.Verdict == runreport.FailedElsewhere && rule.Evidence != nil && strings.Contains(rule.Evidence.Exchange, "(disableHppSession)")
	})
	if rep.Counts.CleanupFailures == 0 || heldDespiteCleanup || !failedInCleanup || !strings.Contains(doc, "## Clean-up failures") {
		t.Errorf("want clean-up failures listed apart, their rules failed elsewhere by the DELETE, none holding: %+v", rep.Counts)
	}
	if !strings.Contains(r.output, "is not served") {
		t.Errorf("the run's summary does not name the unserved route:\n%s", lastOutput(r.output))
	}
}

// TestRunRefusedCredentialsStop: a wrong password is not a broken server.
// The probe's valid KP create answered 401 ends the run with one line that
// names the variables to check, exit 1, instead of a report of failures
// (the review saw 2,554 lines and 25 findings with Go's JSON parser error).
func TestRunRefusedCredentialsStop(t *testing.T) {
	target := startMerchantMock(t, "kconform-test-password-right")
	r := runInProcess(t, map[string]string{"KCONFORM_USERNAME": "merchant", "KCONFORM_PASSWORD": "wrong"}, "--target", target)
	const want = "the target refused the credentials (401) for createCreditSession: check KCONFORM_USERNAME / KCONFORM_PASSWORD"
	out := runOutput(r.output)
	if r.exit != runner.ExitFailed || !strings.Contains(out, want) || strings.Count(strings.TrimSpace(out), "\n") > 2 || strings.Contains(out, "invalid character") {
		t.Errorf("exit %d, want 1 and %q alone:\n%s", r.exit, want, lastOutput(r.output))
	}
}

// TestRunWrongPrefixOnTheBuiltInMock: `kconform run --target <mock>/klarna`
// against `kconform mock` stops at the probe (the mock's router answered
// 405 Allow: POST to POST /klarna/payments/v1/sessions, so a full report
// came out instead).
func TestRunWrongPrefixOnTheBuiltInMock(t *testing.T) {
	const password = "kconform-test-password-mockprefix"
	base := startMerchantMock(t, password)
	r := runInProcess(t, merchant(password), "--target", base+"/klarna")
	want := "no Klarna API at " + base + "/klarna: is a path prefix missing?"
	if r.exit != runner.ExitFailed || !strings.Contains(r.output, want) || strings.Count(strings.TrimSpace(runOutput(r.output)), "\n") > 2 {
		t.Errorf("exit %d, want 1 and %q alone:\n%s", r.exit, want, lastOutput(r.output))
	}
}

// TestRunThatEndsBeforeItsSpecsLeavesNoStaleReport: a run stopped by the
// probe (here a target refusing connections; a 401 or an early signal
// ends the same way) writes no output, and the reports an earlier run
// left at those paths are removed, said on stderr, instead of passing for
// this run's (a reviewer's CI read a stale report.md after a failed run).
func TestRunThatEndsBeforeItsSpecsLeavesNoStaleReport(t *testing.T) {
	dir := t.TempDir()
	report, reportJSON := filepath.Join(dir, "report.md"), filepath.Join(dir, "report.json")
	for _, p := range []string{report, reportJSON} {
		must(t, os.WriteFile(p, []byte("an earlier run's report"), 0o644))
	}
	r := runInProcess(t, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "p"},
		"--target", "http://127.0.0.1:1", "--report", report, "--report-json", reportJSON)
	wantExit(t, r, runner.ExitFailed, "a target refusing connections")
	for flag, p := range map[string]string{"--report": report, "--report-json": reportJSON} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s %s, an earlier run's, is still there after a run that wrote none (%v)", flag, p, err)
		}
		if !strings.Contains(r.output, "removed "+flag+" "+p+", left from an earlier run") {
			t.Errorf("the output does not say that %s %s was removed:\n%s", flag, p, lastOutput(r.output))
		}
	}
}
