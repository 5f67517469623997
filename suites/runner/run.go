package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/parallel"
	"github.com/kconform/kconform/internal/runfiles"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/suites/framework"
)

// Exit codes of `kconform run`.
const (
	ExitPassed      = 0   // every selected spec passed (skips with reasons allowed)
	ExitFailed      = 1   // a spec failed, or the run could not start
	ExitBadUsage    = 2   // a flag or variable is wrong; the message names it
	ExitInterrupted = 130 // SIGINT (Ctrl-C): 128 + the signal's number, as shells report it
	ExitTerminated  = 143 // SIGTERM
)

// Invocation is one `kconform run`, its flags parsed and checked
// (target.Load, CheckSelection).
type Invocation struct {
	// Start is when the command started: the deadline counts from it.
	Start  time.Time
	Config target.RunConfig
	// Args are the command's flags, passed on to the children of a
	// parallel run.
	Args []string
	// Shard is the shard file of a child of a parallel run
	// (parallel.EnvShard), "" otherwise.
	Shard string
	// Version is kconform's, for the capture and the report.
	Version string
	// Command starts a child of a parallel run (`kconform run` again).
	Command        parallel.Command
	Stdout, Stderr io.Writer
}

// Run is `kconform run` once its flags are parsed: it runs the selected
// specs in this process, or spread over child processes (--procs), or, in
// such a child, its shard; prints the header, Ginkgo's progress and the
// summary; writes the outputs; and returns the exit code.
func Run(inv Invocation) int {
	// Ginkgo's spec preview (CheckSpecs, the --procs plan) leaves a SIGINT
	// and SIGTERM handler of its own that nothing reads: a signal before
	// the run's own watch would be lost and the run go on. So the run
	// watches from its first step; Ginkgo still gets its copy while the
	// specs run, and stops them.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	if err := CheckSpecs(); err != nil {
		fmt.Fprintf(inv.Stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	if inv.Shard != "" {
		return runShard(inv, signals)
	}
	cfg := inv.Config
	if cfg.Procs > 1 {
		if why := parallel.OneProcess(cfg); why != "" {
			inv.Config.Notes = append(inv.Config.Notes, "one process: "+why)
		} else if p := planParallel(cfg); len(p.shards) > 1 {
			return runParallel(inv, p, signals)
		}
	}
	return runSpecs(inv, nil, signals)
}

// runT is the GinkgoTestingT of a binary: Ginkgo only needs Fail.
type runT struct{ failed bool }

func (t *runT) Fail() { t.failed = true }

// runSpecs runs the selected specs in this process. A child of a parallel
// run passes its shard, whose result gets what the parent needs besides
// the reports. signals gets the SIGINT or SIGTERM that stops the run.
func runSpecs(inv Invocation, child *shardRun, signals <-chan os.Signal) int {
	cfg, stdout, stderr := inv.Config, inv.Stdout, inv.Stderr
	// The deadline covers the whole run: what preparing took (probing a
	// slow target, say) is taken from the specs' share.
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Deadline)
	defer cancel()
	env, stop, err := Prepare(ctx, cfg)
	defer stop()
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	// From here on everything printed goes through the run's scrubber:
	// whatever the target echoed, the credentials never reach the output.
	scrubbedOut, scrubbedErr := env.Scrubber.Writer(stdout), env.Scrubber.Writer(stderr)
	defer scrubbedErr.Flush()
	defer scrubbedOut.Flush()
	stdout, stderr = scrubbedOut, scrubbedErr
	outputs, err := runfiles.Open(cfg, env.Validator, inv.Version)
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	// Whatever happens before the end of the specs, the paths are left as
	// they were: outputs are renamed into place only once the specs ran.
	defer outputs.Abort()
	fmt.Fprintln(stdout, Header(env))
	if child != nil {
		// The header of the run the user asked for, not of this shard.
		whole := *env
		whole.Config = child.user
		child.result.Header, child.result.Unserved = env.Scrubber.String(Header(&whole)), env.Unserved
		if child.shard.Coverage {
			outputs.SnapshotTo(child.shard.CoveragePath())
		}
	}
	if fn := outputs.Observer(env.Scrubber); fn != nil {
		env.Observe(fn)
	}

	suiteConfig, reporterConfig := GinkgoConfig(cfg)
	suiteConfig.Timeout = cfg.Deadline - time.Since(inv.Start)
	if suiteConfig.Timeout <= 0 {
		fmt.Fprintf(stderr, "kconform run: the --deadline of %s ran out before the first spec\n", cfg.Deadline)
		return ExitFailed
	}
	// Ginkgo handles SIGINT and SIGTERM itself once the specs run (it
	// stops them and reports); signals only notes which came, for the
	// exit code. One that came before is the end of the run.
	select {
	case sig := <-signals:
		fmt.Fprintf(stderr, "kconform run: interrupted by %s before the specs: no rule was run or judged\n", SignalName(sig))
		return ExitFor(sig)
	default:
	}
	t := &runT{}
	// Ginkgo prints to these two; they are package variables.
	// without the goroutine stacks of Ginkgo's interrupt report
	restore := redirectGinkgo(WithoutStacks(stdout), WithoutStacks(stderr))
	r, passed, err := framework.Run(t, SuiteName, env, suiteConfig, reporterConfig)
	restore()
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return ExitFailed
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
func finish(r *types.Report, passed bool, sig os.Signal, scrub *exchange.Scrubber, unserved []runreport.Unserved, outputs *runfiles.Files, stdout, stderr io.Writer) int {
	r, err := runfiles.ScrubReport(r, scrub)
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return ExitFailed
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
	if err := outputs.Commit(r, unserved, stdout); err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	if sig != nil {
		// The last word: Ginkgo says "Interrupted by User" for either
		// signal and counts the spec it cut short as failed; kconform
		// judges it not run, like the specs never reached.
		fmt.Fprintf(stderr, "kconform run: interrupted by %s (Ginkgo's \"Interrupted by User\"): %d selected rule(s) not run, not judged, the spec under way included (Ginkgo counts it as failed)\n", SignalName(sig), notRun)
		return ExitFor(sig)
	}
	if !passed {
		return ExitFailed
	}
	return ExitPassed
}

// SignalName is how the run's closing line names the signal that stopped it.
func SignalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// ExitFor is the exit code of a run stopped by sig.
func ExitFor(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return ExitTerminated
	}
	return ExitInterrupted
}

// redirectGinkgo points Ginkgo's console output at stdout and stderr until
// the returned function is called.
func redirectGinkgo(stdout, stderr io.Writer) (restore func()) {
	out, errOut := formatter.ColorableStdOut, formatter.ColorableStdErr
	formatter.ColorableStdOut, formatter.ColorableStdErr = stdout, stderr
	return func() { formatter.ColorableStdOut, formatter.ColorableStdErr = out, errOut }
}
