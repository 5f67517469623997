package parallel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Command makes the command of one child: `kconform run` with args, its
// environment the parent's plus env. It must come from
// exec.CommandContext(ctx, ...): Run sets how it is stopped.
type Command func(ctx context.Context, args []string, env map[string]string) *exec.Cmd

// Outcome is how one child ended.
type Outcome struct {
	Shard Shard
	// Result is nil when the child did not finish; Err then says how it
	// ended (a crash, killed, past the parent's limit).
	Result *Result
	Err    error
	// Output is what the child printed (its own header, progress and
	// summary), for a child that did not finish.
	Output string
}

// NotStarted is the error of a shard that the run ended before it began
// (an interrupt, the --deadline): its specs were never reached, like the
// specs one process skips after an interrupt, and MergeReports reports
// them so.
type NotStarted struct {
	Shard Shard
	Why   string // "the run was stopped before it"
}

func (e *NotStarted) Error() string {
	return fmt.Sprintf("%s (%d spec(s)) was not started: %s", e.Shard.Name(), len(e.Shard.Specs), e.Why)
}

// Runner starts the children of one run.
type Runner struct {
	// Dir holds the shards' folders; the caller removes it.
	Dir     string
	Args    []string          // the child's flags, without secrets
	Env     map[string]string // added to each child's environment: credentials
	Command Command
	// Deadline is the run's: each child gets it (Shard.Until) as its
	// own, and one still running past it (and Grace) is stopped.
	Deadline time.Time
	// Stop is the signal a child is sent when ctx ends (the one the
	// parent got: SIGINT or SIGTERM); Grace is how long it then has to
	// write its reports before it is killed.
	Stop  func() os.Signal
	Grace time.Duration
}

// Run runs the shards, the non-serial ones at once and then the serial
// one alone, and returns how each ended, in the shards' order. Once ctx
// ends, running children are stopped and no new one starts.
func (r Runner) Run(ctx context.Context, shards []Shard) []Outcome {
	out := make([]Outcome, len(shards))
	var wg sync.WaitGroup
	runAll := func(serial bool) {
		for i, s := range shards {
			if s.Serial != serial {
				continue
			}
			wg.Go(func() { out[i] = r.runOne(ctx, s) })
		}
		wg.Wait()
	}
	runAll(false)
	runAll(true)
	return out
}

func (r Runner) runOne(ctx context.Context, s Shard) Outcome {
	o := Outcome{Shard: s}
	if ctx.Err() != nil {
		o.Err = &NotStarted{Shard: s, Why: "the run was stopped before it"}
		return o
	}
	s.Dir = filepath.Join(r.Dir, fmt.Sprintf("shard-%d", s.Index))
	s.Until = r.Deadline
	o.Shard = s
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		o.Err = fmt.Errorf("%s: %v", s.Describe(), err)
		return o
	}
	b, err := json.Marshal(s)
	if err == nil {
		err = os.WriteFile(s.file(), b, 0o600)
	}
	if err != nil {
		o.Err = fmt.Errorf("%s: %v", s.Describe(), err)
		return o
	}
	env := map[string]string{EnvShard: s.file()}
	for k, v := range r.Env {
		env[k] = v
	}
	output, err := os.Create(s.outputPath())
	if err != nil {
		o.Err = fmt.Errorf("%s: %v", s.Describe(), err)
		return o
	}
	defer output.Close()
	if time.Until(r.Deadline) <= 0 {
		o.Err = &NotStarted{Shard: s, Why: "the --deadline ran out before it"}
		return o
	}
	ctx, cancel := context.WithDeadline(ctx, r.Deadline.Add(r.Grace))
	defer cancel()
	cmd := r.Command(ctx, slices.Clone(r.Args), env)
	cmd.Stdout, cmd.Stderr = output, output
	ownProcessGroup(cmd)
	cmd.Cancel = func() error { return cmd.Process.Signal(r.Stop()) }
	cmd.WaitDelay = r.Grace
	// Linux sends a child's death signal (ownProcessGroup) when the
	// thread that started it ends, not the process: this goroutine keeps
	// its thread until the child is done.
	runtime.LockOSThread()
	runErr := cmd.Run()
	runtime.UnlockOSThread()
	o.Output = readOutput(s.outputPath())
	res, err := readResult(s.resultPath())
	if err == nil {
		o.Result = &res
		return o
	}
	why := "it ended without a result"
	switch {
	case runErr != nil && errors.Is(runErr, exec.ErrWaitDelay):
		why = fmt.Sprintf("it did not end within %s of being stopped", r.Grace)
	case runErr != nil:
		why = fmt.Sprintf("it ended without a result (%v)", runErr)
	}
	o.Err = fmt.Errorf("%s: %s", s.Describe(), why)
	return o
}

func readResult(path string) (Result, error) {
	var r Result
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &r)
	}
	return r, err
}

// maxOutput bounds what of a failed child's output is shown.
const maxOutput = 4000

func readOutput(path string) string {
	b, _ := os.ReadFile(path)
	s := strings.TrimSpace(string(b))
	if len(s) > maxOutput {
		s = "…" + s[len(s)-maxOutput:]
	}
	return s
}
