package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/coverage"
	"github.com/kconform/kconform/internal/labels"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/suites/runner"
)

// TestRunReportAgainstTheBuiltInMock: the conformance report of a run
// against the built-in mock shows every rule holding and covers everything
// the mock can produce; what it does not cover has its reason in
// internal/coverage's gap table, and no reason there is stale.
func TestRunReportAgainstTheBuiltInMock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	md, js := filepath.Join(dir, "report.md"), filepath.Join(dir, "report.json")
	r := runChild(t, 2*time.Minute, nil, "--report", md, "--report-json", js)
	wantExit(t, r, runner.ExitPassed, "kconform run")
	rep := readRunReport(t, js)
	// The hosted-KCO rules are skipped in a kp run (kco_test.go runs them).
	if rep.Counts.Rules == 0 || rep.Counts.Holds+rep.Counts.NotCheckable != rep.Counts.Rules {
		t.Errorf("every rule must hold against the built-in mock: %+v", rep.Counts)
	}
	assumptions := 0
	for _, rule := range rep.Rules {
		if rule.Verdict == runreport.NotCheckable && strings.HasPrefix(rule.Why, "only with --payment-provider kco") {
			continue
		}
		if rule.Verdict != runreport.Holds {
			t.Errorf("%s: %q (%s)", rule.Verdict, rule.Rule, rule.Why)
		}
		if rule.Class == "" || len(rule.Cites) == 0 || rule.Assumption != (rule.Class == labels.Assumption) {
			t.Errorf("%q: evidence class %q, cites %v, assumption %v: every rule carries its class and citations", rule.Rule, rule.Class, rule.Cites, rule.Assumption)
		}
		if rule.Assumption {
			assumptions++
		}
	}
	if assumptions == 0 {
		t.Error("no rule of the report is marked an assumption")
	}
	if rep.Coverage == nil {
		t.Fatal("the report has no coverage")
	}
	for _, item := range rep.Coverage.Uncovered() {
		t.Errorf("not exercised against the built-in mock, and no reason in internal/coverage/gaps.go: %s", item)
	}
	for _, item := range coverage.StaleGaps(*rep.Coverage) {
		t.Errorf("internal/coverage/gaps.go gives a reason for something the run did exercise (remove it): %s", item)
	}
	for _, resp := range rep.Coverage.Responses {
		if resp.Conforming != resp.Seen || !resp.Documented {
			t.Errorf("the mock answered %s %d off the contract: %+v", resp.Operation, resp.Status, resp)
		}
	}
	doc, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**0 finding(s)**; " + strconv.Itoa(rep.Counts.Rules) + " rules judged on this target: **" + strconv.Itoa(rep.Counts.Holds) + " hold, 0 broken, 0 blocked, " + strconv.Itoa(rep.Counts.NotCheckable) + " not checkable**",
		"```mermaid\nstateDiagram-v2", "## Coverage of the contract", "known limit: "} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("the Markdown report lacks %q", want)
		}
	}
}

// TestRunReportShowsABrokenRule: with a mock fault switched on, the rule
// the fault breaks is reported broken, with the exchange and the violation
// that show it, and the rest still hold.
func TestRunReportShowsABrokenRule(t *testing.T) {
	t.Parallel()
	js := filepath.Join(t.TempDir(), "report.json")
	r := runChild(t, 2*time.Minute, nil, "--report-json", js, "--mock-faults", "terminal-state-reopened", "--label-filter", labels.Lifecycle)
	wantExit(t, r, runner.ExitFailed, "kconform run")
	rep := readRunReport(t, js)
	const rule = "HPP session lifecycle in a terminal status MUST keep a CANCELLED session CANCELLED and refuse the consumer"
	found := false
	for _, got := range rep.Rules {
		switch {
		case got.Rule == rule:
			found = true
			if got.Verdict != runreport.Broken || got.Evidence == nil || !strings.Contains(got.Evidence.Exchange, "page GET") || !strings.Contains(got.Evidence.Violation, "MUST refuse the consumer") {
				t.Errorf("%q: want broken with the page exchange as evidence, got %s %+v", rule, got.Verdict, got.Evidence)
			}
		case got.Verdict == runreport.NotCheckable && !strings.HasPrefix(got.Why, "only with --payment-provider kco"):
			t.Errorf("%q is not checkable on the built-in mock: %s", got.Rule, got.Why)
		case got.Verdict == runreport.NotRun && !strings.Contains(got.Why, "not selected"):
			t.Errorf("%q was not run for a reason other than the label filter: %s", got.Rule, got.Why)
		}
	}
	if !found {
		t.Errorf("the report lacks %q", rule)
	}
	if rep.Counts.Broken == 0 || rep.Counts.Holds == 0 || rep.Counts.NotRun == 0 || rep.Counts.Judged+rep.Counts.NotRun != rep.Counts.Rules {
		t.Errorf("want broken, holding and filtered-out rules: %+v", rep.Counts)
	}
}

// TestRunReportShowsABrokenAssumption: a broken assumption rule is
// reported broken, marked an assumption in the JSON, and the Markdown says
// it is a finding, not a proven breach.
func TestRunReportShowsABrokenAssumption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	md, js := filepath.Join(dir, "report.md"), filepath.Join(dir, "report.json")
	r := runChild(t, 2*time.Minute, nil, "--report", md, "--report-json", js, "--mock-faults", "token-reusable", "--label-filter", "lifecycle && kp")
	wantExit(t, r, runner.ExitFailed, "kconform run")
	const rule = "KP session and authorization lifecycle with an authorization token from the hosted page MUST refuse a second order with the same authorization token with 403 INVALID_OPERATION"
	rep := readRunReport(t, js)
	var got *runreport.Rule
	for i := range rep.Rules {
		if rep.Rules[i].Rule == rule {
			got = &rep.Rules[i]
		}
	}
	if got == nil {
		t.Fatalf("the report lacks %q", rule)
	}
	if got.Verdict != runreport.Broken || got.Class != labels.Assumption || !got.Assumption || !slices.Contains(got.Cites, "A-second-order") || !strings.Contains(got.Why, "not a proven breach") {
		t.Errorf("want a broken assumption citing A-second-order, saying it is no proven breach; got %+v", *got)
	}
	doc, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(doc), "\n") {
		// The rule's row in the rule table (the findings list names it too).
		if !strings.HasPrefix(line, "| ") || !strings.Contains(line, "MUST refuse a second order") {
			continue
		}
		rows++
		if !strings.HasPrefix(line, "| ❌ broken |") || !strings.Contains(line, "a finding, not a proven breach") {
			t.Errorf("the Markdown row does not say the broken assumption is a finding: %s", line)
		}
	}
	if rows != 1 {
		t.Errorf("the rule table has %d rows for the rule, want 1", rows)
	}
}

func readRunReport(t *testing.T, path string) runreport.Report {
	t.Helper()
	rep, err := runreport.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
