// Package labels names the Ginkgo labels a conformance spec may carry: the
// one definition the suites (through suites/framework, which keeps the
// registry and what each label means), the run's report (internal/runreport
// groups rules by area and reads evidence classes) and the tests import.
package labels

// Areas: what a spec checks.
const (
	HPP          = "hpp"          // the Hosted Payment Page API (/hpp/v1)
	KP           = "kp"           // the Klarna Payments API (/payments/v1)
	Lifecycle    = "lifecycle"    // status changes of HPP and KP sessions (reference §3.1)
	Placeholders = "placeholders" // merchant URL placeholders and fallbacks (reference §1.3)
	Expiry       = "expiry"       // lifetimes of sessions and tokens (reference §3.2, §3.3)
	Errors       = "errors"       // error statuses, error bodies, validation (reference §2.3, §3.3)
	Callbacks    = "callbacks"    // status and authorization callbacks (reference §1.8, §2.4)
	Distribution = "distribution" // distributing the HPP link (reference §1.6)
)

// Needs: what the target must offer beyond the API.
const (
	Consumer = "consumer" // drives the consumer page over plain HTTP (capability "consumer")
	Clock    = "clock"    // moves the target's clock (capability "clock")
)

// Evidence classes: suites/framework.Cites gives each spec one, from the
// evidence it cites; never written by hand.
const (
	Documented = "documented" // a Klarna or Kustom page or document
	Recorded   = "recorded"   // a real capture
	Assumption = "assumption" // no public source: a failure is a finding, not a proven breach
)

// Cites starts the labels that carry a spec's citations ("cites:S1").
const Cites = "cites:"
