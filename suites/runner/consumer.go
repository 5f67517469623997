package runner

import (
	"fmt"
	"os"

	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/suites/framework"
)

// chooseConsumer picks the consumer driver of a run from --consumer and
// what the target announced, and says, when there is none, which flag
// would give one: every not-checkable consumer spec shows that reason.
func chooseConsumer(cfg target.Config, caps target.Capabilities) (driver, reason string) {
	p := cfg.Profile
	hooks := p != nil && p.Consumer != nil && p.Consumer.HTTP != nil
	switch cfg.Consumer {
	case target.ConsumerHTTP, target.ConsumerManual:
		return cfg.Consumer, ""
	case target.ConsumerNone:
		return target.ConsumerNone, "--consumer none was given; pass --consumer http to drive a page that follows the form protocol (docs/consumer.md), " +
			"with --profile FILE for a target with test hooks of its own (docs/profiles.md)"
	}
	if hooks || caps.Consumer {
		return target.ConsumerHTTP, ""
	}
	if p != nil {
		return target.ConsumerNone, fmt.Sprintf("profile %s has no consumer.http section, and its browser steps need --consumer browser, which is not built yet (docs/profiles.md)", p.Path)
	}
	return target.ConsumerNone, fmt.Sprintf("the target does not announce a consumer page at %s (capabilities: %s); "+
		"pass --consumer http if its page follows the form protocol of docs/consumer.md, or --profile FILE that says how to act through its own test hooks (docs/profiles.md)",
		target.CapabilitiesPath, caps.Summary())
}

// clockReason says why the target's clock cannot be moved and what would
// move it; "" when it can.
func clockReason(cfg target.Config, caps target.Capabilities) string {
	if caps.Clock || (cfg.Profile != nil && cfg.Profile.Clock != nil) {
		return ""
	}
	if cfg.Profile != nil {
		return fmt.Sprintf("the target does not announce a movable clock at %s and profile %s has no clock section (docs/profiles.md)", target.CapabilitiesPath, cfg.Profile.Path)
	}
	return fmt.Sprintf("the target does not announce a movable clock at %s (capabilities: %s); "+
		"pass --profile FILE whose clock section moves it through the target's own test hooks (docs/profiles.md)", target.CapabilitiesPath, caps.Summary())
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
	if env.Consumer == target.ConsumerManual {
		env.Manual = &framework.Manual{Out: os.Stderr, Timeout: cfg.ManualTimeout}
	}
	return func() { _ = r.Close() }, nil
}
