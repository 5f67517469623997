package runner

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/suites/framework"
)

// PreviewSpecs is ginkgo.PreviewSpecs of the conformance suites: the spec
// tree, with the filters of a types.SuiteConfig in args applied, built
// afresh (framework.BuildTree), so it may be called any number of times.
func PreviewSpecs(args ...any) types.Report {
	framework.BuildTree()
	return ginkgo.PreviewSpecs(SuiteName, args...)
}

// RunSpecs is ginkgo.RunSpecs of the conformance suites on a tree built
// afresh, so a process can run the suites again after a run ended (the
// tests of `kconform run` do). Runs never overlap: Ginkgo's tree and its
// console output are the process's. It reports whether every spec passed.
func RunSpecs(t ginkgo.GinkgoTestingT, suiteConfig types.SuiteConfig, reporterConfig types.ReporterConfig) bool {
	framework.BuildTree()
	return ginkgo.RunSpecs(t, SuiteName, suiteConfig, reporterConfig)
}
