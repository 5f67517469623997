package framework

import (
	. "github.com/onsi/ginkgo/v2"
)

// The suite report goes back to Run's caller (for the summary, whose words
// are internal/runreport's Report.Summary, and the run's reports). Ginkgo
// hands it over only to a reporting node, registered with every tree
// BuildTree builds.
var _ = suiteNode(func() {
	ReportAfterSuite("kconform: keep the report for the summary", func(r Report) {
		runMu.Lock()
		defer runMu.Unlock()
		if running != nil {
			running.report = &r
		}
	})
})
