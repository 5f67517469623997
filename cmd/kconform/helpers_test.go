package main

// The run tests' helpers. A test runs `kconform run` (runSuites) in this
// process, one run after another (framework.Run builds Ginkgo's spec tree
// afresh for each), and reads its exit code, output and JSON report. The
// runs that need a process of their own (signals, --procs children, -v,
// whose GinkgoWriter streams to the process's stdout) or that mostly wait
// start this test binary again as `kconform run` (TestRunChild); see
// inProcess.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/mock"
)

const (
	childArgsEnv = "KCONFORM_TEST_CHILD_ARGS" // JSON []string: the args of `kconform run`
	childEnvEnv  = "KCONFORM_TEST_CHILD_ENV"  // JSON map: the only KCONFORM_* variables the child sees
	childExitEnv = "KCONFORM_TEST_CHILD_EXIT" // file the child writes its exit code to
)

// The test binary's own flags: each rewrites a document from what the
// tests found.
var (
	updateFaultMatrix = flag.Bool("update-fault-matrix", false, "rewrite the tables of faults in docs/fault-matrix.md and internal/mock/CONTROL.md from the catalogue and the specs' declarations")
	updateScreenshot  = flag.Bool("update-screenshot", false, "copy the consumer page's screenshot of the browser run to docs/consumer-page-browser.png")
)

// TestRunChild is not a test: it is `kconform run` inside the test binary,
// entered when the parent sets the child variables. It writes its exit code
// to a file instead of calling os.Exit (which a test must not do).
func TestRunChild(t *testing.T) {
	raw := os.Getenv(childArgsEnv)
	if raw == "" {
		t.Skip("helper process for the run tests")
	}
	var args []string
	var env map[string]string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal([]byte(os.Getenv(childEnvEnv)), &env)
	shardCommand = testShardCommand(env)
	code := runSuites(args, func(k string) string { return env[k] }, os.Stdout, os.Stderr)
	if err := os.WriteFile(os.Getenv(childExitEnv), []byte(strconv.Itoa(code)), 0o600); err != nil {
		t.Fatal(err)
	}
}

// childRun is one `kconform run` in a child process.
type childRun struct {
	dir     string // where it ran
	exit    int
	output  string // stdout and stderr
	report  []types.Report
	elapsed time.Duration
}

func runChild(t *testing.T, limit time.Duration, env map[string]string, args ...string) childRun {
	t.Helper()
	r, err := startChild(t.Context(), t.TempDir(), limit, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// startChild runs `kconform run args`, in dir, for at most limit: in this
// process when the run can go here and no other run is under way here
// (runHere), else in a child process, so runs of parallel tests still
// overlap; it is safe to call from any goroutine.
func startChild(ctx context.Context, dir string, limit time.Duration, env map[string]string, args ...string) (childRun, error) {
	return startRun(ctx, dir, limit, env, false, args...)
}

// startRun is startChild; with wait, a run that can go in this process
// waits for the runs before it instead of going to a child process.
func startRun(ctx context.Context, dir string, limit time.Duration, env map[string]string, wait bool, args ...string) (childRun, error) {
	reportPath := filepath.Join(dir, "report.json")
	exitPath := filepath.Join(dir, "exit")
	args = append([]string{"--no-color", "--json-report", reportPath}, args...)
	if inProcess(env, args) {
		if r, ran, err := runHere(ctx, dir, limit, env, reportPath, args, wait); ran {
			return r, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := childCommand(ctx, dir, env, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := childRun{dir: dir, output: out.String(), elapsed: time.Since(start), exit: -1}
	if ctx.Err() != nil {
		return r, fmt.Errorf("kconform run %q did not end within %s:\n%s", args, limit, lastOutput(r.output))
	}
	code, readErr := os.ReadFile(exitPath)
	if readErr != nil {
		return r, fmt.Errorf("kconform run %q ended without an exit code (%v):\n%s", args, err, lastOutput(r.output))
	}
	r.exit, _ = strconv.Atoi(string(code))
	return r, r.readReport(reportPath)
}

// startMerchantMock starts the built-in mock for user "merchant" with
// password, its callbacks quick, until the test ends; it returns the base URL.
func startMerchantMock(t *testing.T, password string) string {
	t.Helper()
	return startMock(t, mock.Options{Username: "merchant", Password: password, ClockControl: true,
		CallbackTimeout: 200 * time.Millisecond, CallbackRetryDelay: 50 * time.Millisecond})
}

// childCommand is `kconform run args` as a child process in dir, which
// writes its exit code to dir/exit.
func childCommand(ctx context.Context, dir string, env map[string]string, args ...string) *exec.Cmd {
	a, _ := json.Marshal(args)
	e, _ := json.Marshal(env)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestRunChild$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childArgsEnv+"="+string(a), childEnvEnv+"="+string(e), childExitEnv+"="+filepath.Join(dir, "exit"))
	return cmd
}

func lastOutput(s string) string {
	if len(s) > 6000 {
		return "…" + s[len(s)-6000:]
	}
	return s
}

// failures maps each failed spec's name to all its failure messages.
func (r childRun) failures() map[string]string {
	out := map[string]string{}
	for _, rep := range r.report {
		for _, s := range rep.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt || !s.State.Is(types.SpecStateFailureStates) {
				continue
			}
			msgs := []string{s.Failure.Message}
			for _, af := range s.AdditionalFailures {
				msgs = append(msgs, af.Failure.Message)
			}
			// Full names: leaf texts repeat across tables, and a map keyed
			// by them would count two failed specs as one.
			out[s.FullText()] = strings.Join(msgs, "\n")
		}
	}
	return out
}

// runInProcess is `kconform run args` in this process, for a run that
// must end before its specs (a bad flag, a probe that stops it): it fails
// the test if the run reached them.
func runInProcess(t *testing.T, env map[string]string, args ...string) childRun {
	t.Helper()
	inProcessRun.Lock()
	defer inProcessRun.Unlock()
	var out bytes.Buffer
	start := time.Now()
	code := runSuites(append([]string{"--no-color"}, args...), func(k string) string { return env[k] }, &out, &out)
	if strings.Contains(out.String(), "Will run ") {
		t.Fatalf("kconform run %q ran specs in the test process; it was to stop before them:\n%s", args, lastOutput(out.String()))
	}
	return childRun{exit: code, output: out.String(), elapsed: time.Since(start)}
}

// runOutput is the child's output without go test's own lines.
func runOutput(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "PASS") || strings.HasPrefix(l, "ok ") || strings.HasPrefix(l, "    ") && strings.Contains(l, "_test.go") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// merchant is the environment of a run as user "merchant" with password.
func merchant(password string) map[string]string {
	return map[string]string{"KCONFORM_USERNAME": "merchant", "KCONFORM_PASSWORD": password}
}

// wantExit stops the test unless the run (what names it) exited with code.
func wantExit(t *testing.T, r childRun, code int, what string) {
	t.Helper()
	if r.exit != code {
		t.Fatalf("%s: exit %d, want %d:\n%s", what, r.exit, code, lastOutput(r.output))
	}
}

// must stops the test at a setup step that failed.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mockProxy starts the built-in mock for user "merchant" with password
// (startMerchantMock) and returns a reverse proxy to it, for fronts that
// change one thing about it.
func mockProxy(t *testing.T, password string) *httputil.ReverseProxy {
	t.Helper()
	u, _ := url.Parse(startMerchantMock(t, password))
	return httputil.NewSingleHostReverseProxy(u)
}

// mockBehind starts the built-in mock (user merchant, password) behind a
// front that lets answer take a request over (it returns true) and passes
// the rest on: one broken behaviour, everything else faithful.
func mockBehind(t *testing.T, password string, answer func(w http.ResponseWriter, r *http.Request) bool) string {
	t.Helper()
	proxy := mockProxy(t, password)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !answer(w, r) {
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// front serves everything through proxy but the paths under others (404).
func front(t *testing.T, proxy http.Handler, others ...string) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, other := range others {
			if strings.HasPrefix(r.URL.Path, other) {
				http.NotFound(w, r)
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}
