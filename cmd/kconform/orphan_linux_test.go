package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/parallel"
)

// childrenOf maps the processes whose parent is pid (from /proc) to their
// shard folders (testShardCommand's children: their exit file is there).
func childrenOf(pid int) map[int]string {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	out := map[int]string{}
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so after ')'.
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 2 || f[1] != strconv.Itoa(pid) {
			continue
		}
		env, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "environ"))
		for _, kv := range strings.Split(string(env), "\x00") {
			if exit, ok := strings.CutPrefix(kv, childExitEnv+"="); ok {
				n, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
				out[n] = filepath.Dir(exit)
			}
		}
	}
	return out
}

// TestProcsChildrenDieWithTheParent: a parallel run killed outright
// (SIGKILL, the OOM killer) cannot stop its children; each is in its own
// process group, so nothing else did, and they went on testing the
// target, unseen, until their shards ended (minutes against a real one).
// Now the kernel sends each SIGTERM when the parent dies: each child
// running then ends as SIGTERM ends a run (exit 143), not by itself.
// A child that ended by itself within a second of the kill (a short shard
// about done) proves nothing either way and is let be; the callback
// shard runs seconds more, and at least one child must have been stopped. Not parallel: beside the other tests' runs
// its children were seen to run on in the test (not so with kconform
// itself, checked by hand with kill -9); the cause is not found yet.
func TestProcsChildrenDieWithTheParent(t *testing.T) {
	dir := t.TempDir()
	// callback-missing: the callback specs wait seconds for calls that
	// never come, so the children are under way when the parent dies.
	cmd := childCommand(t.Context(), dir, nil, "--no-color", "--procs", "4", "--mock-faults", "callback-missing")
	cmd.Env = append(cmd.Env, "TMPDIR="+dir) // the shards' folders, kept when the parent is killed
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var children map[int]string
	for deadline := time.Now().Add(30 * time.Second); len(children) < 4 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		children = childrenOf(cmd.Process.Pid)
	}
	if len(children) < 4 {
		_ = cmd.Process.Kill()
		t.Fatalf("%d children seen, want 4:\n%s", len(children), lastOutput(out.String()))
	}
	time.Sleep(200 * time.Millisecond)
	running := childrenOf(cmd.Process.Pid)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	killed := time.Now()
	if len(running) == 0 {
		t.Fatal("no child still running when the parent was killed: the test proves nothing")
	}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		alive := 0
		for pid := range running {
			// Signal 0: does it exist (init reaps the orphan's zombie)?
			if syscall.Kill(pid, 0) == nil {
				alive++
			}
		}
		if alive == 0 {
			break
		}
	}
	stopped := 0
	for pid, shard := range running {
		path := filepath.Join(shard, "result.json")
		b, err := os.ReadFile(path)
		var res parallel.Result
		if err == nil {
			err = json.Unmarshal(b, &res)
		}
		if err == nil && res.Exit == runTerminated {
			stopped++
			continue
		}
		if fi, err := os.Stat(path); err == nil && fi.ModTime().Before(killed.Add(time.Second)) {
			continue // it ended by itself at the kill
		}
		o, _ := os.ReadFile(filepath.Join(shard, "output.txt"))
		t.Errorf("child %d (%s) ended with exit %d (%v), want %d: it ran on after the parent was killed:\n%s", pid, filepath.Base(shard), res.Exit, err, runTerminated, lastOutput(string(o)))
	}
	if stopped == 0 {
		t.Error("every child ended by itself at the kill: the test proves nothing")
	}
}
