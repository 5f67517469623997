package mock

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/kconform/kconform/internal/target"
)

// Default credentials, documented for `kconform mock` and the suites. They
// are defined with the run's configuration, which uses them for a loopback
// target given no credentials, so the two cannot drift apart.
const (
	DefaultUsername = target.MockDefaultUsername
	DefaultPassword = target.MockDefaultPassword
)

// Callback delivery defaults: D-cb gives 3 s to answer and a retry "a few
// seconds" later.
const (
	DefaultCallbackTimeout    = 3 * time.Second
	DefaultCallbackRetryDelay = 2 * time.Second
)

// DefaultRequestReadTimeout bounds reading one whole request, headers and
// body (assumption: a generous bound; no client of the mock sends a body
// slower than that, and a connection that trickles one byte a second is
// dropped instead of being kept forever).
const DefaultRequestReadTimeout = 30 * time.Second

// Options configure a Server. The zero value is a working mock with the
// default credentials, no control endpoints and no faults.
type Options struct {
	Username, Password     string           // Basic credentials accepted (defaults "kconform" / "kconform-secret")
	ClockControl           bool             // enables /_kconform/clock (off by default)
	FaultControl           bool             // enables PUT /_kconform/faults (off by default)
	Faults                 []string         // faults active from the start (see FaultNames)
	CallbackTimeout        time.Duration    // default 3s (D-cb)
	CallbackRetryDelay     time.Duration    // default 2s ("a few seconds")
	AllowExternalCallbacks bool             // default false: callbacks only to loopback hosts
	JSONUnauthorized       bool             // answer 401 with ErrorV2 JSON instead of Klarna's recorded HTML page
	RateLimit              float64          // API requests per second before 429 (0: no limit)
	Now                    func() time.Time // time source of the simulated clock (default time.Now)
	Logger                 *slog.Logger     // where callback failures and the like go (default: discarded)
	RequestReadTimeout     time.Duration    // time to read one request, headers and body (default 30s)
}

// withDefaults fills the zero fields and rejects values that cannot work.
func (o Options) withDefaults() (Options, error) {
	if o.Username == "" {
		o.Username = DefaultUsername
	}
	if o.Password == "" {
		o.Password = DefaultPassword
	}
	if o.RateLimit < 0 || math.IsNaN(o.RateLimit) || math.IsInf(o.RateLimit, 0) {
		return o, errors.New("mock: the rate limit must be a positive number of requests per second, or 0 for none")
	}
	if o.CallbackTimeout < 0 || o.CallbackRetryDelay < 0 || o.RequestReadTimeout < 0 {
		return o, errors.New("mock: callback timeout, retry delay and request read timeout must not be negative")
	}
	if o.RequestReadTimeout == 0 {
		o.RequestReadTimeout = DefaultRequestReadTimeout
	}
	if o.CallbackTimeout == 0 {
		o.CallbackTimeout = DefaultCallbackTimeout
	}
	if o.CallbackRetryDelay == 0 {
		o.CallbackRetryDelay = DefaultCallbackRetryDelay
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if _, err := parseFaults(o.Faults); err != nil {
		return o, fmt.Errorf("mock: %w", err)
	}
	return o, nil
}
