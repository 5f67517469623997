package framework

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kconform/kconform/internal/target"
)

// Skip messages. Each names what is missing and how to get it; within one
// run the message of a need is the same for every spec, so the run summary
// can group skips by reason.
const (
	skipConsumer  = "needs the consumer page (label %q): no consumer driver: %s"
	skipClock     = "needs a movable clock (label %q): %s. Without it only the static expiry relations run"
	skipCallbacks = "needs a callback receiver the target can reach (label %q): %s"
)

// Requires skips the current spec, with the reason, when the target lacks
// what the need label asks for. The Framework calls it for every label of
// the spec, so labels and skips cannot drift apart; call it directly only
// for a need that a label does not express.
func Requires(e *Env, label string) {
	GinkgoHelper()
	switch label {
	case Consumer:
		if e.Consumer == "" || e.Consumer == target.ConsumerNone {
			Skip(fmt.Sprintf(skipConsumer, Consumer, e.ConsumerReason))
		}
	case Clock:
		if e.ClockReason != "" {
			Skip(fmt.Sprintf(skipClock, Clock, e.ClockReason))
		}
	case Callbacks:
		if e.Receiver == nil {
			Skip(fmt.Sprintf(skipCallbacks, Callbacks, e.ReceiverReason))
		}
	}
}
