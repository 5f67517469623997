package suites_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
	_ "github.com/kconform/kconform/suites/conformance"
	"github.com/kconform/kconform/suites/framework"
	"github.com/kconform/kconform/suites/runner"
)

// TestSuites runs every conformance spec. Without KCONFORM_TARGET it starts
// the built-in mock in this process (what CI runs); with it, the target is
// configured from the KCONFORM_* variables, as `kconform run` is. Spec
// selection and reports use Ginkgo's own flags here
// (-ginkgo.label-filter=..., -ginkgo.junit-report=...); KCONFORM_LABEL_FILTER
// is added to the label filter.
func TestSuites(t *testing.T) {
	cfg, err := target.Load(nil, os.Getenv)
	if err != nil {
		t.Fatalf("invalid configuration (fix the KCONFORM_* variables):\n%v", err)
	}
	if err := runner.CheckSelection(cfg); err != nil {
		t.Fatalf("invalid configuration:\n%v", err)
	}
	if err := runner.CheckSpecs(); err != nil {
		t.Fatal(err)
	}
	env, stop, err := runner.Prepare(context.Background(), cfg)
	defer stop()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(runner.Header(env))

	suiteConfig, reporterConfig := GinkgoConfiguration()
	if suiteConfig.Timeout == time.Hour { // Ginkgo's default: -ginkgo.timeout not given
		suiteConfig.Timeout = cfg.Deadline
	}
	switch {
	case cfg.LabelFilter == "":
	case suiteConfig.LabelFilter == "":
		suiteConfig.LabelFilter = cfg.LabelFilter
	default:
		suiteConfig.LabelFilter = "(" + suiteConfig.LabelFilter + ") && (" + cfg.LabelFilter + ")"
	}
	r, _, err := framework.Run(t, runner.SuiteName, env, suiteConfig, reporterConfig)
	if err != nil {
		t.Fatal(err)
	}
	if r != nil {
		fmt.Println(runreport.New(*r, "", "", "", nil).Summary())
	}
}
