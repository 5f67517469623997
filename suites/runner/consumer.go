package runner

import (
	"fmt"

	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/suites/framework"
)

// chooseConsumer picks the consumer driver of a run from --consumer and
// what the target announced, and says, when there is none, which flag
// would give one: every not-checkable consumer spec shows that reason.
func chooseConsumer(cfg target.Config, caps target.Capabilities) (driver, reason string) {
	switch cfg.Consumer {
	case target.ConsumerHTTP:
		return target.ConsumerHTTP, ""
	case target.ConsumerNone:
		return target.ConsumerNone, "--consumer none was given; pass --consumer http to drive a page that follows the form protocol (docs/consumer.md)"
	}
	if caps.Consumer {
		return target.ConsumerHTTP, ""
	}
	return target.ConsumerNone, fmt.Sprintf("the target does not announce a consumer page at %s (capabilities: %s); "+
		"pass --consumer http if its page follows the form protocol of docs/consumer.md", target.CapabilitiesPath, caps.Summary())
}

// clockReason says why the target's clock cannot be moved and what would
// move it; "" when it can.
func clockReason(caps target.Capabilities) string {
	if caps.Clock {
		return ""
	}
	return fmt.Sprintf("the target does not announce a movable clock at %s (capabilities: %s); "+
		"a mock that implements /_kconform/clock (docs/consumer.md) makes these checkable", target.CapabilitiesPath, caps.Summary())
}

// startReturns starts the return receiver of a run that drives a consumer.
func startReturns(cfg target.Config, env *framework.Env) (func(), error) {
	if env.Consumer == target.ConsumerNone {
		return func() {}, nil
	}
	r, err := framework.StartReturns(cfg.ReturnListen, cfg.ReturnURL)
	if err != nil {
		return func() {}, err
	}
	env.Returns = r
	return func() { _ = r.Close() }, nil
}
