package runreport

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/coverage"
)

// Report is the whole conformance report of one run.
type Report struct {
	// Kconform is the version that ran; Target is the API base URL (no
	// credentials) or "built-in mock".
	Kconform string `json:"kconform"`
	Target   string `json:"target"`
	// BuiltInMock is set when the target was kconform's own mock: only
	// then does the coverage explain gaps by the mock's known limits.
	BuiltInMock bool `json:"built_in_mock,omitempty"`
	// Filter is the run's spec selection, when it had one.
	Filter string `json:"filter,omitempty"`
	Counts Counts `json:"counts"`
	// Unserved are the operations whose routes the target does not serve
	// (the probe before the suites); coverage does not count them.
	Unserved []Unserved `json:"unserved,omitempty"`
	// Findings are the target's distinct defects, most impact first.
	Findings []Finding `json:"findings"`
	Rules    []Rule    `json:"rules"`
	// Coverage is what the run exercised of the contract; nil when the run
	// did not collect it.
	Coverage *coverage.Coverage `json:"coverage,omitempty"`
}

// Counts are the rules per verdict. Rules counts every rule of the suites;
// Judged leaves out the rules not run, which say nothing of the target.
type Counts struct {
	Rules  int `json:"rules"`
	Judged int `json:"judged"`
	Holds  int `json:"holds"`
	Broken int `json:"broken"`
	// FailedElsewhere is left out of the JSON at 0, as of the counts line.
	FailedElsewhere int `json:"failed_elsewhere,omitempty"`
	Blocked         int `json:"blocked"`
	NotCheckable    int `json:"not_checkable"`
	NotRun          int `json:"not_run"`
	// CleanupFailures counts rules whose clean-ups failed.
	CleanupFailures int `json:"cleanup_failures,omitempty"`
}

func (c *Counts) add(r Rule) {
	c.Rules++
	if r.Verdict != NotRun {
		c.Judged++
	}
	if len(r.Cleanup) > 0 {
		c.CleanupFailures++
	}
	switch r.Verdict {
	case Holds:
		c.Holds++
	case Broken:
		c.Broken++
	case FailedElsewhere:
		c.FailedElsewhere++
	case Blocked:
		c.Blocked++
	case NotCheckable:
		c.NotCheckable++
	case NotRun:
		c.NotRun++
	}
}

// New builds the report of a run from its Ginkgo report and, when the run
// collected it, its coverage.
func New(r types.Report, kconform, target, filter string, cov *coverage.Coverage) Report {
	rep := Report{Kconform: kconform, Target: target, Filter: filter, Rules: Rules(r), Coverage: cov}
	for _, rule := range rep.Rules {
		rep.Counts.add(rule)
	}
	rep.Findings = Findings(rep.Rules)
	return rep
}

// WithUnserved records the routes the target does not serve, each a
// finding ahead of the others.
func (r *Report) WithUnserved(unserved []Unserved) {
	r.Unserved = unserved
	r.Findings = append(routeFindings(unserved, r.Rules), r.Findings...)
}

// CutShort counts the rules the run meant to judge and did not: the one
// under way at an interrupt and those never reached. Not those the filters
// left out, nor pending ones.
func (r Report) CutShort() int {
	n := 0
	for _, rule := range r.Rules {
		if rule.Verdict == NotRun && strings.HasPrefix(rule.Why, cutShort) {
			n++
		}
	}
	return n
}

// CountsByArea are the counts of each area that has rules, in Areas order.
func (r Report) CountsByArea() ([]string, map[string]Counts) {
	counts := map[string]Counts{}
	var areas []string
	for _, rule := range r.Rules {
		c, seen := counts[rule.Area]
		if !seen {
			areas = append(areas, rule.Area)
		}
		c.add(rule)
		counts[rule.Area] = c
	}
	return areas, counts
}

// ReadFile reads a report WriteJSON wrote (tools and tests read the
// verdicts back).
func ReadFile(path string) (Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return Report{}, fmt.Errorf("conformance report %s: %w", path, err)
	}
	return rep, nil
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	if r.Findings == nil {
		r.Findings = []Finding{} // no findings is [], not null, for a reader that iterates
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
