package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"golang.org/x/term"

	"github.com/kconform/kconform/internal/cli"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/har"
	"github.com/kconform/kconform/internal/parallel"
	"github.com/kconform/kconform/internal/runreport"
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
	runPassed      = 0   // every selected spec passed (skips with reasons allowed)
	runFailed      = 1   // a spec failed, or the run could not start
	runBadUsage    = 2   // a flag or variable is wrong; the message names it
	runInterrupted = 130 // SIGINT (Ctrl-C): 128 + the signal's number, as shells report it
	runTerminated  = 143 // SIGTERM
)

// colour reports whether the run may print colour: only to a terminal, and
// never when NO_COLOR is set (https://no-color.org) or --no-color given.
func colour(cfg target.RunConfig, getenv func(string) string, stdout io.Writer) bool {
	if cfg.NoColor || getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := stdout.(*os.File)
	return ok && f == os.Stdout && term.IsTerminal(int(f.Fd()))
}

func runCmd(args []string) int {
	return runSuites(args, os.Getenv, os.Stdout, os.Stderr)
}

// runT is the GinkgoTestingT of a binary: Ginkgo only needs Fail.
type runT struct{ failed bool }

func (t *runT) Fail() { t.failed = true }

// runSuites is `kconform run`: load the configuration, prepare the target
// (the in-process mock when there is none), run the specs with Ginkgo
// configured from the flags, print the summary and write the reports.
// Ginkgo's own progress goes to the process's stdout.
func runSuites(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	start := time.Now()
	cfg, err := target.Load(args, getenv)
	if err == nil {
		err = runner.CheckSelection(cfg)
	}
	if err != nil {
		return cli.Report("run", err, func(w io.Writer) { fmt.Fprint(w, target.Usage()) }, stdout, stderr)
	}
	if err := runner.CheckSpecs(); err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return runFailed
	}

	// Colour is decided on the real stdout: below it is wrapped in the
	// scrubbing writer, which is never a terminal.
	cfg.NoColor = !colour(cfg, getenv, stdout)

	if path := getenv(parallel.EnvShard); path != "" {
		return runShard(start, path, cfg, stdout, stderr)
	}
	if cfg.Procs > 1 {
		if why := parallel.OneProcess(cfg); why != "" {
			cfg.Notes = append(cfg.Notes, "one process: "+why)
		} else if p := planParallel(cfg); len(p.shards) > 1 {
			return runParallel(start, cfg, args, p, stdout, stderr)
		}
	}
	return runSpecs(start, cfg, stdout, stderr, nil)
}

// runSpecs runs the selected specs in this process. A child of a parallel
// run passes its shard, whose result gets what the parent needs besides
// the reports.
func runSpecs(start time.Time, cfg target.RunConfig, stdout, stderr io.Writer, child *shardRun) int {
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
	// From here on everything printed goes through the run's scrubber:
	// whatever the target echoed, the credentials never reach the output.
	scrubbedOut, scrubbedErr := env.Scrubber.Writer(stdout), env.Scrubber.Writer(stderr)
	defer scrubbedErr.Flush()
	defer scrubbedOut.Flush()
	stdout, stderr = scrubbedOut, scrubbedErr
	outputs, err := startOutputs(cfg, env)
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return runFailed
	}
	// Whatever happens before the end of the specs, the paths are left as
	// they were: outputs are renamed into place only once the specs ran.
	defer outputs.abort()
	fmt.Fprintln(stdout, runner.Header(env))
	if child != nil {
		// The header of the run the user asked for, not of this shard.
		whole := *env
		whole.Config = child.user
		child.result.Header, child.result.Unserved = env.Scrubber.String(runner.Header(&whole)), env.Unserved
		if child.shard.Coverage {
			outputs.snapshotTo(child.shard.CoveragePath(), env)
		}
	}

	suiteConfig, reporterConfig := runner.GinkgoConfig(cfg)
	suiteConfig.Timeout = cfg.Deadline - time.Since(start)
	if suiteConfig.Timeout <= 0 {
		fmt.Fprintf(stderr, "kconform run: the --deadline of %s ran out before the first spec\n", cfg.Deadline)
		return runFailed
	}
	// Ginkgo handles SIGINT and SIGTERM itself (it stops the specs and
	// reports); this only notes which came, for the exit code.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	t := &runT{}
	// Ginkgo prints to these two; they are package variables.
	// without the goroutine stacks of Ginkgo's interrupt report
	restore := redirectGinkgo(runner.WithoutStacks(stdout), runner.WithoutStacks(stderr))
	r, passed, err := framework.Run(t, runner.SuiteName, env, suiteConfig, reporterConfig)
	restore()
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return runFailed
	}
	var sig os.Signal
	select {
	case sig = <-signals:
	default:
	}
	return finish(r, passed && !t.failed, sig, env.Scrubber, env.Unserved, outputs, stdout, stderr)
}

// finish ends a run with its report r (nil when Ginkgo produced none):
// the summary, the outputs, and the exit code, which sig (the signal that
// stopped the run, nil for none) and passed decide.
func finish(r *types.Report, passed bool, sig os.Signal, scrub *exchange.Scrubber, unserved []runreport.Unserved, outputs *runOutputs, stdout, stderr io.Writer) int {
	r, err := scrubReport(r, scrub)
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return runFailed
	}
	notRun := 0
	if r != nil {
		rep := runreport.New(*r, "", "", "", nil)
		rep.WithUnserved(unserved)
		fmt.Fprintln(stdout, rep.Summary())
		notRun = rep.CutShort()
	}
	// Failed specs too: their traffic and verdicts are what one wants to
	// look at.
	if err := outputs.commit(r, stdout); err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return runFailed
	}
	if sig != nil {
		// The last word: Ginkgo says "Interrupted by User" for either
		// signal and counts the spec it cut short as failed; kconform
		// judges it not run, like the specs never reached.
		fmt.Fprintf(stderr, "kconform run: interrupted by %s (Ginkgo's \"Interrupted by User\"): %d selected rule(s) not run, not judged, the spec under way included (Ginkgo counts it as failed)\n", signalName(sig), notRun)
		return exitFor(sig)
	}
	if !passed {
		return runFailed
	}
	return runPassed
}

// exitFor is the exit code of a run stopped by sig.
// signalName is how the run's closing line names the signal that stopped it.
func signalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

func exitFor(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return runTerminated
	}
	return runInterrupted
}

// recordAPI writes one record of the run to the capture when it is an API
// exchange that got an answer (a body cut at the transport's limit too,
// noted in the entry's comment). The exchange is scrubbed again here, and
// redacted again by the writer, whatever the transport did.
func recordAPI(f *har.File, r transport.Record, scrub *exchange.Scrubber) {
	if r.Kind != transport.API || (r.Err != nil && !r.Truncated) {
		return
	}
	e := har.Entry{Started: r.Started, Duration: r.Duration, Exchange: scrub.Exchange(r.Exchange)}
	var notes []string
	if r.Rejection {
		notes = append(notes, "deliberately invalid request")
	}
	if r.Truncated {
		notes = append(notes, fmt.Sprintf("response body truncated to its first %d bytes: %v", transport.MaxBody, r.Err))
	}
	e.Comment = strings.Join(notes, "; ")
	_ = f.Add(e) // the first error comes back from Commit
}

// redirectGinkgo points Ginkgo's console output at stdout and stderr until
// the returned function is called.
func redirectGinkgo(stdout, stderr io.Writer) (restore func()) {
	out, errOut := formatter.ColorableStdOut, formatter.ColorableStdErr
	formatter.ColorableStdOut, formatter.ColorableStdErr = stdout, stderr
	return func() { formatter.ColorableStdOut, formatter.ColorableStdErr = out, errOut }
}
