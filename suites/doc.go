// Package suites runs kconform's conformance specs (package
// suites/conformance) with `go test ./suites/...`: against the built-in mock,
// in process, unless KCONFORM_TARGET names a target.
package suites
