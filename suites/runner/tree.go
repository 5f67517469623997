package runner

import (
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/suites/framework"
)

// PreviewSpecs is the conformance suites' spec tree, with the filters of a
// types.SuiteConfig in args applied (framework.Preview); it may be called
// any number of times.
func PreviewSpecs(args ...any) types.Report {
	return framework.Preview(SuiteName, args...)
}
