package suites_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/suites/runner"
)

// The README's quick start counts the conformance specs; the count follows
// the suites (review fix2 item 3: it said 158, the number that run by
// default, when there are 167).
func TestReadmeCountsTheSpecs(t *testing.T) {
	n := 0 // the specs, not the suite's report nodes
	for _, r := range runner.PreviewSpecs().SpecReports {
		if r.LeafNodeType == types.NodeTypeIt {
			n++
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d conformance specs", n)
	if !containsFolded(string(readme), want) {
		t.Errorf("README.md does not say %q (the suites hold %d specs)", want, n)
	}
}

// containsFolded is strings.Contains with line breaks read as spaces, as
// Markdown reads them.
func containsFolded(s, sub string) bool {
	return strings.Contains(strings.Join(strings.Fields(s), " "), sub)
}
