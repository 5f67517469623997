package framework

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/runreport"
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

// maxListedFindings bounds the findings the summary lists: the report
// has them all.
const maxListedFindings = 15

// Summary is the run's closing text, in the conformance report's words
// (internal/runreport): the verdicts on the target, its findings, each
// once, and why rules were not checkable or not run, grouped with counts.
func Summary(r types.Report) string {
	return SummaryOf(runreport.New(r, "", "", "", nil))
}

// SummaryOf is Summary of a report already built (with the probe's
// findings, say).
func SummaryOf(rep runreport.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kconform: %s\n", rep.Counts.Headline())
	if n := len(rep.Findings); n > 0 {
		fmt.Fprintf(&b, "findings (%d):\n", n)
		for i, f := range rep.Findings {
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
	for _, v := range []runreport.Verdict{runreport.NotCheckable, runreport.NotRun} {
		reasons := map[string]int{}
		for _, rule := range rep.Rules {
			if rule.Verdict == v {
				reasons[rule.Why]++
			}
		}
		writeReasons(&b, string(v)+", by reason:", reasons)
	}
	if n := rep.Counts.CleanupFailures; n > 0 {
		fmt.Fprintf(&b, "clean-up failures: %d rule(s); they change no verdict (--report lists them)\n", n)
	}
	return strings.TrimRight(b.String(), "\n")
}

// writeReasons lists reasons by count, most first.
func writeReasons(b *strings.Builder, title string, reasons map[string]int) {
	if len(reasons) == 0 {
		return
	}
	b.WriteString(title + "\n")
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if reasons[keys[i]] != reasons[keys[j]] {
			return reasons[keys[i]] > reasons[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Fprintf(b, "  %3d × %s\n", reasons[k], k)
	}
}
