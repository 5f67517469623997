// Package runreport is the conformance report of one `kconform run`: a
// verdict for every rule the suites check (holds, broken, or not-checkable
// on this target, and why), the first evidence of each broken rule, and
// what the run covered of the contract (internal/coverage). It writes the
// report as Markdown for people and CI pages, and as JSON for tools; both
// carry the same words.
//
// A rule is one spec: every spec states one rule with MUST in its name
// (suites/framework.CheckSpecs), so the rule's text is the spec's full
// name and the report's rows line up with the JUnit report's test cases.
// Each rule also carries its evidence class (documented, recorded or
// assumption) and citations, from the spec's framework.Cites; a broken
// assumption is reported as a finding, not a proven breach.
package runreport
