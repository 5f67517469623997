package runreport

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// The run's counts are said in these words only: the summary a run prints,
// the Markdown report and the status lines all go through Counts.

// judgedOn introduces the verdicts on the target.
const judgedOn = "rules judged on this target"

// countWords are the verdicts as a count says them ("3 hold, 1 broken").
var countWords = map[Verdict]string{
	Holds: "hold", Broken: "broken", FailedElsewhere: "failed elsewhere", Blocked: "blocked", NotCheckable: "not checkable", NotRun: "not run",
}

// judgedVerdicts are the verdicts on the target, in the order counts list
// them; NotRun is said apart.
var judgedVerdicts = []Verdict{Holds, Broken, FailedElsewhere, Blocked, NotCheckable}

func (c Counts) of(v Verdict) int {
	switch v {
	case Holds:
		return c.Holds
	case Broken:
		return c.Broken
	case FailedElsewhere:
		return c.FailedElsewhere
	case Blocked:
		return c.Blocked
	case NotCheckable:
		return c.NotCheckable
	case NotRun:
		return c.NotRun
	}
	return 0
}

// verdictList is "1 hold, 3 broken, 0 blocked, 1 not checkable", with
// "2 failed elsewhere" after broken when there are any (a verdict most
// runs never give).
func (c Counts) verdictList() string {
	var parts []string
	for _, v := range judgedVerdicts {
		if v == FailedElsewhere && c.of(v) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", c.of(v), countWords[v]))
	}
	return strings.Join(parts, ", ")
}

// Headline is the counts in one line: the verdicts on the target, then
// the rules not run apart.
func (c Counts) Headline() string {
	s := fmt.Sprintf("%d %s: %s", c.Judged, judgedOn, c.verdictList())
	if c.NotRun > 0 {
		s += fmt.Sprintf("; %d %s", c.NotRun, countWords[NotRun])
	}
	return s
}

// Ginkgo's words for how a spec ended, in the order its summary line
// ("2 Passed | 94 Failed | 0 Pending | 71 Skipped") counts them.
const (
	specPassed  = "Passed"
	specFailed  = "Failed"
	specPending = "Pending"
	specSkipped = "Skipped"
)

var specOutcomes = []string{specPassed, specFailed, specPending, specSkipped}

// specOutcome is how Ginkgo's summary line counts a spec that ended in s
// (reporters.DefaultReporter: every failure state is Failed).
func specOutcome(s types.SpecState) string {
	switch {
	case s == types.SpecStatePassed:
		return specPassed
	case s.Is(types.SpecStateFailureStates):
		return specFailed
	case s == types.SpecStatePending:
		return specPending
	}
	return specSkipped
}

// SpecsLine squares Ginkgo's summary line, which counts specs by how they
// ended, with the verdicts, which count rules (one per spec): "Ginkgo's
// 94 Failed are 93 broken, 1 hold; its 71 Skipped are 3 not checkable,
// 68 not run". Empty when the rules carry no spec outcome (a report read
// back from JSON).
func (r Report) SpecsLine() string {
	tally := map[string]map[Verdict]int{}
	total := 0
	for _, rule := range r.Rules {
		if rule.Ended == "" {
			continue
		}
		if tally[rule.Ended] == nil {
			tally[rule.Ended] = map[Verdict]int{}
		}
		tally[rule.Ended][rule.Verdict]++
		total++
	}
	if total == 0 {
		return ""
	}
	var parts []string
	for _, o := range specOutcomes {
		byVerdict := tally[o]
		n := 0
		var as []string
		for _, v := range Verdicts {
			if k := byVerdict[v]; k > 0 {
				n += k
				as = append(as, fmt.Sprintf("%d %s", k, countWords[v]))
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s = %s", n, o, strings.Join(as, " + ")))
		}
	}
	return fmt.Sprintf("Ginkgo's line above counts the %d specs by how they ended, kconform's counts their rules (one per spec) by verdict: %s",
		total, strings.Join(parts, "; "))
}

// maxListedFindings bounds the findings the summary lists: the report
// has them all.
const maxListedFindings = 15

// Summary is the run's closing text, printed after Ginkgo's: the verdicts
// on the target and how they square with Ginkgo's spec counts, the
// findings, each once, and why rules were not checkable or not run,
// grouped with counts.
func (r Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kconform: %s\n", r.Counts.Headline())
	if line := r.SpecsLine(); line != "" {
		fmt.Fprintf(&b, "  (%s)\n", line)
	}
	if n := len(r.Findings); n > 0 {
		fmt.Fprintf(&b, "findings (%d):\n", n)
		for i, f := range r.Findings {
			if i == maxListedFindings {
				fmt.Fprintf(&b, "  … and %d more (--report and --report-json list them all)\n", n-i)
				break
			}
			fmt.Fprintf(&b, "  %d. %s\n", i+1, f.Headline())
			if f.Example != "" {
				fmt.Fprintf(&b, "     e.g. %s\n", f.Example)
			}
		}
	}
	for _, v := range []Verdict{NotCheckable, NotRun} {
		reasons := map[string]int{}
		for _, rule := range r.Rules {
			if rule.Verdict == v {
				reasons[rule.Why]++
			}
		}
		writeReasons(&b, string(v)+", by reason:", reasons)
	}
	if n := r.Counts.CleanupFailures; n > 0 {
		fmt.Fprintf(&b, "clean-up failures: %d rule(s); a rule whose clean-up alone failed is failed elsewhere, not holds (--report lists them)\n", n)
	}
	return strings.TrimRight(b.String(), "\n")
}

// writeReasons lists reasons by count, most first.
func writeReasons(b *strings.Builder, title string, reasons map[string]int) {
	if len(reasons) == 0 {
		return
	}
	b.WriteString(title + "\n")
	keys := slices.Collect(maps.Keys(reasons))
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(reasons[b], reasons[a]), strings.Compare(a, b))
	})
	for _, k := range keys {
		fmt.Fprintf(b, "  %3d × %s\n", reasons[k], k)
	}
}
