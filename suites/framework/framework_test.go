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
		spec("MUST a", types.SpecStatePassed, "", HPP, "clok"),
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
	joined := func(filter string) string { return strings.Join(UnknownFilterLabels(filter), " ") }
	expectEach(t, "UnknownFilterLabels", joined, map[string]string{
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
	})
}

func TestLabelTableListsTheRegistry(t *testing.T) {
	table := LabelTable()
	for _, l := range KnownLabels() {
		if !strings.Contains(table, "`"+l+"`") {
			t.Errorf("label table lacks %s", l)
		}
	}
}
