package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/brokentarget"
	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/internal/outfile"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/suites/framework"
	"github.com/kconform/kconform/suites/runner"
)

func TestRunBadUsageExits2NamingTheFlag(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want []string
	}{
		{[]string{"--request-timeout", "abc"}, nil, []string{`--request-timeout "abc" is not a duration`}},
		{nil, map[string]string{"KCONFORM_DEADLINE": "-3s"}, []string{`KCONFORM_DEADLINE="-3s" must be positive`}},
		{[]string{"--target", "https://api.klarna.com"}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"production host", "--allow-production"}},
		{[]string{"--target", "https://api.kustom.co"}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"api.kustom.co is a Kustom production host", "--allow-production"}},
		{[]string{"--target", "https://api-eu.kustom.co."}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"api-eu.kustom.co is a Kustom production host", "--allow-production"}},
		{[]string{"--target", "https://API-XX.klarna.com:443"}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"api-xx.klarna.com is a Klarna production host", "--allow-production"}},
		{[]string{"--target", "https://api.playground.klarna.com"}, nil, []string{"KCONFORM_USERNAME is required", "KCONFORM_PASSWORD is required"}},
		{[]string{"--label-filter", "hpp && clok"}, nil, []string{`unknown label(s) clok`}},
		{[]string{"--mock-faults", "no-such-fault"}, nil, []string{`unknown fault "no-such-fault"`}},
		{[]string{"--no-such-flag"}, nil, []string{"no-such-flag"}},
		{[]string{"--record", "/no/such/folder/run.har"}, nil, []string{`--record "/no/such/folder/run.har"`, "does not exist"}},
		{[]string{"--record=" + os.TempDir()}, nil, []string{`--record "` + os.TempDir() + `"`, "is a folder"}},
		{[]string{"--record"}, nil, []string{"--record needs a value"}},
		{[]string{"--nosuch"}, nil, []string{"unknown flag --nosuch"}},
		{[]string{"--record="}, nil, []string{"--record needs a file name"}},
		{[]string{"--report", "/no/such/folder/r.md"}, nil, []string{`--report "/no/such/folder/r.md"`, "does not exist"}},
		{[]string{"--report-json", os.TempDir()}, nil, []string{`--report-json "` + os.TempDir() + `"`, "is a folder"}},
		{[]string{"--report", "out.md", "--report-json", "./out.md"}, nil, []string{`--report and --report-json name the same file "./out.md"`}},
		{[]string{"--junit-report", "x.xml", "--record", "x.xml"}, nil, []string{`--junit-report and --record name the same file`}},
		{[]string{"--request-timeout", "1s", "--deadline", "x", "--focus", "("}, nil, []string{`--deadline "x"`, `--focus "("`}},
		{[]string{"--consumer", "robot"}, nil, []string{`--consumer "robot" is not a consumer driver`, "http, browser, manual, none"}},
		{[]string{"--profile", "/no/such/profile.yaml"}, nil, []string{`--profile "/no/such/profile.yaml"`, "no such file"}},
		{[]string{"--return-url", "https://tunnel.example"}, nil, []string{"--return-url needs --return-listen"}},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := runSuites(c.args, func(k string) string { return c.env[k] }, &stdout, &stderr)
		if code != runner.ExitBadUsage {
			t.Errorf("%q: exit %d, want %d (stderr %s)", c.args, code, runner.ExitBadUsage, stderr.String())
		}
		for _, w := range c.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%q: stderr lacks %q:\n%s", c.args, w, stderr.String())
			}
		}
		if strings.Contains(stderr.String()+stdout.String(), "hunter2") {
			t.Errorf("%q: the password was printed", c.args)
		}
	}
	var stdout bytes.Buffer
	if code := runSuites([]string{"-h"}, func(string) string { return "" }, &stdout, &stdout); code != runner.ExitPassed || !strings.Contains(stdout.String(), "--target") && !strings.Contains(stdout.String(), "-target") {
		t.Errorf("-h: exit %d, output:\n%s", code, stdout.String())
	}
}

// TestRunBuiltInMock is `kconform run` with no target: every spec runs
// against the in-process mock and passes; the summary closes the output.
func TestRunBuiltInMock(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, nil)
	wantExit(t, r, runner.ExitPassed, "kconform run")
	// The only rules not checked are the hosted-KCO ones (kco_test.go).
	if !strings.Contains(r.output, "rules judged on this target: ") || !strings.Contains(r.output, " hold, 0 broken, 0 blocked, ") ||
		strings.Count(r.output, " × ") != 1 || !strings.Contains(r.output, " × only with --payment-provider kco: ") {
		t.Errorf("the summary should say every rule holds but the hosted-KCO ones:\n%s", lastOutput(r.output))
	}
}

// TestRunSkipsWhatTheTargetCannotDo runs against a target that hides the
// control plane (like Klarna): the consumer, clock and their callback specs
// are skipped with grouped reasons, everything else passes, exit 0. The
// target's password must appear nowhere, reports included.
func TestRunSkipsWhatTheTargetCannotDo(t *testing.T) {
	t.Parallel()
	const password = "s3cret-kconform-test-password"
	hidden := front(t, mockProxy(t, password), "/_kconform/")

	dir := t.TempDir()
	junit, md, js := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.md"), filepath.Join(dir, "report.json")
	r := runChild(t, 2*time.Minute, merchant(password),
		"--target", hidden.URL, "--junit-report", junit, "--report", md, "--report-json", js, "--request-timeout", "5s",
		"--callback-timeout", "200ms", "--callback-retry-delay", "50ms")
	if r.exit != runner.ExitPassed {
		t.Fatalf("exit %d, want 0 (skips are not failures):\n%s", r.exit, lastOutput(r.output))
	}
	if i := strings.Index(r.output, "kconform: "); i >= 0 {
		t.Logf("summary against a target without control plane:\n%s", r.output[i:])
	}
	for _, want := range []string{"× needs the consumer page", "× needs a movable clock", "capabilities: none", "not-checkable, by reason:"} {
		if !strings.Contains(r.output, want) {
			t.Errorf("output lacks %q:\n%s", want, lastOutput(r.output))
		}
	}
	junitXML, _ := os.ReadFile(junit)
	report, _ := json.Marshal(r.report)
	markdown, _ := os.ReadFile(md)
	conformance := readRunReport(t, js)
	if conformance.Counts.NotCheckable == 0 || conformance.Counts.Broken != 0 || conformance.Counts.Blocked != 0 || !strings.Contains(string(markdown), "not-checkable | ") {
		t.Errorf("the conformance report should show the skipped rules as not checkable and none broken: %+v", conformance.Counts)
	}
	// Coverage speaks of this target, not of the built-in mock's limits.
	if strings.Contains(string(markdown), "known limit") || !strings.Contains(string(markdown), "this target never answered") {
		t.Errorf("the coverage of another target explains gaps by the built-in mock's limits")
	}
	conformanceJSON, _ := os.ReadFile(js)
	basic := base64.StdEncoding.EncodeToString([]byte("merchant:" + password))
	for name, text := range map[string]string{"output": r.output, "junit": string(junitXML), "json report": string(report),
		"conformance report": string(markdown), "conformance report (JSON)": string(conformanceJSON)} {
		if strings.Contains(text, password) || strings.Contains(text, basic) {
			t.Errorf("the password appears in the %s", name)
		}
	}
}

// TestRunHostileTargets: a target that hangs or resets connections ends the
// run at the probe, before any spec (so the run is in this process), with
// one line that says what happened; one that answers garbage fails its
// specs saying so (TestRunGarbageTarget). Exit 1, no panic.
func TestRunHostileTargets(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: the server notices a client going away only
		// once the request body is consumed.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	t.Cleanup(hang.Close)
	hostile(t, "hanging", hang.URL, "did not answer within 300ms", false, runInProcess)
	hostile(t, "resetting", brokentarget.Resetting(t), "connection", false, runInProcess)
}

// TestRunGarbageTarget: see TestRunHostileTargets.
func TestRunGarbageTarget(t *testing.T) {
	t.Parallel()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("<html>\x00\xff definitely not json"))
	}))
	t.Cleanup(garbage.Close)
	hostile(t, "garbage", garbage.URL, "body.malformed-json", true, func(t *testing.T, env map[string]string, args ...string) childRun {
		return runChild(t, time.Minute, env, args...)
	})
}

// hostile runs against the hostile target at url with run: exit 1, output
// saying want, no panic; failed specs when specs is set (the others stop
// at the probe).
func hostile(t *testing.T, name, url, want string, specs bool, run func(t *testing.T, env map[string]string, args ...string) childRun) {
	t.Run(name, func(t *testing.T) {
		r := run(t, nil, "--target", url, "--request-timeout", "300ms", "--deadline", "40s", "--label-filter", "kp || distribution")
		wantExit(t, r, runner.ExitFailed, "kconform run")
		if !strings.Contains(r.output, want) {
			t.Errorf("output does not say what happened (%q):\n%s", want, lastOutput(r.output))
		}
		if strings.Contains(r.output, "[PANICKED]") || strings.Contains(r.output, "panic:") {
			t.Errorf("a spec panicked:\n%s", lastOutput(r.output))
		}
		if got := len(r.failures()) > 0; got != specs {
			t.Errorf("failed specs in the report: %v, want %v (the probe stops a target that does not answer)", got, specs)
		}
		t.Logf("%s target: %d failed specs in %s", name, len(r.failures()), r.elapsed.Round(time.Millisecond))
	})
}

// The fault matrix is a table in docs/fault-matrix.md, the faults a table
// in internal/mock/CONTROL.md, each between two markers.
const (
	faultMatrixFile    = "../../docs/fault-matrix.md"
	faultMatrixBegin   = "<!-- fault-matrix: written by `go test ./cmd/kconform -run TestFaultMatrix -update-fault-matrix`; edits here are lost -->"
	faultMatrixEnd     = "<!-- /fault-matrix -->"
	controlFile        = "../../internal/mock/CONTROL.md"
	controlFaultsBegin = "<!-- faults: written by `go test ./cmd/kconform -run TestFaultMatrix -update-fault-matrix` from the catalogue in faults.go; edits here are lost -->"
	controlFaultsEnd   = "<!-- /faults -->"
)

// TestFaultMatrix proves the suites catch every fault of the mock, as
// the specs declare it (framework.Catches): for each fault, a run with the
// fault switched on and only its declaring specs focused exits 1, and each
// of those specs fails with the message its declaration names. The runs
// go in this one process, one after another (startChild).
func TestFaultMatrix(t *testing.T) {
	proveFaults(t, faultRuns(t, ""))
}

// TestFaultMatrixInParallel proves, for a few faults, that a run split
// into processes (--procs, as against a remote target) catches them as
// one process does: a fault of a plain spec, one of an Ordered container
// (the status callbacks) and one of a Serial clock spec.
func TestFaultMatrixInParallel(t *testing.T) {
	var runs []faultRun
	for _, fr := range faultRuns(t, "") {
		switch fr.fault {
		case mock.FaultHPPCreateWrongStatus, mock.FaultCallbackEventIDChanges, mock.FaultTokenNeverExpires:
			fr.procs = target.DefaultProcs
			runs = append(runs, fr)
		}
	}
	if len(runs) != 3 {
		t.Fatalf("%d of the 3 sample faults have a run", len(runs))
	}
	proveFaults(t, runs)
}

// faultRun is one run of a fault matrix: fault on, with --payment-provider
// provider ("" for the default), focused on the specs that declare it.
type faultRun struct {
	fault    mock.FaultID
	provider string
	catches  []framework.Catch
	procs    int // --procs, 0 for the default (one process for the built-in mock)
}

// faultRuns derives a matrix from the suites' declarations. With provider
// "" (the default, kp) every fault gets a run: with its declarations for
// either provider or kp, else with those for kco (a fault only a KCO order
// shows). With a provider, the faults it can see: declarations for either
// provider or that one.
func faultRuns(t *testing.T, provider string) []faultRun {
	t.Helper()
	tree := runner.PreviewSpecs()
	must(t, framework.CheckSpecs(tree))
	byFault := map[mock.FaultID][]framework.Catch{}
	for _, c := range framework.DeclaredCatches(tree) {
		byFault[c.Fault] = append(byFault[c.Fault], c)
	}
	var runs []faultRun
	for _, f := range mock.Faults() {
		pick := func(p string) []framework.Catch {
			var out []framework.Catch
			for _, c := range byFault[f] {
				if c.Provider == "" || c.Provider == p {
					out = append(out, c)
				}
			}
			return out
		}
		switch {
		case provider != "":
			if cs := pick(provider); len(cs) > 0 {
				runs = append(runs, faultRun{fault: f, provider: provider, catches: cs})
			}
		case len(pick(target.ProviderKP)) > 0:
			runs = append(runs, faultRun{fault: f, catches: pick(target.ProviderKP)})
		case len(pick(target.ProviderKCO)) > 0:
			runs = append(runs, faultRun{fault: f, provider: target.ProviderKCO, catches: pick(target.ProviderKCO)})
		default:
			t.Errorf("no spec declares it catches fault %q: decorate the spec that fails under it with framework.Catches", f)
		}
	}
	return runs
}

// args are the flags of the run: the fault, the provider, one --focus per
// declaring spec (its whole name, so that no other spec runs; Ginkgo
// matches focus against the suite's name and the spec's).
func (fr faultRun) args(dir string) []string {
	args := []string{"--mock-faults", fr.fault.String(), "--report-json", filepath.Join(dir, "conformance.json")}
	if fr.procs > 0 {
		args = append(args, "--procs", strconv.Itoa(fr.procs))
	}
	if fr.provider != "" {
		args = append(args, "--payment-provider", fr.provider)
	}
	for _, c := range fr.catches {
		args = append(args, "--focus", "^"+regexp.QuoteMeta(runner.SuiteName+" "+c.Spec)+"$")
	}
	return args
}

// proveFaults starts every run, then judges each one.
func proveFaults(t *testing.T, runs []faultRun) {
	t.Helper()
	// All are started at once and checked one by one after: runs in this
	// process queue for it, runs with --procs (their children) overlap.
	type result struct {
		run childRun
		err error
	}
	results := make([]result, len(runs))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, fr := range runs {
		dir := t.TempDir()
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			// One process: the runs without --procs wait their turn in
			// this one instead of going to child processes.
			r, err := startRun(t.Context(), dir, 2*time.Minute, nil, true, fr.args(dir)...)
			results[i] = result{r, err}
		})
	}
	wg.Wait()
	for i, fr := range runs {
		t.Run(fr.fault.String(), func(t *testing.T) {
			judgeFaultRun(t, fr, results[i].run, results[i].err)
		})
	}
}

// judgeFaultRun checks one fault's run: exit 1, every declaring spec
// failed saying what its declaration names, and the report judges each
// of their rules broken.
func judgeFaultRun(t *testing.T, fr faultRun, r childRun, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if r.exit != runner.ExitFailed {
		t.Fatalf("with %s on, kconform run exited %d, want 1:\n%s", fr.fault, r.exit, lastOutput(r.output))
	}
	failed := r.failures()
	rep := readRunReport(t, filepath.Join(r.dir, "conformance.json"))
	for _, c := range fr.catches {
		msg, ok := failed[c.Spec]
		if !ok {
			t.Errorf("with %s on, %q (%s) did not fail; failed: %q", fr.fault, c.Spec, c.Where, slices.Sorted(maps.Keys(failed)))
			continue
		}
		if !strings.Contains(msg, c.Needle) {
			t.Errorf("with %s on, %q failed without saying %q (its Catches declaration, %s):\n%s", fr.fault, c.Spec, c.Needle, c.Where, msg)
		}
		// The conformance report judges the rule by its subject: the
		// fault must break it, not block it or leave it holding.
		if i := slices.IndexFunc(rep.Rules, func(rule runreport.Rule) bool { return rule.Rule == c.Spec }); i < 0 || rep.Rules[i].Verdict != runreport.Broken {
			t.Errorf("with %s on, the report does not judge %q broken", fr.fault, c.Spec)
		}
	}
}

// TestFaultMatrixTables keeps the tables of faults in the documents in step
// with the mock's catalogue and the specs' declarations: the fault matrix
// in docs/fault-matrix.md, the list of faults in internal/mock/CONTROL.md.
// -update-fault-matrix rewrites them.
func TestFaultMatrixTables(t *testing.T) {
	tree := runner.PreviewSpecs()
	must(t, framework.CheckSpecs(tree))
	matrix := "| fault | rule it breaks | spec that catches it | its failure says | provider |\n|---|---|---|---|---|\n"
	catches := framework.DeclaredCatches(tree)
	for _, f := range mock.Faults() {
		for _, c := range catches {
			if c.Fault != f {
				continue
			}
			provider := "either"
			if c.Provider != "" {
				provider = c.Provider
			}
			matrix += fmt.Sprintf("| `%s` | %s | %s | `%s` | %s |\n", f, cell(f.Fault().Rule), cell(c.Spec), cell(c.Needle), provider)
		}
	}
	control := "| name | what the mock does | rule it breaks |\n|---|---|---|\n"
	for _, f := range mock.FaultNames() {
		control += fmt.Sprintf("| %s | %s | %s |\n", f.Name, cell(f.Description), cell(f.Rule))
	}
	for _, d := range []struct{ file, begin, end, table string }{
		{faultMatrixFile, faultMatrixBegin, faultMatrixEnd, matrix},
		{controlFile, controlFaultsBegin, controlFaultsEnd, control},
	} {
		if err := syncTable(d.file, d.begin, d.end, d.table, *updateFaultMatrix); err != nil {
			t.Error(err)
		}
	}
}

// cell escapes what would break a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// syncTable checks (or, with update, rewrites) the text of file between
// the lines begin and end.
func syncTable(file, begin, end, table string, update bool) error {
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	before, rest, ok := strings.Cut(string(doc), begin+"\n")
	have, after, ok2 := strings.Cut(rest, end)
	if !ok || !ok2 {
		return fmt.Errorf("%s lacks the markers %q … %q around the table", file, begin, end)
	}
	if update {
		return outfile.WriteFile(file, []byte(before+begin+"\n"+table+end+after))
	}
	if have != table {
		return fmt.Errorf("%s is stale (run go test ./cmd/kconform -run TestFaultMatrixTables -update-fault-matrix):\n%s", file, firstDiff(have, table))
	}
	return nil
}

// firstDiff shows the first line where two tables differ.
func firstDiff(have, want string) string {
	h, w := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := range max(len(h), len(w)) {
		var hl, wl string
		if i < len(h) {
			hl = h[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if hl != wl {
			return fmt.Sprintf("line %d is\n  %s\nthe declarations say\n  %s", i+1, hl, wl)
		}
	}
	return ""
}
