package framework

import (
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

var (
	reportMu   sync.Mutex
	lastReport *types.Report
)

// The suite report is kept for the runner's summary (LastReport; the
// summary's words are internal/runreport's Report.Summary).
var _ = suiteNode(func() {
	ReportAfterSuite("kconform: keep the report for the summary", func(r Report) {
		reportMu.Lock()
		defer reportMu.Unlock()
		lastReport = &r
	})
})

// LastReport returns the report of the run that just ended, or nil.
func LastReport() *types.Report {
	reportMu.Lock()
	defer reportMu.Unlock()
	return lastReport
}
