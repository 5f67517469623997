package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/kconform/kconform/internal/cli"
	"github.com/kconform/kconform/internal/parallel"
	"github.com/kconform/kconform/internal/runfiles"
	"github.com/kconform/kconform/internal/target"
	// The specs register themselves with Ginkgo when imported.
	_ "github.com/kconform/kconform/suites/conformance"
	"github.com/kconform/kconform/suites/runner"
)

func init() { commands["run"] = runCmd }

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

// runSuites is `kconform run`: it parses and checks the flags and hands
// the run to suites/runner, which prepares the target (the in-process mock
// when there is none), runs the specs, prints the summary and writes the
// reports. Ginkgo's own progress goes to the process's stdout.
func runSuites(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	start := time.Now()
	// Ginkgo's spec preview (CheckSelectsSpecs) takes SIGINT and SIGTERM
	// and drops them: a Ctrl-C in its first second was lost (the run went
	// on, exit 0) or turned into "no spec matches" (exit 2). Watched from
	// the first step, it ends the run as runner.Run's own watch would.
	early := make(chan os.Signal, 1)
	signal.Notify(early, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(early)
	shard := getenv(parallel.EnvShard)
	cfg, err := target.Load(args, getenv)
	// An output this run does not write (it ends before its specs) must
	// not pass for its result (docs/report.md "A run that ends before its
	// specs"); a refused command line leaves them as they are.
	var earlier runfiles.Earlier
	if err == nil && shard == "" { // a shard's outputs are its parent's to write
		earlier = runfiles.FindEarlier(cfg)
	}
	if err == nil {
		err = runner.CheckSelection(cfg)
	}
	if err == nil && shard == "" {
		// A shard's selection is the parent's, checked there.
		err = runner.CheckSelectsSpecs(cfg)
	}
	select {
	case sig := <-early: // the preview's "no spec matches" was the signal's doing
		fmt.Fprintf(stderr, "kconform run: interrupted by %s before the specs: no rule was run or judged\n", runner.SignalName(sig))
		earlier.Withdraw(stderr)
		return runner.ExitFor(sig)
	default:
	}
	if err != nil {
		return cli.Report("run", err, func(w io.Writer) { fmt.Fprint(w, target.Usage()) }, stdout, stderr)
	}
	// Colour is decided on the real stdout: the runner wraps it in the
	// scrubbing writer, which is never a terminal.
	cfg.NoColor = !colour(cfg, getenv, stdout)
	code := runner.Run(runner.Invocation{
		Start: start, Config: cfg, Args: args, Shard: shard,
		Version: versionString(), Command: shardCommand, Stdout: stdout, Stderr: stderr,
	})
	earlier.Withdraw(stderr)
	if code != runner.ExitInterrupted && code != runner.ExitTerminated {
		select {
		case sig := <-early: // came before runner.Run watched, so it went on
			fmt.Fprintf(stderr, "kconform run: interrupted by %s as the run started: its outcome above is not to be trusted\n", runner.SignalName(sig))
			return runner.ExitFor(sig)
		default:
		}
	}
	return code
}

// shardCommand starts one child of a parallel run (`kconform run --procs
// N`): this binary again, `kconform run` with the parent's flags. The
// tests replace it: their binary is the test binary, which runs `kconform
// run` through TestRunChild.
var shardCommand parallel.Command = func(ctx context.Context, args []string, env map[string]string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	cmd := exec.CommandContext(ctx, exe, append([]string{"run"}, args...)...)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}
