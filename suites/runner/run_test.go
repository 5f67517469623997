package runner

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/parallel"
	"github.com/kconform/kconform/internal/runfiles"
	"github.com/kconform/kconform/internal/target"
)

// suiteReport is a report of two rules: one passed, one in the state the
// run left it in.
func suiteReport(second types.SpecState) *types.Report {
	it := func(text string, state types.SpecState) types.SpecReport {
		return types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: text, State: state, RunTime: time.Millisecond}
	}
	return &types.Report{SuiteDescription: SuiteName, SpecReports: types.SpecReports{
		it("MUST answer a read", types.SpecStatePassed), it("MUST call back", second),
	}}
}

// TestFinishExitCodesAndLastWords: the exit code follows the verdict and
// the signal that stopped the run; the summary comes first on stdout and,
// after a signal, kconform's line on stderr is the last word, counting the
// rule under way as not run.
func TestFinishExitCodesAndLastWords(t *testing.T) {
	for _, c := range []struct {
		name    string
		state   types.SpecState
		passed  bool
		sig     os.Signal
		want    int
		lastErr string
	}{
		{"passed", types.SpecStatePassed, true, nil, ExitPassed, ""},
		{"failed", types.SpecStateFailed, false, nil, ExitFailed, ""},
		{"SIGINT", types.SpecStateInterrupted, false, os.Interrupt, ExitInterrupted,
			`kconform run: interrupted by SIGINT (Ginkgo's "Interrupted by User"): 1 selected rule(s) not run, not judged`},
		{"SIGTERM", types.SpecStateInterrupted, false, syscall.SIGTERM, ExitTerminated, "kconform run: interrupted by SIGTERM"},
	} {
		t.Run(c.name, func(t *testing.T) {
			outputs, err := runfiles.Open(target.RunConfig{}, nil, "v-test")
			if err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := finish(suiteReport(c.state), c.passed, c.sig, exchange.NewScrubber(), nil, outputs, &stdout, &stderr)
			if code != c.want {
				t.Errorf("exit %d, want %d", code, c.want)
			}
			if !strings.HasPrefix(stdout.String(), "kconform: ") {
				t.Errorf("stdout does not start with the summary:\n%s", stdout.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, c.lastErr) || (c.lastErr == "") != (stderr.Len() == 0) {
				t.Errorf("stderr ends %q, want %q", last, c.lastErr)
			}
		})
	}
}

// TestFinishFailsWhenAnOutputCannotBeWritten: a run whose report cannot
// be written fails, saying which, even when every spec passed.
func TestFinishFailsWhenAnOutputCannotBeWritten(t *testing.T) {
	outputs, err := runfiles.Open(target.RunConfig{ReportJSON: filepath.Join(t.TempDir(), "report.json")}, nil, "v-test")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := finish(nil, true, nil, exchange.NewScrubber(), nil, outputs, &stdout, &stderr); code != ExitFailed ||
		stderr.String() != "kconform run: no conformance report: the suites produced no result\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestFinishScrubsTheSummary: what a spec's failure echoed of the
// credentials never reaches the summary.
func TestFinishScrubsTheSummary(t *testing.T) {
	const password = "kconform-finish-test-password"
	r := suiteReport(types.SpecStateFailed)
	r.SpecReports[1].Failure.Message = "the target said " + password
	outputs, _ := runfiles.Open(target.RunConfig{}, nil, "v-test")
	var stdout, stderr bytes.Buffer
	finish(r, false, nil, exchange.NewScrubber(password), nil, outputs, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "the target said") || strings.Contains(stdout.String()+stderr.String(), password) {
		t.Errorf("the summary shows the password, or not the failure:\n%s", stdout.String())
	}
}

// TestPrintHeaderSaysHowTheSpecsAreSpread: the parallel header names the
// processes, the Serial phase of a shared target, and each note once. The
// Serial specs were counted twice ("167 of 167 specs in 4 processes ...
// then 7 Serial"): they are among the selected.
func TestPrintHeaderSaysHowTheSpecsAreSpread(t *testing.T) {
	preview := types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 5}}
	for range 4 {
		preview.SpecReports = append(preview.SpecReports, types.SpecReport{LeafNodeType: types.NodeTypeIt, State: types.SpecStatePassed})
	}
	p := plan{preview: preview, shards: []parallel.Shard{{Specs: []string{"a", "b"}}, {Specs: []string{"c"}}, {Serial: true, Specs: []string{"d"}}}}
	shared, _ := url.Parse("http://127.0.0.1:8080")
	cfg := target.RunConfig{Target: shared, Procs: 4, Notes: []string{"in the header", "not in the header"}}
	var out bytes.Buffer
	printHeader(&out, "kconform run: header\n  note: in the header", cfg, p)
	want := "kconform run: header\n  note: in the header\n  note: not in the header\n" +
		"  processes:    4 of 5 specs: 3 in 2 processes (--procs 4), each with its own callback and return receivers\n" +
		"                then 1 Serial spec(s) in one process alone: they move the target's clock, which every process shares\n"
	if out.String() != want {
		t.Errorf("header:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestIndentIndentsEveryLine(t *testing.T) {
	if got := indent("a\nb"); got != "  a\n  b" {
		t.Errorf("%q", got)
	}
}

// TestASignalBeforeTheSpecsEndsTheRun: a SIGINT or SIGTERM that comes
// while the run prepares (Ginkgo's spec preview would swallow it) ends the
// run before its specs, saying so last, with the signal's exit code.
func TestASignalBeforeTheSpecsEndsTheRun(t *testing.T) {
	cfg, err := target.Load(nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	signals := make(chan os.Signal, 1)
	signals <- syscall.SIGTERM
	var out bytes.Buffer
	code := runSpecs(Invocation{Start: time.Now(), Config: cfg, Version: "v-test", Stdout: &out, Stderr: &out}, nil, signals)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if code != ExitTerminated || lines[len(lines)-1] != "kconform run: interrupted by SIGTERM before the specs: no rule was run or judged" {
		t.Errorf("exit %d, want %d; output:\n%s", code, ExitTerminated, out.String())
	}
}
