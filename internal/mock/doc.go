// Package mock is kconform's reference mock of the Klarna Hosted Payment Page
// (HPP) and Klarna Payments (KP) APIs: every operation of the contract, served
// through the generated strict server interface, with the session lifecycle,
// lifetimes and errors the reference documents, a simulated consumer page,
// status callbacks, a controllable clock and switchable faults.
//
// Its control interface (consumer page, /_kconform/ endpoints, faults) is the
// one agreed with the conformance suites in CONTROL.md; keep the two in step.
//
// The mock is a test double, not a Klarna emulator: it checks requests against
// the contract and follows the documented rules, and invents nothing it does
// not have to (see the README section "The reference mock" for the limits).
package mock
