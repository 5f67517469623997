package runreport

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/coverage"
)

// Report is the whole conformance report of one run.
type Report struct {
	// Kconform is the version that ran; Target is the API base URL (no
	// credentials) or "built-in mock".
	Kconform string `json:"kconform"`
	Target   string `json:"target"`
	// Filter is the run's spec selection, when it had one.
	Filter string `json:"filter,omitempty"`
	Counts Counts `json:"counts"`
	Rules  []Rule `json:"rules"`
	// Coverage is what the run exercised of the contract; nil when the run
	// did not collect it.
	Coverage *coverage.Coverage `json:"coverage,omitempty"`
}

// Counts are the rules per verdict.
type Counts struct {
	Rules        int `json:"rules"`
	Holds        int `json:"holds"`
	Broken       int `json:"broken"`
	NotCheckable int `json:"not_checkable"`
}

func (c *Counts) add(v Verdict) {
	c.Rules++
	switch v {
	case Holds:
		c.Holds++
	case Broken:
		c.Broken++
	case NotCheckable:
		c.NotCheckable++
	}
}

// New builds the report of a run from its Ginkgo report and, when the run
// collected it, its coverage.
func New(r types.Report, kconform, target, filter string, cov *coverage.Coverage) Report {
	rep := Report{Kconform: kconform, Target: target, Filter: filter, Rules: Rules(r), Coverage: cov}
	for _, rule := range rep.Rules {
		rep.Counts.add(rule.Verdict)
	}
	return rep
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
		c.add(rule.Verdict)
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
