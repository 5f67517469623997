package framework

import (
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// spec is a report of one It. A skipped spec without a message did not run
// at all (RunTime 0): the filters left it out.
func spec(text string, state types.SpecState, msg string, labels ...string) types.SpecReport {
	r := types.SpecReport{
		LeafNodeType:   types.NodeTypeIt,
		LeafNodeText:   text,
		LeafNodeLabels: labels,
		State:          state,
		Failure:        types.Failure{Message: msg},
	}
	if state != types.SpecStateSkipped || msg != "" {
		r.RunTime = time.Millisecond
	}
	return r
}

func TestCheckSpecs(t *testing.T) {
	ok := types.Report{SpecReports: types.SpecReports{
		spec("MUST a", types.SpecStatePassed, "", HPP, Consumer, Documented, "cites:S1"),
		spec("MUST b", types.SpecStatePassed, "", KP, "Serial", Assumption, "cites:A-not-json"),
	}}
	if err := CheckSpecs(ok); err != nil {
		t.Errorf("valid tree refused: %v", err)
	}
	bad := types.Report{SpecReports: types.SpecReports{
		spec("MUST a", types.SpecStatePassed, "", "hpp", "clok"),
		spec("MUST a", types.SpecStatePassed, ""),
		spec("should b", types.SpecStatePassed, ""),
	}}
	err := CheckSpecs(bad)
	if err == nil {
		t.Fatal("a bad tree must be refused")
	}
	for _, want := range []string{`label "clok" is not in the registry`, `"MUST a" is used twice`, `"should b" does not state a rule with MUST`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestUnknownFilterLabels(t *testing.T) {
	for filter, want := range map[string]string{
		"":                           "",
		"hpp && !consumer":           "",
		"(kp || hpp) && !clock":      "",
		"hpp && clok":                "clok",
		"/call.*/ && expiry":         "",
		"api: containsAny kp":        "",
		"cites: containsAny D-cb":    "",
		"cites: containsAny D-cbb":   "D-cbb",
		"!assumption && recorded":    "",
		"lifecycle, placeholderz, x": "placeholderz x",
	} {
		if got := strings.Join(UnknownFilterLabels(filter), " "); got != want {
			t.Errorf("UnknownFilterLabels(%q) = %q, want %q", filter, got, want)
		}
	}
}

func TestSummaryGroupsByVerdictAndReason(t *testing.T) {
	r := types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 6, SpecsThatWillRun: 5}, SpecReports: types.SpecReports{
		spec("MUST pass", types.SpecStatePassed, ""),
		spec("MUST fail", types.SpecStateFailed, "Unexpected error:\n<*transport.ViolationError | 0xc000>:\ncontract violation: GET x → 200\nviolation: /status"),
		spec("MUST skip 1", types.SpecStateSkipped, "needs the consumer page"),
		spec("MUST skip 2", types.SpecStateSkipped, "needs the consumer page"),
		spec("MUST skip 3", types.SpecStateSkipped, "needs a movable clock"),
		spec("MUST filter", types.SpecStateSkipped, ""),
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}
	s := Summary(r)
	for _, want := range []string{
		"kconform: 5 rules judged on this target: 1 hold, 1 broken, 0 blocked, 3 not checkable; 1 not run",
		"findings (1):",
		"2 × needs the consumer page",
		"1 × needs a movable clock",
		"not-run, by reason:",
		"contract violation: GET x → 200",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "0xc000") || strings.Contains(s, "Unexpected error") || strings.Contains(s, "ViolationError") {
		t.Errorf("summary keeps Gomega's framing or a Go type:\n%s", s)
	}
	if strings.Index(s, "needs the consumer page") > strings.Index(s, "needs a movable clock") {
		t.Errorf("reasons should be sorted by count:\n%s", s)
	}
}

func TestLabelTableListsTheRegistry(t *testing.T) {
	table := LabelTable()
	for _, l := range KnownLabels() {
		if !strings.Contains(table, "`"+l+"`") {
			t.Errorf("label table lacks %s", l)
		}
	}
}

func TestSummaryTellsNotRunApartFromTheTarget(t *testing.T) {
	r := types.Report{
		PreRunStats:                types.PreRunStats{TotalSpecs: 3, SpecsThatWillRun: 3},
		SpecialSuiteFailureReasons: []string{"Interrupted by User"},
		SpecReports: types.SpecReports{
			spec("MUST a", types.SpecStatePassed, ""),
			spec("MUST b", types.SpecStateInterrupted, "interrupted by user"),
			spec("MUST c", types.SpecStateSkipped, ""),
		},
	}
	s := Summary(r)
	for _, want := range []string{"1 rules judged on this target: 1 hold, 0 broken, 0 blocked, 0 not checkable; 2 not run", "not run: the run was interrupted", "Interrupted by User"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
}
