package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/onsi/gomega/gbytes"
)

// inProcessRun lets one in-process run at a time use Ginkgo's process-wide
// spec tree, console writers and fail handler.
var inProcessRun sync.Mutex

// inProcess says whether `kconform run args` with env runs in this test
// process. Not:
//   - with parallel children (their shard command is the test binary's,
//     set per child process), nor for the tests that make a shard crash or
//     starve;
//   - with -v: Ginkgo streams GinkgoWriter to the process's own stdout,
//     which the test could not read;
//   - runs that mostly wait (a browser, callbacks given a short
//     --callback-timeout that the target lets pass): they take 25–80 s, and
//     in this process they would keep every other run out of it.
func inProcess(env map[string]string, args []string) bool {
	if env[crashShardEnv] != "" || env[starvedShardEnv] != "" {
		return false
	}
	for i, a := range args {
		switch a {
		case "--procs", "-v", "-vv", "--verbose", "--very-verbose", "--callback-timeout":
			return false
		case "--consumer":
			if i+1 < len(args) && args[i+1] == "browser" {
				return false
			}
		}
	}
	return true
}

// runHere is startChild's run in this process: runSuites with only env's
// variables, output and exit code kept. Without wait it runs only when no
// other run is under way here (ran false otherwise). limit counts from
// the run's start, not from the wait for the runs before it. A run that
// outlives limit is reported and left to end on its own (a run is never
// cut off midway: the next one waits for it).
func runHere(ctx context.Context, dir string, limit time.Duration, env map[string]string, reportPath string, args []string, wait bool) (r childRun, ran bool, err error) {
	if wait {
		inProcessRun.Lock()
	} else if !inProcessRun.TryLock() {
		return childRun{}, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	out := gbytes.NewBuffer()
	done := make(chan int, 1)
	start := time.Now()
	go func() {
		defer inProcessRun.Unlock()
		done <- runSuites(args, func(k string) string { return env[k] }, out, out)
	}()
	r = childRun{dir: dir, exit: -1}
	select {
	case r.exit = <-done:
	case <-ctx.Done():
		r.output, r.elapsed = string(out.Contents()), time.Since(start)
		return r, true, fmt.Errorf("kconform run %q did not end within %s:\n%s", args, limit, lastOutput(r.output))
	}
	r.output, r.elapsed = string(out.Contents()), time.Since(start)
	return r, true, r.readReport(reportPath)
}

// readReport reads the run's JSON report when it wrote one.
func (r *childRun) readReport(path string) error {
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &r.report); err != nil {
			return fmt.Errorf("JSON report: %w", err)
		}
	}
	return nil
}
