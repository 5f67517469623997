package target

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kconform/kconform/internal/profile"
)

// Environment variables of the consumer settings.
const (
	EnvConsumer     = "KCONFORM_CONSUMER"
	EnvReturnURL    = "KCONFORM_RETURN_URL"
	EnvReturnListen = "KCONFORM_RETURN_LISTEN"
	EnvProfile      = "KCONFORM_PROFILE"
)

// Consumer drivers (--consumer): who opens the hosted payment page and acts
// on it.
const (
	// ConsumerAuto is no --consumer: plain HTTP when the target announces
	// a consumer page at /_kconform/capabilities, none otherwise.
	ConsumerAuto = ""
	// ConsumerHTTP drives the page with plain HTTP: GET redirect_url, POST
	// <redirect_url>/<action>, follow the redirects (docs/consumer.md).
	ConsumerHTTP = "http"
	// ConsumerBrowser is a headless Chromium driven over the DevTools
	// protocol, clicking through the page as a person would.
	ConsumerBrowser = "browser"
	// ConsumerManual is a person at a terminal: kconform prints the page's
	// URL, a QR code and the action, and waits.
	ConsumerManual = "manual"
	// ConsumerNone drives nothing: the specs that need a consumer are not
	// checkable.
	ConsumerNone = "none"
)

// ConsumerDrivers are the values --consumer takes.
var ConsumerDrivers = []string{ConsumerHTTP, ConsumerBrowser, ConsumerManual, ConsumerNone}

// DefaultManualTimeout bounds each wait for the person of --consumer
// manual: under the two minutes a spec may take.
const DefaultManualTimeout = 100 * time.Second

func consumerFlags(fs *flag.FlagSet, r *raw) {
	fs.StringVar(&r.consumer, "consumer", "", "who acts on the hosted payment page: "+strings.Join(ConsumerDrivers, ", ")+
		" (env "+EnvConsumer+"; default: http when the target announces a consumer page at "+CapabilitiesPath+", else none)")
	fs.StringVar(&r.browser, "browser", "", "with --consumer browser: the Chromium `path` (default: chromium, chromium-browser or google-chrome from PATH; make chromium installs Debian's)")
	fs.StringVar(&r.screenshots, "screenshots", "", "with --consumer browser: a folder that gets a PNG of every consumer page opened")
	fs.StringVar(&r.manualTimeout, "manual-timeout", "", "with --consumer manual: how long to wait for the person at each step (default "+DefaultManualTimeout.String()+"; a spec has 2m in all)")
	fs.StringVar(&r.profile, "profile", "", "target profile: a YAML file saying how to act as the consumer and move the clock on a target that is not kconform's mock, through its own test hooks (env "+EnvProfile+"; docs/profiles.md)")
	fs.StringVar(&r.returnURL, "return-url", "", "public base URL that forwards to --return-listen, where the consumer's browser comes back to the merchant URLs, for a browser not on this machine (env "+EnvReturnURL+")")
	fs.StringVar(&r.returnListen, "return-listen", "", "host:port of the local return receiver (env "+EnvReturnListen+"; default 127.0.0.1:0, required with --return-url)")
}

// loadConsumer reads --consumer, --return-url and --return-listen.
func loadConsumer(u *UsageError, cfg *RunConfig, r raw, pick func(name, env, flagValue string) (string, bool)) {
	if v, fromFlag := pick("consumer", EnvConsumer, r.consumer); v != "" {
		d := strings.ToLower(strings.TrimSpace(v))
		ok := false
		for _, known := range ConsumerDrivers {
			ok = ok || d == known
		}
		if !ok {
			u.add("%s is not a consumer driver; known: %s",
				source{"consumer", EnvConsumer}.describe(fromFlag, v), strings.Join(ConsumerDrivers, ", "))
		}
		cfg.Consumer = d
	}
	cfg.Browser, cfg.Screenshots = r.browser, r.screenshots
	if (r.browser != "" || r.screenshots != "") && cfg.Consumer != ConsumerBrowser {
		u.add("--browser and --screenshots need --consumer browser")
	}
	cfg.ManualTimeout = DefaultManualTimeout
	if r.manualTimeout != "" {
		if d, ok := parseDuration(u, fmt.Sprintf("--manual-timeout %q", r.manualTimeout), r.manualTimeout); ok {
			cfg.ManualTimeout = d
		}
	}
	if v, fromFlag := pick("profile", EnvProfile, r.profile); v != "" {
		p, err := profile.Load(v)
		if err != nil {
			u.add("%s: %v", source{"profile", EnvProfile}.describe(fromFlag, v), err)
		}
		cfg.Profile = p
	}
	cfg.ReturnURL, cfg.ReturnListen = forwarded(u, source{"return-url", EnvReturnURL}, r.returnURL, source{"return-listen", EnvReturnListen}, r.returnListen, pick)
}

// forwarded reads a public base URL and the local host:port it forwards to
// (--callback-url/--callback-listen, --return-url/--return-listen). The
// listen address defaults to 127.0.0.1:0; with a public URL it is required,
// with a fixed port.
func forwarded(u *UsageError, public source, publicFlag string, listen source, listenFlag string, pick func(name, env, flagValue string) (string, bool)) (*url.URL, string) {
	var pub *url.URL
	if v, fromFlag := pick(public.flag, public.env, publicFlag); v != "" {
		what := public.describe(fromFlag, exchangeSafe(v))
		pu, err := url.Parse(v)
		switch {
		case err != nil:
			u.add("%s is not a URL: %v", what, err)
		case (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "":
			u.add("%s must be an absolute http(s) URL", what)
		default:
			pub = pu
		}
	}
	addr, fromFlag := pick(listen.flag, listen.env, listenFlag)
	if addr != "" {
		what := listen.describe(fromFlag, addr)
		if _, port, err := net.SplitHostPort(addr); err != nil {
			u.add("%s is not host:port: %v", what, err)
		} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			u.add("%s has no valid port", what)
		} else if p == 0 && pub != nil {
			u.add("%s needs a fixed port when --%s forwards to it", what, public.flag)
		}
	}
	if pub != nil && addr == "" {
		u.add("--%s needs --%s (or %s): the local host:port it forwards to", public.flag, listen.flag, listen.env)
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	return pub, addr
}
