// Package runner turns a target.RunConfig into a running suite: it starts the
// built-in mock when there is no target, probes the target's capabilities,
// starts the callback receiver when the target can reach it, builds the
// specs' environment, and builds Ginkgo's configuration from the flags (a binary does
// not get Ginkgo's own flags parsed). Both `go test ./suites/...` and
// `kconform run` use it, so they run the same way.
package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/internal/transport"
	"github.com/kconform/kconform/suites/framework"
)

// SuiteName is the Ginkgo suite description of every run.
const SuiteName = "kconform conformance"

// CheckSelection refuses a label filter that names labels outside the
// registry and mock faults the mock does not know: both would otherwise
// select nothing, silently. The error is a usage error.
func CheckSelection(cfg target.RunConfig) error {
	u := &target.UsageError{}
	if unknown := framework.UnknownFilterLabels(cfg.LabelFilter); len(unknown) > 0 {
		u.Problems = append(u.Problems, fmt.Errorf("--label-filter %q names unknown label(s) %s; known: %s",
			cfg.LabelFilter, strings.Join(unknown, ", "), strings.Join(framework.KnownLabels(), ", ")))
	}
	if _, err := mock.ParseFaults(cfg.MockFaults...); err != nil {
		u.Problems = append(u.Problems, fmt.Errorf("--mock-faults: %w", err))
	}
	if len(u.Problems) == 0 {
		return nil
	}
	return u
}

// CheckSpecs checks the spec tree before anything runs (labels in the
// registry, unique MUST names). It calls ginkgo.PreviewSpecs.
func CheckSpecs() error {
	return framework.CheckSpecs(PreviewSpecs())
}

// Prepare builds the run's environment, for framework.Run. The returned
// stop function releases what Prepare started (the in-process mock, the
// callback receiver); call it after the specs ran.
func Prepare(ctx context.Context, cfg target.RunConfig) (*framework.Env, func(), error) {
	var stops []func()
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	v, err := contract.DefaultValidator()
	if err != nil {
		return nil, stop, fmt.Errorf("load the contract: %w", err)
	}
	env := &framework.Env{
		Config:    cfg,
		Timeouts:  cfg.Timeouts,
		Validator: v,
		HTTP:      transport.NewHTTPClient(),
		Breaker:   &transport.Breaker{Threshold: 3, Cooldown: max(3*cfg.Timeouts.Request, 30*time.Second)},
		RunID:     runID(),
		Username:  cfg.Username,
		Password:  cfg.Password,
	}

	// URLs the target hands over (qr_code_url, redirect_url, Location) are
	// followed too: none of them may lead to production unless allowed.
	env.HTTP.Transport = target.ProductionGuard(env.HTTP.Transport, cfg.AllowProduction)

	if cfg.InProcess() {
		// A fresh password per run: if it ever showed up in the output, the
		// tests of `kconform run` would see it.
		env.Username, env.Password = "kconform-run", target.Secret("kconform-"+runID()+runID())
		srv, err := mock.New(mock.Options{
			Username:           env.Username,
			Password:           env.Password.Reveal(),
			ClockControl:       true,
			Faults:             cfg.MockFaults,
			CallbackTimeout:    cfg.Timeouts.CallbackTimeout,
			CallbackRetryDelay: cfg.Timeouts.CallbackRetryDelay,
		})
		if err != nil {
			return nil, stop, fmt.Errorf("start the built-in mock: %w", err)
		}
		base, err := srv.Start("127.0.0.1:0")
		if err != nil {
			return nil, stop, fmt.Errorf("start the built-in mock: %w", err)
		}
		stops = append(stops, func() { _ = srv.Close() })
		env.BaseURL = strings.TrimRight(base, "/")
	} else {
		env.BaseURL = cfg.Target.String()
		if kp := cfg.BaseURL(target.KPAPI); kp != cfg.BaseURL(target.HPPAPI) {
			env.BaseURL, env.HPPBaseURL = kp, cfg.BaseURL(target.HPPAPI)
		}
	}

	p := prober{client: env.HTTP, kpBase: env.BaseURL, hppBase: env.BaseURL, user: env.Username, password: env.Password.Reveal(), timeout: cfg.Timeouts.Request}
	if env.HPPBaseURL != "" {
		p.hppBase = env.HPPBaseURL
	}
	if env.Unserved, err = Probe(ctx, p, env.RunID); err != nil {
		return nil, stop, err
	}
	env.Scrubber = exchange.NewScrubber(exchange.BasicSecrets(env.Username, env.Password.Reveal())...)

	probeCtx, cancel := context.WithTimeout(ctx, cfg.Timeouts.Request)
	env.Caps = target.ProbeCapabilities(probeCtx, env.HTTP, env.BaseURL)
	cancel()
	// The target's own callback timings, unless the flags set them.
	env.Timeouts, _ = cfg.AdoptTimings(env.Caps)
	env.Consumer, env.ConsumerReason = chooseConsumer(cfg, env.Caps)
	env.ClockReason = clockReason(cfg, env.Caps)
	env.Profile = cfg.Profile
	stopReturns, err := startReturns(cfg, env)
	if err != nil {
		return nil, stop, err
	}
	stops = append(stops, stopReturns)

	switch {
	case cfg.CallbackURL != nil:
		r, err := framework.StartReceiver(cfg.CallbackListen, cfg.CallbackURL, v, env.Scrubber)
		if err != nil {
			return nil, stop, err
		}
		stops = append(stops, func() { _ = r.Close() })
		env.Receiver = r
	case cfg.InProcess() || target.IsLoopback(cfg.Target.Host):
		r, err := framework.StartReceiver(cfg.CallbackListen, nil, v, env.Scrubber)
		if err != nil {
			return nil, stop, err
		}
		stops = append(stops, func() { _ = r.Close() })
		env.Receiver = r
	default:
		env.ReceiverReason = fmt.Sprintf("the target %s cannot call a receiver on this machine's loopback; "+
			"pass --callback-url (a public URL, https for Klarna) that forwards to --callback-listen to run them", cfg.TargetString())
	}
	return env, stop, nil
}

// GinkgoConfig is Ginkgo's configuration for cfg.
func GinkgoConfig(cfg target.RunConfig) (types.SuiteConfig, types.ReporterConfig) {
	sc := types.NewDefaultSuiteConfig()
	sc.LabelFilter = cfg.LabelFilter
	sc.FocusStrings = cfg.Focus
	sc.SkipStrings = cfg.Skip
	sc.Timeout = cfg.Deadline
	sc.GracePeriod = 5 * time.Second
	// A filter that selects nothing is a mistake, not a pass.
	sc.FailOnEmpty = true
	rc := types.NewDefaultReporterConfig()
	rc.NoColor = cfg.NoColor
	rc.Verbose = cfg.Verbose
	// JUnit and JSON reports are not Ginkgo's to write: kconform run writes
	// them from the scrubbed report, through a temporary file.
	return sc, rc
}

// Header is what a run prints before the specs: the configuration (no
// secrets) and what the target can do.
func Header(env *framework.Env) string {
	var b strings.Builder
	c := env.Config
	c.Username, c.Password = env.Username, env.Password // the in-process mock's are generated
	fmt.Fprintf(&b, "kconform run: %s\n", c)
	if env.HPPBaseURL != "" {
		fmt.Fprintf(&b, "  KP base URL:  %s\n  HPP base URL: %s\n", env.BaseURL, env.HPPBaseURL)
	} else {
		fmt.Fprintf(&b, "  API base URL: %s\n", env.BaseURL)
	}
	fmt.Fprintf(&b, "  capabilities: %s\n", env.Caps.Summary())
	if env.Returns != nil {
		fmt.Fprintf(&b, "  consumer:     %s; merchant URLs at %s\n", env.Consumer, env.Returns.URL())
	} else {
		fmt.Fprintf(&b, "  consumer:     none (%s)\n", env.ConsumerReason)
	}
	if env.Profile != nil {
		fmt.Fprintf(&b, "  profile:      %s (%s)\n", env.Profile.Path, env.Profile.Name)
	}
	if env.Receiver != nil {
		_, timings := env.Config.AdoptTimings(env.Caps)
		fmt.Fprintf(&b, "  callbacks:    receiver at %s; target's %s\n", env.Receiver.URL(), timings)
	} else {
		fmt.Fprintf(&b, "  callbacks:    no receiver (%s)\n", env.ReceiverReason)
	}
	for _, n := range env.Config.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	return strings.TrimRight(b.String(), "\n")
}

func runID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
