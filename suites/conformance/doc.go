// Package conformance holds kconform's conformance specs, one file per area:
// lifecycle.go, placeholders.go, expiry.go, errors.go, callbacks.go and
// distribution.go. Import it for its side effect (the specs register with
// Ginkgo) from a runner: suites_suite_test.go or cmd/kconform.
//
// Every spec name states its rule with MUST; the comment above each It or
// Entry gives the rule and its source in reference/klarna-api.md, and
// fw.Cites names that evidence in a form the run checks at start-up (its
// class: documented, recorded or assumption; suites/framework/sources.go).
package conformance
