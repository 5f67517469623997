package framework

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/groundtruth"
)

func TestCitesGivesTheClass(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want []string
	}{
		{[]string{"S1", "D-track"}, []string{Documented, "cites:S1", "cites:D-track"}},
		{[]string{"S2", "REC-saleor"}, []string{Recorded, "cites:S2", "cites:REC-saleor"}},
		{[]string{"A-not-json"}, []string{Assumption, "cites:A-not-json"}},
		// No class for what CheckSpecs refuses.
		{[]string{"S1", "A-not-json"}, []string{"cites:S1", "cites:A-not-json"}},
		{[]string{"D-nowhere"}, []string{"cites:D-nowhere"}},
	} {
		if got := []string(Cites(c.ids...)); !slices.Equal(got, c.want) {
			t.Errorf("Cites(%v) = %v, want %v", c.ids, got, c.want)
		}
	}
}

// TestCheckSpecsRefusesMissingOrWrongEvidence shows the start-up check
// fails for every way a spec can get its evidence wrong.
func TestCheckSpecsRefusesMissingOrWrongEvidence(t *testing.T) {
	sources["A-silent"] = source{class: Assumption}
	sources["D-blank"] = source{class: Documented, what: " "}
	defer delete(sources, "A-silent")
	defer delete(sources, "D-blank")
	for name, c := range map[string]struct {
		labels []string
		want   string
	}{
		"no class":                        {[]string{HPP}, "cites no evidence"},
		"documented, citing nothing":      {[]string{HPP, Documented}, "cites no evidence"},
		"assumption label, no reason":     {[]string{KP, Assumption}, "cites no evidence"},
		"assumption without a reason":     {Cites("A-silent"), `assumption "A-silent", which gives no reason`},
		"document naming nothing":         {Cites("D-blank"), `"D-blank", which names no document or recording`},
		"unknown id":                      {Cites("D-nowhere"), `"D-nowhere", which is not in the evidence registry`},
		"assumption mixed with a source":  {Cites("S1", "A-not-json"), "an assumption and a source together"},
		"hand-written assumption label":   {append(Cites("S1"), Assumption), "labelled documented, assumption but its citations make it documented"},
		"recorded spec labelled as a doc": {append(Cites("REC-saleor"), Documented), "its citations make it recorded"},
		"hand-written citation label":     {[]string{"cites:S1"}, "citations but no class"},
	} {
		r := types.Report{SpecReports: types.SpecReports{spec("MUST x", types.SpecStatePassed, "", c.labels...)}}
		err := CheckSpecs(r)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want an error containing %q, got %v", name, c.want, err)
		}
	}
}

func TestAssumptionListNamesEachAssumptionWithItsRules(t *testing.T) {
	r := types.Report{SpecReports: types.SpecReports{
		spec("MUST a", types.SpecStatePassed, "", Cites("S1")...),
		spec("MUST b", types.SpecStatePassed, "", Cites("A-not-json")...),
		spec("MUST c", types.SpecStatePassed, "", Cites("A-not-json")...),
		spec("MUST d", types.SpecStatePassed, "", Cites("REC-saleor")...),
	}}
	want := "4 specs: 1 documented, 1 recorded, 2 assumptions.\n\n" +
		"- `A-not-json`: " + sources["A-not-json"].what + "\n  - MUST b\n  - MUST c\n"
	if got := AssumptionList(r); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestEvidenceRegistry checks each entry against the shared ground truth:
// a recording is a file in shared/recordings, a document id is one the
// reference names, an assumption says why.
func TestEvidenceRegistry(t *testing.T) {
	shared, _ := groundtruth.Locate()
	reference, refErr := os.ReadFile(filepath.Join(shared, "reference", "klarna-api.md"))
	for _, id := range sourceIDs() {
		s := sources[id]
		if strings.TrimSpace(s.what) == "" {
			t.Errorf("%s (%s) is empty: a document or recording names where it is, an assumption why it is one", id, s.class)
		}
		if !slices.Contains(classLabels, s.class) {
			t.Errorf("%s: class %q is not one of %v", id, s.class, classLabels)
		}
		if strings.ContainsAny(id, "&|!,()/: ") {
			t.Errorf("%s: an id must be usable in a label", id)
		}
		switch {
		case refErr != nil:
		case s.class == Recorded:
			for _, file := range strings.Fields(s.what) {
				if _, err := os.Stat(filepath.Join(shared, "recordings", file)); err != nil {
					t.Errorf("%s: %v", id, err)
				}
			}
		case s.class == Documented && strings.HasPrefix(id, "N-"):
			if !strings.Contains(s.what, "docs.klarna.com/") && !strings.Contains(s.what, "docs.kustom.co/") && !strings.Contains(s.what, "github.com/") {
				t.Errorf("%s names no public address (docs.klarna.com/, docs.kustom.co/ or github.com/): %s", id, s.what)
			}
		case s.class == Documented && !strings.HasPrefix(id, "K-"):
			if !strings.Contains(string(reference), "| "+id+" |") && !strings.Contains(string(reference), "/ "+id+" ") {
				t.Errorf("%s is not a source id of reference/klarna-api.md §0", id)
			}
		}
	}
	if refErr != nil {
		groundtruth.Path(t, "reference", "klarna-api.md") // skips, or fails in CI, naming it
		t.Errorf("the shared reference: %v", refErr)
	}
}
