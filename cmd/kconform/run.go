package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/kconform/kconform/internal/har"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/internal/transport"
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
	args, recordPath, recordErr := recordFlag(args)
	cfg, err := target.Load(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, target.Usage())
		fmt.Fprint(stdout, recordUsage)
		return runPassed
	}
	if err == nil {
		err = runner.CheckSelection(cfg)
	}
	if err == nil {
		err = recordErr
	}
	var record *har.File
	if err == nil && recordPath != "" {
		record, err = har.Create(recordPath, har.Creator{Name: "kconform", Version: versionString()})
		if err != nil {
			err = fmt.Errorf("--record %q: %v", recordPath, err)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: bad usage:\n%v\n(kconform run -h lists the flags and variables)\n", err)
		return runBadUsage
	}
	if record != nil {
		// Whatever happens before the end of the specs, the path is left as
		// it was: the capture is renamed into place only once they ran.
		defer record.Abort()
		defer transport.Tap(func(r transport.Record) { recordAPI(record, r) })()
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
	if record != nil {
		// Failed specs too: their traffic is what one wants to look at.
		if err := record.Commit(); err != nil {
			fmt.Fprintf(stderr, "kconform run: --record: %v\n", err)
			return runFailed
		}
		fmt.Fprintf(stdout, "kconform run: recorded %d API exchanges to %s\n", record.Len(), recordPath)
	}
	if !passed || t.failed {
		return runFailed
	}
	return runPassed
}

// recordUsage documents --record, which `kconform run` handles itself.
const recordUsage = `  -record FILE
    	write the run's API exchanges, in the order they completed, to FILE as a HAR 1.2
    	capture that kconform validate reads. Always redacted (Authorization, cookies and
    	URL passwords are replaced). Only the API is recorded: consumer-page, control-plane
    	(/_kconform) and callback traffic is left out, as are requests that got no answer;
    	deliberately invalid requests are kept, marked by the entry comment
    	"deliberately invalid request" (validate reports their request half). The file
    	is written next to FILE and renamed into place once the specs ran, passed or
    	failed; a run stopped earlier leaves FILE as it was
`

// recordFlag takes --record FILE (or -record, =FILE) out of args: the
// target package parses the rest.
func recordFlag(args []string) (rest []string, path string, err error) {
	seen := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "record" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return rest, "", errors.New("--record needs a file name (--record FILE.har)")
			}
			i++
			value = args[i]
		}
		if value == "" {
			return rest, "", errors.New("--record needs a file name (--record FILE.har)")
		}
		if seen {
			return rest, "", fmt.Errorf("--record given twice (%q and %q)", path, value)
		}
		seen, path = true, value
	}
	return rest, path, nil
}

// recordAPI writes one record of the run to the capture when it is an API
// exchange that got an answer. The exchange is redacted again by the
// writer, whatever the transport did.
func recordAPI(f *har.File, r transport.Record) {
	if r.Kind != transport.API || r.Err != nil {
		return
	}
	e := har.Entry{Started: r.Started, Duration: r.Duration, Exchange: r.Exchange}
	if r.Rejection {
		e.Comment = "deliberately invalid request"
	}
	_ = f.Add(e) // the first error comes back from Commit
}
