package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/gomega/gbytes"

	"github.com/kconform/kconform/internal/labels"
	"github.com/kconform/kconform/suites/runner"
)

// TestRunInterruptedSaysSoAndExits130or143: a signal in the middle of the
// specs ends the run with 128 + the signal's number, says it was
// interrupted, and counts the rules it did not reach as not run.
func TestRunInterruptedSaysSoAndExits130or143(t *testing.T) {
	t.Parallel()
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: runner.ExitInterrupted, syscall.SIGTERM: runner.ExitTerminated} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			// Each callback spec waits seconds for a callback this fault
			// never sends: the signal comes while one waits.
			cmd := childCommand(t.Context(), dir, nil, "--no-color", "--mock-faults", "callback-missing", "--label-filter", labels.Callbacks)
			out := gbytes.NewBuffer()
			cmd.Stdout, cmd.Stderr = out, out
			must(t, cmd.Start())
			deadline := time.Now().Add(30 * time.Second)
			for !strings.Contains(string(out.Contents()), "Will run") && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond) // a spec is waiting for its callback
			start := time.Now()
			_ = cmd.Process.Signal(sig)
			_ = cmd.Wait()
			code, err := os.ReadFile(filepath.Join(dir, "exit"))
			if err != nil {
				t.Fatalf("no exit code (%v):\n%s", err, string(out.Contents()))
			}
			if got, _ := strconv.Atoi(string(code)); got != want {
				t.Errorf("exit %d, want %d:\n%s", got, want, lastOutput(string(out.Contents())))
			}
			name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]
			for _, w := range []string{"interrupted by " + name, "not run"} {
				if !strings.Contains(string(out.Contents()), w) {
					t.Errorf("output lacks %q:\n%s", w, lastOutput(string(out.Contents())))
				}
			}
			// kconform has the last word, and it accounts for the spec
			// Ginkgo counts as failed: cut short, so not run, not judged.
			lines := strings.Split(strings.TrimSpace(runOutput(string(out.Contents()))), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "kconform run: interrupted by "+name) || !strings.Contains(last, "not run") {
				t.Errorf("the last line is %q, want kconform's: interrupted by %s ... not run", last, name)
			}
			// Ginkgo's interrupt report dumps goroutine stacks with
			// addresses: no words of the user's
			if o := string(out.Contents()); strings.Contains(o, "goroutine ") || goAddress.MatchString(o) {
				t.Errorf("the output of an interrupted run shows Go stacks or addresses:\n%s", o)
			}
			t.Logf("%s ended the run %s after it was sent", sig, time.Since(start).Round(time.Millisecond))
		})
	}
}

// goAddress is a Go pointer in a stack trace (0x7c630e14700).
var goAddress = regexp.MustCompile(`\b0x[0-9a-f]{6,}\b`)

// TestRunNoColourInPipes: without --no-color, a run whose output goes to a
// pipe prints no ANSI colour codes.
func TestRunNoColourInPipes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := childCommand(t.Context(), dir, nil, "--mock-faults", "hpp-create-wrong-status", "--label-filter", "hpp && lifecycle")
	out, _ := cmd.CombinedOutput()
	if len(out) == 0 || strings.Contains(string(out), "\x1b[") {
		t.Errorf("colour codes (or nothing) in piped output:\n%q", lastOutput(string(out)))
	}
}

// TestRunOutputSpeaksPlainly: a run whose target breaks the contract
// shows no Go types or addresses, no hint for a flag kconform lacks, and
// its summary names the defect once.
func TestRunOutputSpeaksPlainly(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, nil, "--mock-faults", "hpp-read-missing-field", "--label-filter", "hpp && lifecycle")
	wantExit(t, r, runner.ExitFailed, "kconform run")
	for _, bad := range []string{"| 0x", "ViolationError", "ginkgo -vv", "Unexpected error:"} {
		if strings.Contains(r.output, bad) {
			t.Errorf("the output shows %q:\n%s", bad, lastOutput(r.output))
		}
	}
	i := strings.Index(r.output, "kconform: ")
	if i < 0 {
		t.Fatalf("no summary:\n%s", lastOutput(r.output))
	}
	summary := r.output[i:]
	if n := strings.Count(summary, "/expires_at"); n != 1 {
		t.Errorf("the summary names /expires_at %d times, want once:\n%s", n, summary)
	}
}
