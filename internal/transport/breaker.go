package transport

import (
	"fmt"
	"sync"
	"time"
)

// Breaker stops a run from waiting a full request timeout in every spec
// once the target has stopped answering: after Threshold transport failures
// in a row (timeouts, resets, refused connections) requests fail at once,
// saying why, except one every Cooldown that goes through to see whether
// the target is back. Any completed exchange closes it again. HTTP errors
// (4xx, 5xx, garbage) are answers, not failures: they never open it.
type Breaker struct {
	Threshold int
	Cooldown  time.Duration

	mu        sync.Mutex
	failures  int
	last      error
	lastProbe time.Time
}

// allow reports whether a request may go out now; when it may not, the
// error says why.
func (b *Breaker) allow() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failures < b.Threshold {
		return nil
	}
	if time.Since(b.lastProbe) >= b.Cooldown {
		b.lastProbe = time.Now()
		return nil
	}
	return fmt.Errorf("not sent: the target failed the last %d requests in a row (last: %v); one request every %s goes through to see whether it is back", b.failures, b.last, b.Cooldown)
}

func (b *Breaker) record(err error) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil {
		b.failures, b.last = 0, nil
		return
	}
	b.failures++
	b.last = err
	if b.failures >= b.Threshold {
		// The cooldown runs from the end of the failure, so a slow probe
		// does not let the next request straight through.
		b.lastProbe = time.Now()
	}
}
