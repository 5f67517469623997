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

// TestVerdictsAgreeWithGinkgo: the report never contradicts the console.
// A spec Ginkgo failed ([FAIL]) is broken, blocked or failed-elsewhere in
// the report, never holds; a spec it passed holds. The faults are chosen
// for where their defect is met: error-body-wrong-shape and
// correlation-id-mismatch in the clean-up's DELETE of every HPP session
// (the review saw 23 rules "✅ holds" for [FAIL] specs), hpp-read-missing-field
// in setup steps, callback-missing in callbacks.
func TestVerdictsAgreeWithGinkgo(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{"error-body-wrong-shape", "correlation-id-mismatch", "hpp-read-missing-field", "callback-missing"} {
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
		})
	}
}
