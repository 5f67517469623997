package framework

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

var (
	reportMu   sync.Mutex
	lastReport *types.Report
)

// The suite report is kept for the runner's summary (LastReport).
var _ = ReportAfterSuite("kconform: keep the report for the summary", func(r Report) {
	reportMu.Lock()
	defer reportMu.Unlock()
	lastReport = &r
})

// LastReport returns the report of the run that just ended, or nil.
func LastReport() *types.Report {
	reportMu.Lock()
	defer reportMu.Unlock()
	return lastReport
}

// maxListedFailures bounds the failures the summary repeats: a target that
// is down fails every spec for the same reason.
const maxListedFailures = 15

// notSelected is the skip reason of a spec the filters left out.
const notSelected = "not selected (label filter, focus or skip)"

// Counts are the numbers of a run, for the summary and for tests.
type Counts struct {
	Total, Ran, Passed, Failed, Skipped int
	// SkipReasons maps a reason to how many specs it skipped.
	SkipReasons map[string]int
	// Failures are the full names of the failed specs with their first
	// failure line.
	Failures []string
}

// Count tallies a report's specs (Its only).
func Count(r types.Report) Counts {
	c := Counts{SkipReasons: map[string]int{}}
	unrun := 0
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		c.Total++
		switch {
		case s.State == types.SpecStatePassed:
			c.Ran++
			c.Passed++
		case s.State == types.SpecStateSkipped, s.State == types.SpecStatePending:
			c.Skipped++
			reason := strings.TrimSpace(s.Failure.Message)
			switch {
			case s.State == types.SpecStatePending:
				reason = "pending"
			case reason == "" && s.RunTime == 0:
				unrun++ // filtered out, or never reached: told apart below
				continue
			case reason == "":
				reason = "skipped without a reason"
			}
			c.SkipReasons[reason]++
		case s.State.Is(types.SpecStateFailureStates):
			c.Ran++
			c.Failed++
			c.Failures = append(c.Failures, fmt.Sprintf("%s\n      %s at %s:\n%s", s.FullText(), s.State, s.Failure.Location, gist(s.Failure.Message)))
		}
	}
	// Ginkgo reports a spec the filters left out and a spec the run never
	// reached (deadline, interrupt) alike; the pre-run count tells how many
	// were left out.
	if unrun > 0 {
		filtered := min(unrun, max(r.PreRunStats.TotalSpecs-r.PreRunStats.SpecsThatWillRun, 0))
		if filtered > 0 {
			c.SkipReasons[notSelected] = filtered
		}
		if rest := unrun - filtered; rest > 0 {
			why := "the run was interrupted"
			if len(r.SpecialSuiteFailureReasons) > 0 {
				why = strings.Join(r.SpecialSuiteFailureReasons, "; ")
			}
			c.SkipReasons["not run: "+why+" (see --deadline)"] = rest
		}
	}
	return c
}

// Summary is the run's closing text: how many specs ran, passed, failed
// and were skipped, and why they were skipped, grouped with counts.
func Summary(r types.Report) string {
	c := Count(r)
	var b strings.Builder
	fmt.Fprintf(&b, "kconform: %d specs: %d ran (%d passed, %d failed), %d skipped\n", c.Total, c.Ran, c.Passed, c.Failed, c.Skipped)
	if len(c.SkipReasons) > 0 {
		b.WriteString("skipped, by reason:\n")
		reasons := make([]string, 0, len(c.SkipReasons))
		for k := range c.SkipReasons {
			reasons = append(reasons, k)
		}
		sort.Slice(reasons, func(i, j int) bool {
			if c.SkipReasons[reasons[i]] != c.SkipReasons[reasons[j]] {
				return c.SkipReasons[reasons[i]] > c.SkipReasons[reasons[j]]
			}
			return reasons[i] < reasons[j]
		})
		for _, k := range reasons {
			fmt.Fprintf(&b, "  %3d × %s\n", c.SkipReasons[k], k)
		}
	}
	if len(c.Failures) > 0 {
		b.WriteString("failed:\n")
		for i, f := range c.Failures {
			if i == maxListedFailures {
				fmt.Fprintf(&b, "  … and %d more (each is shown in full above, and in --junit-report / --json-report)\n", len(c.Failures)-i)
				break
			}
			fmt.Fprintf(&b, "  - %s\n", f)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

var gomegaTypeLine = regexp.MustCompile(`^<[^>]*\| 0x[0-9a-f]+>:?$`)

// gist is the start of a failure message: its first lines, each short.
func gist(msg string) string {
	const maxLines = 4
	lines := findings(msg)
	if len(lines) > maxLines {
		lines = append(lines[:maxLines], "…")
	}
	for i, l := range lines {
		lines[i] = "        " + l
	}
	return strings.Join(lines, "\n")
}

// findings are the lines of a failure message that carry news, each cut
// to a readable width: Gomega's framing ("Unexpected error:", type lines,
// "(the ... above)") is left out.
func findings(msg string) []string {
	const maxWidth = 200
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(msg), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == "Unexpected error:" || l == "occurred" || gomegaTypeLine.MatchString(l) ||
			(strings.HasPrefix(l, "(the ") && strings.HasSuffix(l, " above)")) {
			continue
		}
		out = append(out, clip(l, maxWidth))
	}
	return out
}
