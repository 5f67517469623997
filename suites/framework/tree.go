package framework

import (
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/extensions/globals"
	"github.com/onsi/ginkgo/v2/types"
)

// suiteTree holds the top-level containers the suites declare, in the order
// they are declared (package initialisation order), and the suite-level
// nodes the framework adds itself.
//
// Ginkgo keeps one spec tree per process and runs it once: a second
// RunSpecs exits the process (types.GinkgoErrors.RerunningSuite) unless
// ginkgo's extensions/globals.Reset emptied the tree first, and then the
// tree must be declared again. Declaring the containers through Group
// below, instead of ginkgo.Describe at package initialisation, is what lets
// buildTree do that: `kconform run`'s tests run whole runs one after
// another in one test process.
var suiteTree struct {
	sync.Mutex
	containers []func()
	suiteNodes []func()
}

// Group declares a top-level container of the conformance suites, as
// ginkgo.Describe does (same text and decorators), for every tree buildTree
// builds. Use it as `var _ = fw.Group(...)`; nested containers use
// ginkgo's own Describe/Context. Specs keep their source location: the
// caller's file and line are passed on to Ginkgo.
func Group(text string, args ...any) bool {
	loc := types.NewCodeLocation(1)
	args = append(append([]any{}, args...), loc)
	suiteTree.Lock()
	defer suiteTree.Unlock()
	suiteTree.containers = append(suiteTree.containers, func() { Describe(text, args...) })
	return true
}

// suiteNode declares a suite-level node of the framework itself (a
// ReportAfterSuite, say) for every tree buildTree builds.
func suiteNode(declare func()) bool {
	suiteTree.Lock()
	defer suiteTree.Unlock()
	suiteTree.suiteNodes = append(suiteTree.suiteNodes, declare)
	return true
}

// buildTree empties Ginkgo's process-wide spec tree (and its "already ran"
// mark) and declares the suites in it again. Run and Preview call it;
// never call it while specs run. Containers declared with ginkgo.Describe
// directly, outside Group, are dropped by it.
func buildTree() {
	suiteTree.Lock()
	defer suiteTree.Unlock()
	globals.Reset()
	for _, declare := range suiteTree.suiteNodes {
		declare()
	}
	for _, declare := range suiteTree.containers {
		declare()
	}
}
