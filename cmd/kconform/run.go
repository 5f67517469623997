package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/kconform/kconform/internal/target"
	// The specs register themselves with Ginkgo when imported.
	_ "github.com/kconform/kconform/suites/conformance"
	"github.com/kconform/kconform/suites/framework"
	"github.com/kconform/kconform/suites/runner"
)

func init() { commands["run"] = runCmd }

// Exit codes of `kconform run`.
const (
	runPassed   = 0 // every selected spec passed (skips with reasons allowed)
	runFailed   = 1 // a spec failed, or the run could not start
	runBadUsage = 2 // a flag or variable is wrong; the message names it
)

func runCmd(args []string) int {
	return runSuites(args, os.Getenv, os.Stdout, os.Stderr)
}

// runT is the GinkgoTestingT of a binary: Ginkgo only needs Fail.
type runT struct{ failed bool }

func (t *runT) Fail() { t.failed = true }

// runSuites is `kconform run`: load the configuration, prepare the target
// (the in-process mock when there is none), run the specs with Ginkgo
// configured from the flags, print the summary. Ginkgo's own progress goes
// to the process's stdout.
func runSuites(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	start := time.Now()
	cfg, err := target.Load(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, target.Usage())
		return runPassed
	}
	if err == nil {
		err = runner.CheckSelection(cfg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: bad usage:\n%v\n(kconform run -h lists the flags and variables)\n", err)
		return runBadUsage
	}
	if err := runner.CheckSpecs(); err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return runFailed
	}

	// The deadline covers the whole run: what preparing took (probing a
	// slow target, say) is taken from the specs' share.
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Deadline)
	defer cancel()
	env, stop, err := runner.Prepare(ctx, cfg)
	defer stop()
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return runFailed
	}
	fmt.Fprintln(stdout, runner.Header(env))

	suiteConfig, reporterConfig := runner.GinkgoConfig(cfg)
	suiteConfig.Timeout = cfg.Deadline - time.Since(start)
	if suiteConfig.Timeout <= 0 {
		fmt.Fprintf(stderr, "kconform run: the --deadline of %s ran out before the first spec\n", cfg.Deadline)
		return runFailed
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	t := &runT{}
	passed := ginkgo.RunSpecs(t, runner.SuiteName, suiteConfig, reporterConfig)
	if r := framework.LastReport(); r != nil {
		fmt.Fprintln(stdout, framework.Summary(*r))
	}
	if !passed || t.failed {
		return runFailed
	}
	return runPassed
}
