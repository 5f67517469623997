package suites_test

import (
	"testing"

	"github.com/kconform/kconform/suites/framework"
	"github.com/kconform/kconform/suites/runner"
)

// Every fault of the mock is declared caught by at least one spec
// (framework.Catches), so the fault matrix proves all of them.
func TestEveryMockFaultHasASpecThatCatchesIt(t *testing.T) {
	tree := runner.PreviewSpecs()
	if err := framework.CheckSpecs(tree); err != nil {
		t.Fatal(err)
	}
	if uncaught := framework.UncaughtFaults(tree); len(uncaught) > 0 {
		t.Errorf("no spec declares it catches %q: decorate the spec that fails under it with framework.Catches(mock.Fault…, what its failure says)", uncaught)
	}
}
