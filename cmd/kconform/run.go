package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"golang.org/x/term"

	"github.com/kconform/kconform/internal/cli"
	"github.com/kconform/kconform/internal/parallel"
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
	cfg, err := target.Load(args, getenv)
	if err == nil {
		err = runner.CheckSelection(cfg)
	}
	if err == nil && getenv(parallel.EnvShard) == "" {
		// A shard's selection is the parent's, checked there.
		err = runner.CheckSelectsSpecs(cfg)
	}
	if err != nil {
		return cli.Report("run", err, func(w io.Writer) { fmt.Fprint(w, target.Usage()) }, stdout, stderr)
	}
	// Colour is decided on the real stdout: the runner wraps it in the
	// scrubbing writer, which is never a terminal.
	cfg.NoColor = !colour(cfg, getenv, stdout)
	return runner.Run(runner.Invocation{
		Start: start, Config: cfg, Args: args, Shard: getenv(parallel.EnvShard),
		Version: versionString(), Command: shardCommand, Stdout: stdout, Stderr: stderr,
	})
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
