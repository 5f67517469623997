package framework

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// seen is the environment the spec below found while Run ran it.
var seen *Env

var _ = It("finds the environment Run was given", func() {
	e, err := current()
	if err != nil {
		Fail(err.Error())
	}
	seen = e
})

type recordingT struct{ failed bool }

func (t *recordingT) Fail() { t.failed = true }

// TestRunHandsOverTheEnvForOneRun: the specs reach the Env only while Run
// runs them, Run returns Ginkgo's report as a value, and a second Run in the
// process is refused with an error instead of ending the process.
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
	if seen != env {
		t.Errorf("the spec found %p, not the environment Run was given (%p)", seen, env)
	}
	if r == nil || r.SuiteDescription != "framework" || r.PreRunStats.SpecsThatWillRun != 1 || !r.SuiteSucceeded {
		t.Errorf("Run did not return the suite's report: %+v", r)
	}
	if _, err := current(); err == nil {
		t.Error("the environment is still reachable after the run")
	}
	if _, _, err := Run(gt, "framework", env, sc, rc); err == nil {
		t.Error("a second Run in one process was not refused")
	}
}
