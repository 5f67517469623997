package target

import (
	"fmt"
	"time"
)

// maxAnnouncedTiming bounds a callback timing a target may announce: a
// larger one is ignored (the defaults stay) rather than letting a target
// stretch every callback spec without end (assumption: no sane target
// waits a minute for a receiver).
const maxAnnouncedTiming = time.Minute

// AdoptTimings returns the run's timeouts with the callback timings caps
// announces (GET /_kconform/capabilities, internal/mock/CONTROL.md), except
// those the command line set, and a line for the run header saying where
// each timing came from. With them a run against `kconform mock` started
// with any --callback-timeout or --callback-retry-delay needs no matching
// flags.
func (c RunConfig) AdoptTimings(caps Capabilities) (Timeouts, string) {
	t := c.Timeouts
	timeout, timeoutFrom := adopt(t.CallbackTimeout, c.CallbackTimeoutSet, "--callback-timeout", caps.CallbackTimeoutMS, caps.Implementation)
	retry, retryFrom := adopt(t.CallbackRetryDelay, c.CallbackRetryDelaySet, "--callback-retry-delay", caps.CallbackRetryDelayMS, caps.Implementation)
	t.CallbackTimeout, t.CallbackRetryDelay = timeout, retry
	return t, fmt.Sprintf("timeout %s (%s), retry delay %s (%s)", timeout, timeoutFrom, retry, retryFrom)
}

// adopt picks one timing: the flag's, else the announced one, else the
// default; from says which.
func adopt(current time.Duration, flagSet bool, flagName string, announcedMS int64, by string) (time.Duration, string) {
	announced := time.Duration(announcedMS) * time.Millisecond
	switch {
	case flagSet:
		return current, flagName
	case announcedMS > 0 && announced <= maxAnnouncedTiming:
		return announced, "announced by " + by
	case announcedMS != 0:
		return current, fmt.Sprintf("default; %s announced %dms, outside 1ms..%s", by, announcedMS, maxAnnouncedTiming)
	}
	return current, "default"
}

// CallbackQuiet is how long to watch, after the last call of an event, for
// a retry that must not come: one retry delay, and a margin for the
// target's scheduling (a quarter of the delay, at least two polls). A
// retry comes one retry delay after the call that failed, so watching
// longer only slows the run.
func (t Timeouts) CallbackQuiet() time.Duration {
	return t.CallbackRetryDelay + max(t.CallbackRetryDelay/4, 2*t.Poll)
}
