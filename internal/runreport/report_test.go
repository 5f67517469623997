package runreport

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/coverage"
	"github.com/kconform/kconform/internal/labels"
)

var update = flag.Bool("update", false, "rewrite testdata/report.md from the current writer")

// spec builds the report of one It: containers (text and labels, outermost
// first), the leaf, its end state and failure message.
func spec(containers []string, containerLabels [][]string, leaf string, state types.SpecState, msg string, entries ...types.ReportEntry) types.SpecReport {
	return types.SpecReport{
		LeafNodeType:             types.NodeTypeIt,
		ContainerHierarchyTexts:  containers,
		ContainerHierarchyLabels: containerLabels,
		LeafNodeText:             leaf,
		LeafNodeLocation:         types.CodeLocation{FileName: "/home/ci/kconform/suites/conformance/x.go", LineNumber: 7},
		State:                    state,
		Failure:                  types.Failure{Message: msg},
		ReportEntries:            entries,
		RunTime:                  time.Millisecond,
	}
}

// evidence is the framework's judgement of a broken rule with ev.
func evidence(ev Evidence) types.ReportEntry {
	return types.ReportEntry{Name: JudgementEntry, Value: types.WrapEntryValue(Judgement{Verdict: Broken, Evidence: &ev})}
}

// sample is a run with every kind of outcome, in a scrambled area order.
// Two rules carry their evidence class: a documented one that holds and an
// assumption that is not checkable.
func sample() types.Report {
	hppErr := [][]string{{labels.Errors}}
	r := types.Report{
		PreRunStats: types.PreRunStats{TotalSpecs: 8, SpecsThatWillRun: 7},
		SpecReports: []types.SpecReport{
			{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed}, // not a rule
			spec([]string{"KP lifecycle"}, [][]string{{labels.KP, labels.Lifecycle}}, "MUST read back", types.SpecStatePassed, ""),
			spec([]string{"Errors", "auth"}, hppErr, "MUST answer 401 | with a pipe", types.SpecStateFailed, "Expected\n    <int>: 200\nto equal\n    <int>: 401",
				evidence(Evidence{Exchange: "api GET http://h/hpp/v1/sessions/x → 200 (getSessionById)", Violation: "Expected <int>: 200 to equal <int>: 401"})),
			spec([]string{"HPP lifecycle"}, [][]string{{labels.HPP, labels.Lifecycle}}, "MUST go WAITING → IN_PROGRESS", types.SpecStateSkipped,
				"needs the consumer page (label \"consumer\"): the target does not offer one"),
			spec([]string{"HPP lifecycle"}, [][]string{{labels.HPP, labels.Lifecycle}}, "MUST stay DISABLED", types.SpecStateFailed, "boom", evidence(Evidence{Violation: "status went back"})),
			spec([]string{"Callbacks"}, [][]string{{labels.HPP, labels.Callbacks}}, "MUST call back", types.SpecStateSkipped, ""),
			spec([]string{"Errors"}, [][]string{{labels.Errors}}, "MUST refuse non-JSON", types.SpecStateFailed, "Expected 400", func() types.ReportEntry {
				return types.ReportEntry{Name: "unrelated"}
			}()),
			spec([]string{"Errors"}, [][]string{{labels.Errors}}, "MUST be interrupted", types.SpecStateInterrupted, "interrupted by user"),
		},
	}
	r.SpecReports[1].LeafNodeLabels = []string{labels.Documented, labels.Cites + "S2", labels.Cites + "D-kperr"}
	r.SpecReports[3].LeafNodeLabels = []string{labels.Assumption, labels.Cites + "A-x"}
	return r
}

func TestRulesVerdictsAreasAndEvidence(t *testing.T) {
	r := sample()
	r.SpecReports[6].LeafNodeLabels = []string{labels.KP, labels.Assumption}
	rules := Rules(r)
	if len(rules) != 7 {
		t.Fatalf("got %d rules, want 7 (one per It)", len(rules))
	}
	want := []struct {
		area    string
		rule    string
		verdict Verdict
		why     string
	}{
		{labels.Lifecycle, "HPP lifecycle MUST go WAITING → IN_PROGRESS", NotCheckable, "needs the consumer page"},
		{labels.Lifecycle, "HPP lifecycle MUST stay DISABLED", Broken, ""},
		{labels.Errors, "Errors auth MUST answer 401 | with a pipe", Broken, ""},
		{labels.Errors, "Errors MUST be interrupted", NotRun, whyInterrupted},
		{labels.Callbacks, "Callbacks MUST call back", NotRun, whyNotSelected},
		{labels.KP, "KP lifecycle MUST read back", Holds, ""},
		{labels.KP, "Errors MUST refuse non-JSON", Broken, assumptionNote},
	}
	for i, w := range want {
		got := rules[i]
		if got.Area != w.area || got.Rule != w.rule || got.Verdict != w.verdict || !strings.Contains(got.Why, w.why) {
			t.Errorf("rule %d = {%s %q %s %q}, want {%s %q %s ~%q}", i, got.Area, got.Rule, got.Verdict, got.Why, w.area, w.rule, w.verdict, w.why)
		}
		if (got.Verdict == Broken) != (got.Evidence != nil) {
			t.Errorf("rule %q: verdict %s with evidence %v: a broken rule, and only a broken rule, has evidence", got.Rule, got.Verdict, got.Evidence)
		}
		if got.Spec != "suites/conformance/x.go:7" {
			t.Errorf("rule %q: spec %q, want the path relative to the module", got.Rule, got.Spec)
		}
	}
	if e := rules[2].Evidence; e.Exchange == "" || !strings.Contains(e.Violation, "to equal <int>: 401") {
		t.Errorf("the evidence the framework attached is not used: %+v", e)
	}
	if e := rules[6].Evidence; e.Exchange != "" || e.Violation != "Expected 400" || e.Kind != KindExpectation {
		t.Errorf("a failure without attached evidence shows its message: %+v", e)
	}

	// The evidence class comes from the labels; citations leave the labels.
	if got := rules[5]; got.Class != labels.Documented || got.Assumption || strings.Join(got.Cites, " ") != "S2 D-kperr" || strings.Join(got.Labels, " ") != "kp lifecycle documented" {
		t.Errorf("documented rule: class %q, assumption %v, cites %v, labels %v", got.Class, got.Assumption, got.Cites, got.Labels)
	}
	if got := rules[0]; got.Class != labels.Assumption || !got.Assumption || strings.Join(got.Cites, " ") != "A-x" {
		t.Errorf("assumption rule: class %q, assumption %v, cites %v", got.Class, got.Assumption, got.Cites)
	}
	if got := rules[2]; got.Class != "" || got.Cites != nil {
		t.Errorf("a rule without citations got class %q, cites %v", got.Class, got.Cites)
	}
}

// TestUnrunSpecsOfAnEndedRun: when nothing was filtered out but the run
// ended early, an unrun spec was not reached, not "not selected".
func TestUnrunSpecsOfAnEndedRun(t *testing.T) {
	r := types.Report{
		PreRunStats:                types.PreRunStats{TotalSpecs: 1, SpecsThatWillRun: 1},
		SpecialSuiteFailureReasons: []string{"Suite Timeout Elapsed"},
		SpecReports:                []types.SpecReport{spec([]string{"Errors"}, [][]string{{labels.Errors}}, "MUST x", types.SpecStateSkipped, "")},
	}
	r.SpecReports[0].RunTime = 0
	got := Rules(r)[0]
	if got.Verdict != NotRun || !strings.Contains(got.Why, "Suite Timeout Elapsed") {
		t.Errorf("got %s %q, want not-run naming the suite timeout", got.Verdict, got.Why)
	}
}

// The spec under way when the run's --deadline (Ginkgo's suite timeout)
// elapsed is not run, not broken: the run's limit, not the target's. A
// spec's own timeout is still the target's (too slow for the rule).
func TestSuiteTimeoutIsNotTheTargets(t *testing.T) {
	r := types.Report{
		PreRunStats:                types.PreRunStats{TotalSpecs: 2, SpecsThatWillRun: 2},
		SpecialSuiteFailureReasons: []string{"Suite Timeout Elapsed"},
		SpecReports: []types.SpecReport{
			spec([]string{"Callbacks"}, [][]string{{labels.Callbacks}}, "MUST call back", types.SpecStateTimedout, "A suite timeout occurred"),
			spec([]string{"Callbacks"}, [][]string{{labels.Callbacks}}, "MUST call back soon", types.SpecStateTimedout, "A spec timeout occurred"),
		},
	}
	rep := New(r, "", "", "", nil)
	byName := map[string]Rule{}
	for _, rule := range rep.Rules {
		byName[rule.Rule[strings.Index(rule.Rule, "MUST"):]] = rule
	}
	if len(byName) != 2 {
		t.Fatalf("rules %+v", rep.Rules)
	}
	if got := byName["MUST call back"]; got.Verdict != NotRun || got.Why != "not run: the run's --deadline ran out while it ran" {
		t.Errorf("cut by the suite timeout: %s %q, want not-run", got.Verdict, got.Why)
	}
	if got := byName["MUST call back soon"]; got.Verdict != Broken {
		t.Errorf("its own timeout: %s, want broken", got.Verdict)
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.What, "suite timeout") {
			t.Errorf("a finding blames the target for the run's deadline: %+v", f)
		}
	}
}

func TestJSONUsesTheVerdictWords(t *testing.T) {
	rep := New(sample(), "v0.0.0-test", "http://127.0.0.1:4010", "", nil)
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Counts Counts
		Rules  []struct {
			Verdict  string
			Evidence *Evidence
			Class    string
			Cites    []string
		}
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("the JSON report does not parse: %v", err)
	}
	seen, classes := map[string]int{}, map[string]int{}
	for _, r := range back.Rules {
		seen[r.Verdict]++
		classes[r.Class+" "+strings.Join(r.Cites, ",")]++
	}
	if classes["documented S2,D-kperr"] != 1 || classes["assumption A-x"] != 1 {
		t.Errorf("evidence classes and citations in the JSON: %v", classes)
	}
	if seen["holds"] != 1 || seen["broken"] != 3 || seen["not-checkable"] != 1 || seen["not-run"] != 2 || len(seen) != 4 {
		t.Errorf("verdict words in the JSON: %v", seen)
	}
	if back.Counts != (Counts{Rules: 7, Judged: 5, Holds: 1, Broken: 3, NotCheckable: 1, NotRun: 2}) {
		t.Errorf("counts: %+v", back.Counts)
	}
}

// TestEvidenceFromAGinkgoJSONReport: read back from Ginkgo's JSON report,
// an entry's value is JSON only; the evidence still comes through.
func TestEvidenceFromAGinkgoJSONReport(t *testing.T) {
	b, err := json.Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	var back types.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules(back) {
		if r.Rule == "Errors auth MUST answer 401 | with a pipe" && (r.Evidence == nil || r.Evidence.Exchange == "") {
			t.Errorf("evidence lost through JSON: %+v", r.Evidence)
		}
	}
}

// TestMarkdownGolden pins the Markdown layout; -update rewrites it.
func TestMarkdownGolden(t *testing.T) {
	rep := New(sample(), "v0.0.0-test", "http://127.0.0.1:4010", `--label-filter "!callbacks"`, sampleCoverage())
	var b bytes.Buffer
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.md")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/runreport -update writes it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("the Markdown differs from %s (go test ./internal/runreport -update rewrites it after a deliberate change):\n%s", golden, b.String())
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "| ") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != strings.Count(tableHeaderFor(b.String(), line), "|") {
			t.Errorf("table row with a stray pipe: %s", line)
		}
	}
}

// tableHeaderFor is the header row of the table a row belongs to.
func tableHeaderFor(doc, row string) string {
	header := ""
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(line, "|") {
			header = ""
			continue
		}
		if header == "" {
			header = line
		}
		if line == row {
			return header
		}
	}
	return header
}

// errAfter fails every write after the first n bytes.
type errAfter struct{ n int }

func (e *errAfter) Write(p []byte) (int, error) {
	if e.n -= len(p); e.n < 0 {
		return 0, os.ErrClosed
	}
	return len(p), nil
}

func TestMarkdownReportsWriteErrors(t *testing.T) {
	if err := New(sample(), "v", "t", "", nil).WriteMarkdown(&errAfter{n: 100}); err == nil {
		t.Error("a failing writer gave no error")
	}
}

// sampleCoverage has an item of every kind: exercised, not exercised with
// and without a gap, not conforming, undocumented.
func sampleCoverage() *coverage.Coverage {
	return &coverage.Coverage{
		Responses: []coverage.Response{
			{API: "hpp", Operation: "getSessionById", Method: "GET", Path: "/hpp/v1/sessions/{id}", Status: 200, Documented: true, Seen: 12, Conforming: 12},
			{API: "hpp", Operation: "getSessionById", Method: "GET", Path: "/hpp/v1/sessions/{id}", Status: 404, Documented: true, Seen: 3, Conforming: 1},
			{API: "hpp", Operation: "getSessionById", Method: "GET", Path: "/hpp/v1/sessions/{id}", Status: 429, Documented: true, Gap: "no spec provokes rate limiting"},
			{API: "kp", Operation: "readCreditSession", Method: "GET", Path: "/payments/v1/sessions/{session_id}", Status: 500, Documented: true},
			{API: "hpp", Operation: "getSessionById", Method: "GET", Path: "/hpp/v1/sessions/{id}", Status: 418, Seen: 1},
		},
		Unrouted:    coverage.Tally{Seen: 2},
		Callbacks:   []coverage.Callback{{API: "hpp", Operation: "createHppSession", Name: "statusUpdate", Received: 4, Conforming: 3}},
		Transitions: []coverage.Transition{{From: "[*]", To: "WAITING", Documented: true, Seen: 5}, {From: "WAITING", To: "IN_PROGRESS", Documented: true, Gap: "no read between"}, {From: "COMPLETED", To: "WAITING", Seen: 1}},
		Terminal:    []string{"COMPLETED"}, SkippedChanges: 1,
		Placeholders: []coverage.Placeholder{{Name: "{{session_id}}", Fields: []string{"success", "back"}, Sent: 3, Substituted: 2}, {Name: "{{order_id}}", Fields: []string{"success"}, Condition: "place_order_mode PLACE_ORDER | CAPTURE_ORDER"}},
	}
}

func TestReadFileRoundTripAndErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	var b bytes.Buffer
	rep := New(sample(), "v", "t", "", sampleCoverage())
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Counts != rep.Counts || len(back.Rules) != len(rep.Rules) || back.Coverage == nil || len(back.Coverage.Responses) != len(rep.Coverage.Responses) {
		t.Errorf("the report did not come back whole: %+v", back.Counts)
	}
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte("{"), 0o644)
	if _, err := ReadFile(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("a broken file: %v, want an error naming it", err)
	}
}
