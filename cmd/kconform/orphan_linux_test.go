package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childrenOf lists the processes whose parent is pid (from /proc).
func childrenOf(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so after ')'.
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			out = append(out, n)
		}
	}
	return out
}

// TestProcsChildrenDieWithTheParent: a parallel run killed outright
// (SIGKILL, the OOM killer) cannot stop its children; each is in its own
// process group, so nothing else did, and they went on testing the
// target, unseen, until their shards ended (minutes against a real one).
// Now the kernel sends each SIGTERM when the parent dies.
func TestProcsChildrenDieWithTheParent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// callback-missing: the callback specs wait seconds for calls that
	// never come, so the children are under way when the parent dies.
	cmd := childCommand(t.Context(), dir, nil, "--no-color", "--procs", "4", "--mock-faults", "callback-missing")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var children []int
	for deadline := time.Now().Add(30 * time.Second); len(children) < 4 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		children = childrenOf(cmd.Process.Pid)
	}
	if len(children) < 4 {
		_ = cmd.Process.Kill()
		t.Fatalf("%d children seen, want 4:\n%s", len(children), lastOutput(out.String()))
	}
	time.Sleep(500 * time.Millisecond)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	killed := time.Now()
	// Stopped, a child ends in about 1.5 s; on its own it would run on
	// for 15 s more.
	const within = 7 * time.Second
	var alive []int
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		alive = alive[:0]
		for _, pid := range children {
			// Signal 0 checks the process exists; a zombie's parent is
			// init, which reaps it.
			if syscall.Kill(pid, 0) == nil {
				alive = append(alive, pid)
			}
		}
		if len(alive) == 0 {
			t.Logf("children gone %s after the parent", time.Since(killed))
			return
		}
	}
	for _, pid := range alive {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	t.Errorf("children %v still ran %s after the parent was killed", alive, within)
}
