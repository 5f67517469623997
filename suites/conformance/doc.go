// Package conformance holds kconform's conformance specs, one file per area
// (lifecycle, placeholders, expiry, errors, amounts, callbacks,
// distribution, responses, manualid, kco). Each file declares its top-level
// containers with fw.Group, so that framework.Run can build the spec tree
// again for every run; import the package for that side effect from a
// runner (suites_suite_test.go, suites/runner).
//
// Every spec name states its rule with MUST; the comment above each It or
// Entry gives the rule and its source in reference/klarna-api.md, and
// fw.Cites names that evidence in a form the run checks at start-up (its
// class: documented, recorded or assumption; suites/framework/sources.go).
package conformance
