package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/parallel"
	"github.com/kconform/kconform/internal/runfiles"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
)

// `kconform run --procs N`: the parent plans the shards and merges what
// the children wrote (internal/parallel); each child is `kconform run`
// again, with the same flags and a shard file (runShard), started by the
// Invocation's Command.

// childGrace is how long a stopped child has to write its reports: Ginkgo's
// grace period (GinkgoConfig) and some.
const childGrace = 15 * time.Second

// shardRun is a child's shard and what it tells the parent.
type shardRun struct {
	shard  parallel.Shard
	result parallel.Result
	// user is the run's configuration as the parent has it (the user's
	// focus and deadline), for the header.
	user target.RunConfig
}

// runShard is a child of a parallel run: the shard's specs, its outputs to
// the shard's folder instead of the user's paths, and its result last.
func runShard(inv Invocation, signals <-chan os.Signal) int {
	s, err := parallel.ReadShard(inv.Shard)
	if err != nil {
		fmt.Fprintf(inv.Stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	cfg := inv.Config
	child := &shardRun{shard: s, user: cfg}
	child.user.Deadline = s.RunDeadline
	if !s.Until.IsZero() {
		cfg.Deadline = time.Until(s.Until)
	}
	cfg.Focus = s.Focus(SuiteName)
	cfg.JUnitReport, cfg.Report, cfg.ReportJSON, cfg.Record = "", "", "", ""
	cfg.JSONReport = s.ReportPath()
	if s.Record {
		cfg.Record = s.RecordPath()
	}
	inv.Config = cfg
	child.result.Exit = runSpecs(inv, child, signals)
	if err := s.WriteResult(child.result); err != nil {
		fmt.Fprintf(inv.Stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	return child.result.Exit
}

// plan is a parallel run's preview of the selected specs and its shards.
type plan struct {
	preview types.Report
	shards  []parallel.Shard
}

// planParallel previews the specs with the run's filters and splits the
// selected ones into cfg.Procs shards. Against a target the children
// share, its clock is shared too, so Serial specs get a shard of their own.
func planParallel(cfg target.RunConfig) plan {
	sc, _ := GinkgoConfig(cfg)
	preview := PreviewSpecs(sc)
	return plan{preview: preview, shards: parallel.Plan(preview, cfg.Procs, !cfg.InProcess())}
}

// runParallel runs p's shards in child processes and ends the run with the
// merged report, as runSpecs would.
func runParallel(inv Invocation, p plan, signals <-chan os.Signal) int {
	cfg, stdout, stderr := inv.Config, inv.Stdout, inv.Stderr
	// The children scrub what they write (the built-in mock's credentials
	// are theirs); this scrubs the user's credentials once more.
	scrub := exchange.NewScrubber(exchange.BasicSecrets(cfg.Username, cfg.Password.Reveal())...)
	scrubbedOut, scrubbedErr := scrub.Writer(stdout), scrub.Writer(stderr)
	defer scrubbedErr.Flush()
	defer scrubbedOut.Flush()
	stdout, stderr = scrubbedOut, scrubbedErr

	// A target is probed here first, as one process would: one that
	// cannot be tested ends the run in one line, not once per process,
	// and the header comes before the specs run.
	var unserved []runreport.Unserved
	header := ""
	if !cfg.InProcess() {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.Deadline)
		env, stopEnv, err := Prepare(ctx, cfg)
		stopEnv()
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "kconform run: %v\n", err)
			return ExitFailed
		}
		header, unserved = env.Scrubber.String(Header(env)), env.Unserved
		printHeader(stdout, header, cfg, p)
	}

	outputs, err := runfiles.OpenForParent(cfg, inv.Version)
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	defer outputs.Abort()
	dir, err := os.MkdirTemp("", "kconform-run-")
	if err != nil {
		fmt.Fprintf(stderr, "kconform run: %v\n", err)
		return ExitFailed
	}
	defer os.RemoveAll(dir)
	for i := range p.shards {
		p.shards[i].Record, p.shards[i].Coverage = outputs.Records(), outputs.Covers()
		p.shards[i].RunDeadline = cfg.Deadline
	}

	outcomes, sig := runChildren(inv, dir, p.shards, signals)

	var (
		parts   []parallel.ShardReport
		records []string
		lost    []parallel.Outcome // no report, or none usable
		passed  = true
	)
	for _, o := range outcomes {
		part := parallel.ShardReport{Shard: o.Shard, Err: o.Err}
		if o.Err == nil {
			if part.Report, err = o.Shard.ReadReport(); err != nil {
				part.Err = fmt.Errorf("%s wrote no report (exit %d)", o.Shard.Describe(), o.Result.Exit)
			}
		}
		parts = append(parts, part)
		if part.Err != nil {
			o.Err = part.Err
			lost = append(lost, o)
			passed = false
		}
		if o.Result == nil {
			continue
		}
		passed = passed && o.Result.Exit == ExitPassed
		if header == "" && o.Result.Header != "" {
			header, unserved = o.Result.Header, o.Result.Unserved
			printHeader(stdout, header, cfg, p)
		}
		if _, err := os.Stat(o.Shard.RecordPath()); err == nil && o.Shard.Record {
			records = append(records, o.Shard.RecordPath())
		}
		// A child without a report never got to its specs (it said
		// why below): it observed nothing, and its missing file is no
		// news to the user.
		if o.Shard.Coverage && part.Err == nil {
			if err := outputs.MergeCoverage(o.Shard.CoveragePath()); err != nil {
				fmt.Fprintf(stderr, "kconform run: the coverage of %s: %v\n", o.Shard.Describe(), err)
				passed = false
			}
		}
	}
	if len(lost) == len(outcomes) && sig != nil {
		// Stopped before any process got to its specs: the signal is the
		// cause, not each process's end (a child stopped while it started
		// ends "without a result"), and the last word, as in one process.
		fmt.Fprintf(stderr, "kconform run: interrupted by %s before any process got to its specs: no rule was run or judged\n", SignalName(sig))
		return ExitFor(sig)
	}
	if len(lost) == len(outcomes) {
		// No process got to its specs: each says why, once (the same
		// cause says the same), as one process would have.
		shown := map[string]bool{"": true}
		for _, o := range lost {
			if o.Result == nil { // it did not end by itself
				fmt.Fprintf(stderr, "kconform run: %v\n", o.Err)
			}
			if !shown[o.Output] {
				shown[o.Output] = true
				fmt.Fprintln(stderr, o.Output)
			}
		}
		return ExitFailed
	}
	for _, o := range lost {
		if o.Output == "" {
			fmt.Fprintf(stderr, "kconform run: %v\n", o.Err)
			continue
		}
		fmt.Fprintf(stderr, "kconform run: %v; its output:\n%s\n", o.Err, indent(o.Output))
	}
	if outputs.Records() {
		if err := outputs.AddRecords(records...); err != nil {
			fmt.Fprintf(stderr, "kconform run: --record: %v\n", err)
			passed = false
		}
	}
	merged := parallel.MergeReports(p.preview, parts)
	var rc types.ReporterConfig
	merged.SuiteConfig, rc = GinkgoConfig(cfg)
	replay(merged, rc, workers(p.shards), stdout)
	return finish(&merged, passed && merged.SuiteSucceeded, sig, scrub, unserved, outputs, stdout, stderr)
}

// runChildren runs the shards' children until they end, stopping them on
// SIGINT or SIGTERM, which it returns (nil for none). The children are in
// their own process groups: a Ctrl-C at the terminal reaches this process
// only, which stops each child once.
func runChildren(inv Invocation, dir string, shards []parallel.Shard, signals <-chan os.Signal) ([]parallel.Outcome, os.Signal) {
	cfg := inv.Config
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		mu  sync.Mutex
		got os.Signal
	)
	go func() {
		select {
		case sig := <-signals:
			mu.Lock()
			got = sig
			mu.Unlock()
			cancel()
		case <-ctx.Done():
		}
	}()
	stop := func() os.Signal {
		mu.Lock()
		defer mu.Unlock()
		if got != nil {
			return got
		}
		return os.Interrupt // past the deadline
	}
	// The credentials go through the environment, never the command line
	// (which ps shows), as the ones Load settled on: flag, variable or
	// the built-in mock's defaults for a loopback target.
	credentials := map[string]string{}
	if cfg.Username != "" || cfg.Password != "" {
		credentials[target.EnvUsername], credentials[target.EnvPassword] = cfg.Username, cfg.Password.Reveal()
	}
	r := parallel.Runner{
		Dir: dir, Args: target.WithoutFlag(target.WithoutFlag(inv.Args, "password"), "username"), Env: credentials,
		Command: inv.Command, Deadline: inv.Start.Add(cfg.Deadline), Stop: stop, Grace: childGrace,
	}
	outcomes := r.Run(ctx, shards)
	cancel()
	mu.Lock()
	defer mu.Unlock()
	return outcomes, got
}

// printHeader prints the run's header (the first process's, for the
// built-in mock, whose receivers and mock are per process) and how the
// specs are spread.
func printHeader(w io.Writer, header string, cfg target.RunConfig, p plan) {
	fmt.Fprintln(w, header)
	for _, n := range cfg.Notes {
		if !strings.Contains(header, n) {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
	}
	serial := 0
	for _, s := range p.shards {
		if s.Serial {
			serial = len(s.Specs)
		}
	}
	own := "callback and return receivers"
	if cfg.InProcess() {
		own += " and built-in mock (those above are the first one's)"
	}
	// The Serial specs are among the selected, not besides them: counted once.
	spread := fmt.Sprintf("%d of %d specs", len(parallel.Selected(p.preview)), p.preview.PreRunStats.TotalSpecs)
	if serial > 0 {
		spread += fmt.Sprintf(": %d", len(parallel.Selected(p.preview))-serial)
	}
	fmt.Fprintf(w, "  processes:    %s in %d processes (--procs %d), each with its own %s\n",
		spread, workers(p.shards), cfg.Procs, own)
	if serial > 0 {
		fmt.Fprintf(w, "                then %d Serial spec(s) in one process alone: they move the target's clock, which every process shares\n", serial)
	}
}

// replay prints the merged report as Ginkgo's default reporter prints a
// parallel run of its own (so -v shows each spec's output with the spec),
// the specs in the order they are written.
func replay(r types.Report, rc types.ReporterConfig, procs int, w io.Writer) {
	rep := reporters.NewDefaultReporter(rc, WithoutStacks(w))
	r.SuiteConfig.ParallelTotal = procs
	rep.SuiteWillBegin(r)
	for _, s := range r.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt {
			s.RunningInParallel = true
			rep.DidRun(s)
		}
	}
	rep.SuiteDidEnd(r)
}

// workers is how many processes run at once: the shards but the serial one.
func workers(shards []parallel.Shard) int {
	n := 0
	for _, s := range shards {
		if !s.Serial {
			n++
		}
	}
	return n
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = "  " + lines[i]
	}
	return strings.Join(lines, "\n")
}
