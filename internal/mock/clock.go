package mock

import (
	"errors"
	"sync/atomic"
	"time"
)

// Clock is the mock's only source of time: every expiry decision (KP 48 h,
// HPP one hour before it, tokens 60 min) and every timestamp reads it.
type Clock interface {
	Now() time.Time
}

// systemClock follows its source (time.Now unless Options.Now says otherwise).
type systemClock struct{ source func() time.Time }

func (c systemClock) Now() time.Time { return c.source() }

// adjustableClock is the source plus an offset that only grows, so that
// timestamps taken from it never go back. It is what /_kconform/clock moves.
type adjustableClock struct {
	source func() time.Time
	offset atomic.Int64 // nanoseconds
}

func (c *adjustableClock) Now() time.Time {
	return c.source().Add(time.Duration(c.offset.Load()))
}

var errClockBackwards = errors.New("the clock only moves forward")

// Advance moves the clock forward by d and returns the new time.
func (c *adjustableClock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, errClockBackwards
	}
	c.offset.Add(int64(d))
	return c.Now(), nil
}

// newClock picks the implementation: adjustable only when clock control is
// on, so a mock without it cannot be moved.
func newClock(opts Options) Clock {
	source := opts.Now
	if source == nil {
		source = time.Now
	}
	if opts.ClockControl {
		return &adjustableClock{source: source}
	}
	return systemClock{source: source}
}

// wireTime is a timestamp as the API shows it: UTC, millisecond precision
// (Klarna's examples: 2019-05-13T14:51:46.288Z).
func wireTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }
