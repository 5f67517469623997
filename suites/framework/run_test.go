package framework

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// seen is the environment the spec below found each time Run ran it.
var seen []*Env

var _ = Group("framework", func() {
	It("finds the environment Run was given", func() {
		e, err := current()
		if err != nil {
			Fail(err.Error())
		}
		seen = append(seen, e)
	})
})

type recordingT struct{ failed bool }

func (t *recordingT) Fail() { t.failed = true }

// TestRunHandsOverTheEnvForOneRun: the specs reach the Env only while Run
// runs them, Run returns Ginkgo's report as a value, and a second Run in the
// process runs the specs again with its own Env (Ginkgo alone would end the
// process: types.GinkgoErrors.RerunningSuite).
func TestRunHandsOverTheEnvForOneRun(t *testing.T) {
	if _, err := current(); err == nil {
		t.Fatal("an environment is reachable before any run")
	}
	sc, rc := types.NewDefaultSuiteConfig(), types.NewDefaultReporterConfig()
	rc.Succinct = true
	if _, _, err := Run(&recordingT{}, "framework", nil, sc, rc); err == nil {
		t.Fatal("Run without an environment was not refused")
	}
	env := &Env{RunID: "run-test"}
	gt := &recordingT{}
	r, passed, err := Run(gt, "framework", env, sc, rc)
	if err != nil || !passed || gt.failed {
		t.Fatalf("Run: passed %v, failed %v, error %v", passed, gt.failed, err)
	}
	if len(seen) != 1 || seen[0] != env {
		t.Errorf("the spec found %v, not the environment Run was given (%p)", seen, env)
	}
	if r == nil || r.SuiteDescription != "framework" || r.PreRunStats.SpecsThatWillRun != 1 || !r.SuiteSucceeded {
		t.Errorf("Run did not return the suite's report: %+v", r)
	}
	if _, err := current(); err == nil {
		t.Error("the environment is still reachable after the run")
	}
	second := &Env{RunID: "run-test-2"}
	r, passed, err = Run(gt, "framework", second, sc, rc)
	if err != nil || !passed || gt.failed || r == nil || r.PreRunStats.SpecsThatWillRun != 1 {
		t.Fatalf("second Run: passed %v, failed %v, error %v, report %v", passed, gt.failed, err, r)
	}
	if len(seen) != 2 || seen[1] != second {
		t.Errorf("the second run's spec found %v, not its own environment (%p)", seen, second)
	}
}
