package runreport

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// ended is a spec that ended in state; a skipped spec without a message
// did not run at all (RunTime 0): the filters left it out.
func ended(leaf string, state types.SpecState, msg string) types.SpecReport {
	s := spec(nil, nil, leaf, state, msg)
	if state == types.SpecStateSkipped && msg == "" {
		s.RunTime = 0
	}
	return s
}

func TestSummaryGroupsByVerdictAndReason(t *testing.T) {
	r := types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 6, SpecsThatWillRun: 5}, SpecReports: types.SpecReports{
		ended("MUST pass", types.SpecStatePassed, ""),
		ended("MUST fail", types.SpecStateFailed, "Unexpected error:\n<*transport.ViolationError | 0xc000>:\ncontract violation: GET x → 200\nviolation: /status"),
		ended("MUST skip 1", types.SpecStateSkipped, "needs the consumer page"),
		ended("MUST skip 2", types.SpecStateSkipped, "needs the consumer page"),
		ended("MUST skip 3", types.SpecStateSkipped, "needs a movable clock"),
		ended("MUST filter", types.SpecStateSkipped, ""),
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}
	s := New(r, "", "", "", nil).Summary()
	summaryHas(t, s,
		"kconform: 5 rules judged on this target: 1 hold, 1 broken, 0 blocked, 3 not checkable; 1 not run",
		"findings (1):",
		"2 × needs the consumer page",
		"1 × needs a movable clock",
		"not-run, by reason:",
		"contract violation: GET x → 200",
	)
	if strings.Contains(s, "0xc000") || strings.Contains(s, "Unexpected error") || strings.Contains(s, "ViolationError") {
		t.Errorf("summary keeps Gomega's framing or a Go type:\n%s", s)
	}
	if strings.Index(s, "needs the consumer page") > strings.Index(s, "needs a movable clock") {
		t.Errorf("reasons should be sorted by count:\n%s", s)
	}
}

func TestSummaryTellsNotRunApartFromTheTarget(t *testing.T) {
	r := interruptedRun(3, 3,
		ended("MUST a", types.SpecStatePassed, ""),
		ended("MUST b", types.SpecStateInterrupted, "interrupted by user"),
		ended("MUST c", types.SpecStateSkipped, ""),
	)
	summaryHas(t, New(r, "", "", "", nil).Summary(),
		"1 rules judged on this target: 1 hold, 0 broken, 0 blocked, 0 not checkable; 2 not run", "not run: the run was interrupted", "Interrupted by User")
}

// interruptedRun is the report of a run the user interrupted: total specs,
// willRun of them selected, specs how they ended.
func interruptedRun(total, willRun int, specs ...types.SpecReport) types.Report {
	return types.Report{
		PreRunStats:                types.PreRunStats{TotalSpecs: total, SpecsThatWillRun: willRun},
		SpecialSuiteFailureReasons: []string{"Interrupted by User"},
		SpecReports:                specs,
	}
}

// summaryHas fails t for each of wants the summary s lacks.
func summaryHas(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
}

// Ginkgo's summary line counts specs by how they ended; kconform's counts
// rules by verdict. The summary says how the two square, so "2 Passed |
// 3 Failed" next to "3 hold, 1 broken" is no contradiction: a spec that
// failed only in its clean-up failed elsewhere (never holds: Ginkgo says
// FAIL), an interrupted one was not run.
func TestSummarySquaresGinkgosSpecCounts(t *testing.T) {
	cleanupOnly := ended("MUST hold despite the clean-up", types.SpecStateFailed, "clean-up: DELETE failed")
	cleanupOnly.ReportEntries = types.ReportEntries{{Name: JudgementEntry, Value: types.WrapEntryValue(Judgement{Verdict: Holds, Cleanup: []string{"DELETE → 500"}})}}
	r := interruptedRun(6, 5,
		ended("MUST a", types.SpecStatePassed, ""),
		ended("MUST b", types.SpecStatePassed, ""),
		ended("MUST c", types.SpecStateFailed, "expected 400, got 200"),
		cleanupOnly,
		ended("MUST d", types.SpecStateInterrupted, "interrupted by user"),
		ended("MUST e", types.SpecStateSkipped, "needs a movable clock"),
		ended("MUST f", types.SpecStatePending, ""),
	)
	rep := New(r, "", "", "", nil)
	if n := rep.CutShort(); n != 1 {
		t.Errorf("CutShort %d, want 1: the interrupted spec, not the pending one", n)
	}
	got := rep.SpecsLine()
	want := "Ginkgo's line above counts the 7 specs by how they ended, kconform's counts their rules (one per spec) by verdict: " +
		"2 Passed = 2 hold; 3 Failed = 1 broken + 1 failed elsewhere + 1 not run; 1 Pending = 1 not run; 1 Skipped = 1 not checkable"
	if got != want {
		t.Errorf("specs line\n got %s\nwant %s", got, want)
	}
	if s := rep.Summary(); !strings.Contains(s, "kconform: 5 rules judged on this target: 2 hold, 1 broken, 1 failed elsewhere, 0 blocked, 1 not checkable; 2 not run\n  ("+want+")") {
		t.Errorf("summary does not follow the verdicts with the specs line:\n%s", s)
	}
	// A report read back from JSON has no spec outcomes: no line, rather
	// than a wrong one.
	for i := range rep.Rules {
		rep.Rules[i].Ended = ""
	}
	if got := rep.SpecsLine(); got != "" {
		t.Errorf("specs line without outcomes: %q", got)
	}
}
