package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/parallel"
	"github.com/kconform/kconform/suites/runner"
)

// testShardCommand starts a child of a parallel run as the test binary
// running TestRunChild, with the test's variables (env) and the shard's.
func testShardCommand(env map[string]string) parallel.Command {
	return func(ctx context.Context, args []string, extra map[string]string) *exec.Cmd {
		all := maps.Clone(env)
		if all == nil {
			all = map[string]string{}
		}
		maps.Copy(all, extra)
		shard := filepath.Dir(extra[parallel.EnvShard])
		if n := all[crashShardEnv]; n != "" && filepath.Base(shard) == "shard-"+n {
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrashingShard$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashShardEnv+"="+n)
			return cmd
		}
		if n := all[starvedShardEnv]; n != "" && filepath.Base(shard) == "shard-"+n {
			// The last --target wins: this child finds nothing listening
			// and gives up before its specs, with a result and without
			// reports, as it would for a target gone since the probe.
			args = append(slices.Clone(args), "--target", "http://127.0.0.1:1")
		}
		cmd := childCommand(ctx, shard, all, args...)
		// Relative paths in the flags (--profile) are the parent's.
		cmd.Dir, _ = os.Getwd()
		return cmd
	}
}

// verdicts maps each spec's full name to its end state.
func (r childRun) verdicts() map[string]string {
	out := map[string]string{}
	for _, rep := range r.report {
		for _, s := range rep.SpecReports {
			if s.LeafNodeType == types.NodeTypeIt {
				out[s.FullText()] = s.State.String()
			}
		}
	}
	return out
}

// runBoth runs `kconform run args` with --procs 1 and --procs 4 at once.
func runBoth(t *testing.T, args ...string) (one, four childRun) {
	t.Helper()
	return runBothWith(t, nil, func() []string { return args })
}

// runBothWith is runBoth with the variables env and each run's args from
// args (called once per run: a target of its own, say).
func runBothWith(t *testing.T, env map[string]string, args func() []string) (one, four childRun) {
	t.Helper()
	runs := make([]childRun, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, procs := range []string{"1", "4"} {
		dir := t.TempDir()
		a := append([]string{"--procs", procs,
			"--record", filepath.Join(dir, "run.har"), "--junit-report", filepath.Join(dir, "junit.xml"),
			"--report-json", filepath.Join(dir, "conformance.json")}, args()...)
		wg.Go(func() {
			runs[i], errs[i] = startChild(t.Context(), dir, 2*time.Minute, env, a...)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(runs[1].output, "in 4 processes (--procs 4)") {
		t.Fatalf("--procs 4 did not run in 4 processes:\n%s", lastOutput(runs[1].output))
	}
	return runs[0], runs[1]
}

func harEntries(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return len(doc.Log.Entries)
}

// junitCases counts the test cases of a JUnit report by name.
func junitCases(t *testing.T, path string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]int{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			out[c.Name]++
		}
	}
	return out
}

// TestProcsGiveTheResultsOfOneProcess: the full run against the built-in
// mock in 4 processes gives what one process gives: the same verdict for
// every spec, the same rule counts, every API exchange recorded, every
// spec once in the JUnit report.
func TestProcsGiveTheResultsOfOneProcess(t *testing.T) {
	t.Parallel()
	one, four := runBoth(t)
	sameResults(t, one, four)
}

// TestProcsAgainstATarget: against a target the processes share (its
// clock too), 4 processes give what one gives, the Serial specs run alone
// after the others, and the password, given on the command line, shows
// nowhere.
func TestProcsAgainstATarget(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-procs"
	one, four := runBothWith(t, map[string]string{"KCONFORM_USERNAME": "merchant"}, func() []string {
		return []string{"--target", startMerchantMock(t, password), "--password", password}
	})
	sameResults(t, one, four)
	if !strings.Contains(four.output, "Serial spec(s) in one process alone") {
		t.Errorf("no serial phase against a shared target:\n%s", lastOutput(four.output))
	}
	for _, r := range []childRun{one, four} {
		for _, name := range []string{"run.har", "junit.xml", "conformance.json", "report.json"} {
			b, _ := os.ReadFile(filepath.Join(r.dir, name))
			if len(b) == 0 || strings.Contains(string(b), password) {
				t.Errorf("%s: empty, or it shows the password", name)
			}
		}
		if strings.Contains(r.output, password) {
			t.Errorf("the output shows the password:\n%s", lastOutput(r.output))
		}
	}
}

// sameResults compares a --procs 1 and a --procs 4 run that passed.
func sameResults(t *testing.T, one, four childRun) {
	t.Helper()
	if one.exit != runner.ExitPassed || four.exit != runner.ExitPassed {
		t.Fatalf("exits %d and %d, want 0:\n%s\n%s", one.exit, four.exit, lastOutput(one.output), lastOutput(four.output))
	}
	v1, v4 := one.verdicts(), four.verdicts()
	if len(v1) == 0 || !maps.Equal(v1, v4) {
		t.Errorf("verdicts differ:\n--procs 1: %v\n--procs 4: %v", v1, v4)
	}
	r1 := readRunReport(t, filepath.Join(one.dir, "conformance.json"))
	r4 := readRunReport(t, filepath.Join(four.dir, "conformance.json"))
	if r1.Counts != r4.Counts {
		t.Errorf("rule counts differ: --procs 1 %+v, --procs 4 %+v", r1.Counts, r4.Counts)
	}
	if r1.Coverage == nil || r4.Coverage == nil || !reflect.DeepEqual(r1.Coverage.Uncovered(), r4.Coverage.Uncovered()) {
		t.Errorf("coverage differs: --procs 1 leaves %v uncovered, --procs 4 %v", r1.Coverage.Uncovered(), r4.Coverage.Uncovered())
	}
	if h1, h4 := harEntries(t, filepath.Join(one.dir, "run.har")), harEntries(t, filepath.Join(four.dir, "run.har")); h1 == 0 || h1 != h4 {
		t.Errorf("--record: %d entries with --procs 1, %d with --procs 4", h1, h4)
	}
	// The merged capture reads as one process's: in order, so the
	// lifecycle checks across entries hold as they do for one file.
	var vout, verr bytes.Buffer
	if code := runValidate([]string{filepath.Join(four.dir, "run.har")}, os.Getenv, &vout, &verr); code != 0 {
		t.Errorf("kconform validate of the --procs 4 capture: exit %d\n%s%s", code, lastOutput(vout.String()), verr.String())
	}
	j1, j4 := junitCases(t, filepath.Join(one.dir, "junit.xml")), junitCases(t, filepath.Join(four.dir, "junit.xml"))
	for name, n := range j4 {
		if n != j1[name] {
			t.Errorf("JUnit: %q %d time(s) with --procs 4, %d with --procs 1", name, n, j1[name])
		}
	}
	for name := range v4 {
		// Ginkgo names a case "[It] <full name> [<labels>]".
		n := 0
		for c, k := range j4 {
			if c == "[It] "+name || strings.HasPrefix(c, "[It] "+name+" [") {
				n += k
			}
		}
		if n != 1 {
			t.Errorf("JUnit of --procs 4: %q %d time(s), want once", name, n)
		}
	}
}

// TestProcsFindTheSameFaults: with a mock fault on, 4 processes fail the
// same specs as one.
func TestProcsFindTheSameFaults(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{"callback-missing", "hpp-read-missing-field"} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			one, four := runBoth(t, "--mock-faults", fault)
			if one.exit != runner.ExitFailed || four.exit != runner.ExitFailed {
				t.Fatalf("exits %d and %d, want 1", one.exit, four.exit)
			}
			f1, f4 := slices.Sorted(maps.Keys(one.failures())), slices.Sorted(maps.Keys(four.failures()))
			if len(f1) == 0 || !slices.Equal(f1, f4) {
				t.Errorf("failed specs differ:\n--procs 1: %q\n--procs 4: %q", f1, f4)
			}
		})
	}
}

// crashShardEnv names the shard whose child dies at once (testShardCommand).
const crashShardEnv = "KCONFORM_TEST_CRASH_SHARD"

// TestCrashingShard is not a test: it is a child of a parallel run that
// dies before it reports, started by testShardCommand.
func TestCrashingShard(t *testing.T) {
	if os.Getenv(crashShardEnv) == "" {
		t.Skip("helper process for TestProcsReportAChildThatDies")
	}
	fmt.Println("crashing shard: dying on purpose")
	os.Exit(3)
}

// TestProcsReportAChildThatDies: a child that dies without a report fails
// the run naming its process and specs; its specs are aborted, not lost,
// and the other processes' verdicts stay.
func TestProcsReportAChildThatDies(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, map[string]string{crashShardEnv: "2"}, "--procs", "4")
	wantExit(t, r, runner.ExitFailed, "kconform run")
	for _, want := range []string{"kconform run: process 2 (", "ended without a result (exit status 3)", "crashing shard: dying on purpose"} {
		if !strings.Contains(r.output, want) {
			t.Errorf("output lacks %q:\n%s", want, lastOutput(r.output))
		}
	}
	states := map[string]int{}
	for _, s := range r.verdicts() {
		states[s]++
	}
	if states["aborted"] == 0 || states["passed"] == 0 {
		t.Errorf("verdicts %v: want the dead process's specs aborted and the others passed", states)
	}
}

// starvedShardEnv names the shard whose child gives up before its specs
// (testShardCommand).
const starvedShardEnv = "KCONFORM_TEST_STARVED_SHARD"

// TestProcsChildWithoutSpecsNamesNoTempFile: a child that ends by itself
// before its specs (a target gone between the parent's probe and the
// child's) fails the run with what it said. Its missing coverage file is
// no second error: that named a file in the run's temporary folder, which
// the user never sees and cannot act on.
func TestProcsChildWithoutSpecsNamesNoTempFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := runChild(t, 2*time.Minute, map[string]string{starvedShardEnv: "2"},
		"--procs", "4", "--report-json", filepath.Join(dir, "conformance.json"))
	wantExit(t, r, runner.ExitFailed, "kconform run")
	if !strings.Contains(r.output, "kconform run: process 2 (") || !strings.Contains(r.output, "cannot reach the target") {
		t.Errorf("the output does not say process 2 gave up, and why:\n%s", lastOutput(r.output))
	}
	for _, bad := range []string{"coverage.json", "kconform-run-", "no such file"} {
		if strings.Contains(r.output, bad) {
			t.Errorf("the output shows %q:\n%s", bad, lastOutput(r.output))
		}
	}
}

// TestProcsDeadlineCloseToTheRequestTimeout: a child is given what is left
// of the run's --deadline. Given as its --deadline, that was soon shorter
// than --request-timeout, which Load refuses: a valid run (--deadline 12s
// --request-timeout 5s against a shared target, whose Serial specs start
// seconds in) lost its children to "bad usage" (exit 2). Here what is left
// is under the request timeout from the start, and long enough for a full
// run on a loaded machine: a 5 s deadline made the test fail when -race
// and the other tests' runs slowed the specs past it.
func TestProcsDeadlineCloseToTheRequestTimeout(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, nil, "--procs", "4", "--request-timeout", "60s", "--deadline", "60010ms")
	wantExit(t, r, runner.ExitPassed, "kconform run")
	if strings.Contains(r.output, "bad usage") {
		t.Errorf("a child refused its flags:\n%s", lastOutput(r.output))
	}
}

// TestProcsInterruptedSaysSoAndExits130: SIGINT to a parallel run stops
// every child and ends as one process does: exit 130, kconform's line
// last, no Go stacks.
func TestProcsInterruptedSaysSoAndExits130(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// callback-missing: the callback specs wait seconds for calls that
	// never come, so the run is under way when the signal comes.
	cmd := childCommand(t.Context(), dir, nil, "--no-color", "--procs", "4", "--mock-faults", "callback-missing")
	// The run's temporary folder is in tmp, so the test sees when the
	// children start: the signal comes then, on a loaded machine too.
	tmp := filepath.Join(dir, "tmp")
	must(t, os.Mkdir(tmp, 0o700))
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	must(t, cmd.Start())
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if shards, _ := filepath.Glob(filepath.Join(tmp, "kconform-run-*", "shard-*")); len(shards) > 0 {
			break
		}
	}
	time.Sleep(time.Second) // the children are under way
	_ = cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Wait()
	code, err := os.ReadFile(filepath.Join(dir, "exit"))
	if err != nil {
		t.Fatalf("no exit code (%v):\n%s", err, lastOutput(out.String()))
	}
	if got, _ := strconv.Atoi(string(code)); got != runner.ExitInterrupted {
		t.Errorf("exit %d, want %d:\n%s", got, runner.ExitInterrupted, lastOutput(out.String()))
	}
	lines := strings.Split(strings.TrimSpace(runOutput(out.String())), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "kconform run: interrupted by SIGINT") {
		t.Errorf("the last line is %q, want kconform's: interrupted by SIGINT", last)
	}
	if o := out.String(); strings.Contains(o, "goroutine ") || goAddress.MatchString(o) {
		t.Errorf("the output of an interrupted run shows Go stacks or addresses:\n%s", o)
	}
}
