package suites_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/outfile"
	"github.com/kconform/kconform/suites/framework"
	"github.com/kconform/kconform/suites/runner"
)

// docs/evidence.md lists the assumption rules, and why each is one, between
// two markers. The list is made from the specs' citations (framework.Cites),
// so it cannot drift: this test fails when the file's copy differs, and
// -update-readme rewrites it.
var updateReadme = flag.Bool("update-readme", false, "rewrite docs/evidence.md's list of assumption rules from the specs")

const (
	readme           = "../docs/evidence.md" // was README.md's; the flag keeps its name
	assumptionsBegin = "<!-- assumptions: written by `go test ./suites -run TestReadmeListsTheAssumptions -update-readme`; edits here are lost -->"
	assumptionsEnd   = "<!-- /assumptions -->"
)

func TestReadmeListsTheAssumptions(t *testing.T) {
	tree := runner.PreviewSpecs()
	if err := framework.CheckSpecs(tree); err != nil {
		t.Fatal(err)
	}
	list := framework.AssumptionList(tree)
	if !strings.Contains(list, "MUST") {
		t.Fatalf("no spec cites an assumption; the list would be empty:\n%s", list)
	}
	t.Log(strings.SplitN(list, "\n", 2)[0])
	doc, err := os.ReadFile(readme)
	if err != nil {
		t.Fatalf("docs/evidence.md: %v", err)
	}
	if *updateReadme {
		updated, err := withAssumptions(doc, list)
		if err != nil {
			t.Fatal(err)
		}
		if err := outfile.WriteFile(readme, updated); err != nil {
			t.Fatalf("docs/evidence.md: %v", err)
		}
		return
	}
	if err := assumptionsInStep(doc, list); err != nil {
		t.Error(err)
	}
}

// TestReadmeAssumptionsOutOfStep shows the check fails: a README whose list
// lacks a rule, or lists one no spec assumes, is refused.
func TestReadmeAssumptionsOutOfStep(t *testing.T) {
	list := "- `A-x`: why.\n  - Errors MUST a\n  - Errors MUST b\n"
	doc := func(section string) []byte {
		return []byte("# README\n\n" + assumptionsBegin + "\n" + section + assumptionsEnd + "\n")
	}
	if err := assumptionsInStep(doc(list), list); err != nil {
		t.Errorf("a README in step refused: %v", err)
	}
	for name, section := range map[string]string{
		"a rule missing":    "- `A-x`: why.\n  - Errors MUST a\n",
		"a rule too many":   list + "  - Errors MUST c\n",
		"another reason":    strings.Replace(list, "why.", "because.", 1),
		"hand-edited order": "- `A-x`: why.\n  - Errors MUST b\n  - Errors MUST a\n",
	} {
		if err := assumptionsInStep(doc(section), list); err == nil {
			t.Errorf("%s: a README out of step passed", name)
		}
	}
	if err := assumptionsInStep([]byte("# README without markers\n"), list); err == nil || !strings.Contains(err.Error(), "lacks the markers") {
		t.Errorf("a README without the markers: %v", err)
	}
}

// withAssumptions returns doc with list between the markers.
func withAssumptions(doc []byte, list string) ([]byte, error) {
	begin, end := bytes.Index(doc, []byte(assumptionsBegin)), bytes.Index(doc, []byte(assumptionsEnd))
	if begin < 0 || end < begin {
		return nil, fmt.Errorf("docs/evidence.md lacks the markers %q … %q around the list of assumption rules", assumptionsBegin, assumptionsEnd)
	}
	var b bytes.Buffer
	b.Write(doc[:begin+len(assumptionsBegin)])
	b.WriteString("\n" + list)
	b.Write(doc[end:])
	return b.Bytes(), nil
}

// assumptionsInStep says how docs/evidence.md's list differs from list.
func assumptionsInStep(doc []byte, list string) error {
	want, err := withAssumptions(doc, list)
	if err != nil {
		return err
	}
	if bytes.Equal(doc, want) {
		return nil
	}
	begin := bytes.Index(doc, []byte(assumptionsBegin)) + len(assumptionsBegin)
	end := bytes.Index(doc, []byte(assumptionsEnd))
	have := strings.Split(strings.TrimSpace(string(doc[begin:end])), "\n")
	should := strings.Split(strings.TrimSpace(list), "\n")
	var diffs []string
	for _, l := range should {
		if !slices.Contains(have, l) {
			diffs = append(diffs, "missing: "+l)
		}
	}
	for _, l := range have {
		if !slices.Contains(should, l) {
			diffs = append(diffs, "not in the specs: "+l)
		}
	}
	if len(diffs) == 0 {
		diffs = append(diffs, "same lines, other order or spacing")
	}
	return fmt.Errorf("docs/evidence.md's list of assumption rules is out of step with the specs' citations (run `go test ./suites -run TestReadmeListsTheAssumptions -update-readme`):\n  %s", strings.Join(diffs, "\n  "))
}
