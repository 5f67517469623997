package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/suites/runner"
)

// TestVerdictsAgreeWithGinkgo: the report never contradicts the console,
// and its findings speak the user's terms (checkFindingWords).
// A spec Ginkgo failed ([FAIL]) is broken, blocked or failed-elsewhere in
// the report, never holds; a spec it passed holds. The faults are chosen
// for where their defect is met: error-body-wrong-shape and
// correlation-id-mismatch in the clean-up's DELETE of every HPP session
// (the review saw 23 rules "✅ holds" for [FAIL] specs), hpp-read-missing-field
// in setup steps, callback-missing in callbacks.
func TestVerdictsAgreeWithGinkgo(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{"error-body-wrong-shape", "correlation-id-mismatch", "hpp-read-missing-field", "callback-missing", "callback-event-id-changes", "callback-not-retried", "unauthorized-json", "distribution-unavailable"} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			js := filepath.Join(t.TempDir(), "report.json")
			r := runChild(t, 2*time.Minute, nil, "--mock-faults", fault, "--report-json", js)
			wantExit(t, r, runner.ExitFailed, "kconform run --mock-faults "+fault)
			rep := readRunReport(t, js)
			verdicts := map[string]runreport.Rule{}
			for _, rule := range rep.Rules {
				verdicts[rule.Rule] = rule
			}
			failedElsewhere := 0
			for _, gr := range r.report {
				for _, s := range gr.SpecReports {
					if s.LeafNodeType != types.NodeTypeIt {
						continue
					}
					rule, ok := verdicts[s.FullText()]
					if !ok {
						t.Errorf("Ginkgo ran %q, the report has no rule of that name", s.FullText())
						continue
					}
					if rule.Verdict == runreport.FailedElsewhere {
						failedElsewhere++
					}
					switch {
					case s.State.Is(types.SpecStateFailureStates) && (rule.Verdict == runreport.Holds || rule.Verdict == runreport.NotCheckable):
						t.Errorf("Ginkgo failed %q (%s), the report says %s: %+v", s.FullText(), strings.SplitN(s.Failure.Message, "\n", 2)[0], rule.Verdict, rule.Cleanup)
					case s.State == types.SpecStatePassed && rule.Verdict != runreport.Holds:
						t.Errorf("Ginkgo passed %q, the report says %s: %+v", s.FullText(), rule.Verdict, rule.Evidence)
					}
				}
			}
			t.Logf("%s: %s (%d failed elsewhere)", fault, rep.Counts.Headline(), failedElsewhere)
			checkFindingWords(t, fault, rep.Findings)
		})
	}
}

// goInternals are what a finding's title must never show: Go values and
// types (a struct dump "{ At: ...", "<string>"), Gomega's matcher words, an
// empty value in Go's spelling, a Consistently's timing.
var goInternals = []string{"{ ", "<string>", "<int>", "Expected:", "matching", "got nil", "got []", "Failed after", "0xc0"}

// wantFindings are, per fault, the findings the review saw in other terms
// than the user's: the operation each must be filed under, and how many
// findings that operation may have (one defect, one finding).
var wantFindings = map[string]struct {
	operation string
	n         int
}{
	"callback-missing":          {"hppStatusUpdateCallback", 1},
	"callback-event-id-changes": {"hppStatusUpdateCallback", 1},
	"callback-not-retried":      {"hppStatusUpdateCallback", 2}, // not retried after a 500, nor after a slow answer
	"unauthorized-json":         {"createCreditSession", 1},
	"distribution-unavailable":  {"distributeHppSession", 1}, // 503 to email, sms and token alike
}

// checkFindingWords: every finding's title speaks the user's terms, and
// the faults the review named are filed under the operation at fault, once.
func checkFindingWords(t *testing.T, fault string, findings []runreport.Finding) {
	t.Helper()
	for _, f := range findings {
		for _, bad := range goInternals {
			if strings.Contains(f.What, bad) {
				t.Errorf("finding %q shows %q", f.What, bad)
			}
		}
	}
	want, ok := wantFindings[fault]
	if !ok {
		return
	}
	if len(findings) != want.n {
		t.Errorf("%d finding(s), want %d: %+v", len(findings), want.n, findings)
	}
	for _, f := range findings {
		if f.Operation != want.operation || !strings.Contains(f.What, want.operation) {
			t.Errorf("finding %q is filed under %q, want %s named in it", f.What, f.Operation, want.operation)
		}
		if f.Kind == runreport.KindExpectation && !strings.Contains(f.What, "expected") && !strings.Contains(f.What, "sent no callback") {
			t.Errorf("finding %q does not say what was expected", f.What)
		}
	}
}
