package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/suites/framework"
)

// chooseConsumer picks the consumer driver of a run from --consumer and
// what the target announced, and says, when there is none, which flag
// would give one: every not-checkable consumer spec shows that reason.
func chooseConsumer(cfg target.RunConfig, caps target.Capabilities) (driver, reason string) {
	p := cfg.Profile
	hooks := p != nil && p.Consumer != nil && p.Consumer.HTTP != nil
	switch cfg.Consumer {
	case target.ConsumerHTTP, target.ConsumerManual, target.ConsumerBrowser:
		return cfg.Consumer, ""
	case target.ConsumerNone:
		return target.ConsumerNone, "--consumer none was given; pass --consumer http to drive a page that follows the form protocol (docs/consumer.md), " +
			"with --profile FILE for a target with test hooks of its own (docs/profiles.md), or --consumer browser"
	}
	if p != nil && p.Consumer != nil && p.Consumer.Browser != nil && !hooks {
		return target.ConsumerNone, fmt.Sprintf("profile %s describes the page with browser steps only: pass --consumer browser (docs/profiles.md)", p.Path)
	}
	if hooks || caps.Consumer {
		return target.ConsumerHTTP, ""
	}
	if p != nil {
		return target.ConsumerNone, fmt.Sprintf("profile %s has no consumer section: pass --consumer browser to click through the form protocol's page, or add consumer.http (docs/profiles.md)", p.Path)
	}
	return target.ConsumerNone, fmt.Sprintf("the target does not announce a consumer page at %s (capabilities: %s); "+
		"pass --consumer http if its page follows the form protocol of docs/consumer.md, --profile FILE that says how to act through its own test hooks or browser steps (docs/profiles.md), "+
		"--consumer browser to click through its page, or --consumer manual",
		target.CapabilitiesPath, caps.Summary())
}

// clockReason says why the target's clock cannot be moved and what would
// move it; "" when it can.
func clockReason(cfg target.RunConfig, caps target.Capabilities) string {
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
func startReturns(cfg target.RunConfig, env *framework.Env) (func(), error) {
	if env.Consumer == target.ConsumerNone {
		return func() {}, nil
	}
	r, err := framework.StartReturns(cfg.ReturnListen, cfg.ReturnURL)
	if err != nil {
		return func() {}, err
	}
	env.Returns = r
	stop := func() { _ = r.Close() }
	switch env.Consumer {
	case target.ConsumerManual:
		env.Manual = &framework.Manual{Out: os.Stderr, Timeout: cfg.ManualTimeout}
	case target.ConsumerBrowser:
		b, closeBrowser, err := startBrowser(cfg)
		if err != nil {
			stop()
			return func() {}, err
		}
		env.Browser = b
		stop = func() { closeBrowser(); _ = r.Close() }
	}
	return stop, nil
}

// browsers are the names Debian's and Google's packages give Chromium.
var browsers = []string{"chromium", "chromium-browser", "google-chrome"}

// startBrowser starts the headless Chromium of --consumer browser. It is
// never downloaded: it comes from the machine (`make chromium` installs
// Debian's package).
func startBrowser(cfg target.RunConfig) (*framework.Browser, func(), error) {
	path := cfg.Browser
	for _, name := range browsers {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(name)
	}
	if path == "" {
		return nil, nil, fmt.Errorf("--consumer browser needs Chromium, and none of %s is on PATH: `make chromium` installs Debian's package, or pass --browser PATH",
			strings.Join(browsers, ", "))
	}
	if cfg.Screenshots != "" {
		if err := os.MkdirAll(cfg.Screenshots, 0o755); err != nil {
			return nil, nil, fmt.Errorf("--screenshots %q: %w", cfg.Screenshots, err)
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(1000, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run its sandbox as root (CI)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	// Start it now: a browser that cannot start stops the run before any spec.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		return nil, nil, fmt.Errorf("--consumer browser: start %s: %w", path, err)
	}
	b := &framework.Browser{Ctx: ctx, Screenshots: cfg.Screenshots, Steps: max(cfg.Timeouts.Request, 10*time.Second)}
	return b, func() { cancel(); cancelAlloc() }, nil
}
