// Package framework is what every conformance spec stands on: the run's
// environment (target, credentials, capabilities, timeouts), a per-spec
// Framework whose HTTP clients record and contract-check every exchange,
// drivers for the consumer page, the clock and callbacks, the label
// registry and the skip rules for targets that cannot do everything.
//
// The spec package (suites/conformance) registers specs with
// `var _ = fw.Group(...)` (tree.go); a runner (suites_suite_test.go for `go test`,
// suites/runner for `kconform run`) builds the Env and hands it to Run,
// which runs the specs and returns Ginkgo's report of them.
package framework

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/profile"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/internal/transport"
)

// Env is everything a run knows about its target.
type Env struct {
	Config target.RunConfig
	// BaseURL is the API base URL, without a trailing slash.
	BaseURL string
	// Username and Password are the credentials the specs authenticate with.
	Username string
	Password target.Secret
	Caps     target.Capabilities
	Timeouts target.Timeouts
	// Validator checks every API exchange and every callback.
	Validator *contract.Validator
	// HTTP is the base client: redirects are never followed.
	HTTP *http.Client
	// Breaker makes every spec fail fast once the target stops answering.
	Breaker *transport.Breaker
	// Receiver takes callbacks; nil when the target cannot reach one, and
	// then ReceiverReason says why.
	Receiver       *Receiver
	ReceiverReason string
	// Consumer is the consumer driver of the run (target.ConsumerHTTP, or
	// target.ConsumerNone and then ConsumerReason says why and which flag
	// would give one).
	Consumer       string
	ConsumerReason string
	// Profile is the target profile (--profile), nil when there is none:
	// its HTTP consumer and clock replace the form protocol and
	// /_kconform/clock (consumer_profile.go).
	Profile *profile.Profile
	// Browser is the headless Chromium (--consumer browser), nil otherwise.
	Browser *Browser
	// Manual is the person at the terminal (--consumer manual), nil otherwise.
	Manual *Manual
	// ClockReason says why the clock cannot be moved, "" when it can.
	ClockReason string
	// Returns is the return receiver the merchant URLs point at
	// (consumer_return.go).
	Returns *Returns
	// RunID makes every merchant reference of this run unique.
	RunID string
	// Scrubber hides Username and Password (in every form) wherever the
	// target echoes them; every exchange and every output of the run goes
	// through it.
	Scrubber *exchange.Scrubber
	// HPPBaseURL is the HPP API's base URL when it differs from BaseURL
	// (--hpp-target); "" when both APIs share BaseURL.
	HPPBaseURL string
	// Unserved are the routes the probe found the target does not serve.
	Unserved []runreport.Unserved

	observers []func(transport.Record)
}

// Observe makes fn see every record of every spec of the run (API, page,
// control and callback exchanges), as each is added. Call it before
// RunSpecs; fn is called from several goroutines at once (callbacks arrive
// on server goroutines), so it must be safe for that.
func (e *Env) Observe(fn func(transport.Record)) {
	e.observers = append(e.observers, fn)
}

// observe hands rec to every observer.
func (e *Env) observe(rec transport.Record) {
	for _, fn := range e.observers {
		fn(rec)
	}
}

// The run under way. Ginkgo keeps one spec tree per process and its specs'
// closures are declared before any run exists (tree.go), so they cannot be
// handed their Env as an argument: they find it in this one process-wide
// slot, which Run fills for exactly the duration of RunSpecs and nothing
// else writes or reads. The runner gets everything back from Run as values.
var (
	runMu   sync.RWMutex
	running *suiteRun // nil outside Run
	seq     atomic.Int64
)

// oneAtATime keeps runs and previews of the spec tree apart: Ginkgo's tree,
// its console writers and the fail handler are the process's, and
// buildTree empties the tree.
var oneAtATime sync.Mutex

// suiteRun is what one Run shares with the specs and Ginkgo's reporting
// node (report.go).
type suiteRun struct {
	env    *Env
	report *types.Report // the suite's, once Ginkgo reported it
}

// Run runs the suites (the containers declared with Group) with env as
// their environment and returns Ginkgo's report of the suite (nil when
// Ginkgo produced none) and whether the suite passed. Failed Gomega
// assertions go through FailHandler. A process may run the suites any
// number of times, one run after another (a second caller waits): each run
// builds the tree afresh (buildTree).
func Run(t ginkgo.GinkgoTestingT, description string, env *Env, sc types.SuiteConfig, rc types.ReporterConfig) (*types.Report, bool, error) {
	if env == nil {
		return nil, false, errors.New("framework.Run: no environment for the specs")
	}
	oneAtATime.Lock()
	defer oneAtATime.Unlock()
	r := &suiteRun{env: env}
	runMu.Lock()
	running = r
	runMu.Unlock()
	defer func() {
		runMu.Lock()
		defer runMu.Unlock()
		running = nil
	}()

	buildTree()
	gomega.RegisterFailHandler(FailHandler)
	passed := ginkgo.RunSpecs(t, description, sc, rc)
	runMu.RLock()
	defer runMu.RUnlock()
	return r.report, passed, nil
}

// Preview is ginkgo.PreviewSpecs of the suites: their tree, with the
// filters of a types.SuiteConfig in args applied, built afresh. It waits
// for a run under way to end.
func Preview(description string, args ...any) types.Report {
	oneAtATime.Lock()
	defer oneAtATime.Unlock()
	buildTree()
	return ginkgo.PreviewSpecs(description, args...)
}

// current returns the environment of the run under way, or an error when
// the specs run without Run.
func current() (*Env, error) {
	runMu.RLock()
	defer runMu.RUnlock()
	if running == nil {
		return nil, fmt.Errorf("no run under way: run the suites with `go test ./suites/...` or `kconform run`")
	}
	return running.env, nil
}

// nextRef returns a reference unique to this run and spec.
func (e *Env) nextRef() string {
	return fmt.Sprintf("kconform-%s-%d", e.RunID, seq.Add(1))
}
