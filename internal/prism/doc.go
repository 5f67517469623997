// Package prism runs the conformance suites against a third-party mock:
// Stoplight Prism (`prism mock`) serving openapi/kconform.yaml. Prism answers
// from the document alone, stateless and from examples, so the test checks
// that the specs which need a real implementation (state, credentials, ids,
// correlation) fail against it, that the shape-only ones pass, and that the
// consumer and clock specs are skipped with a reason.
//
// Prism is pinned in package.json / package-lock.json here and installed into
// node_modules/ by `make tools-prism` (part of `make tools` and `make test`).
// Without it the test is skipped, except in CI (CI set), where it fails.
package prism
