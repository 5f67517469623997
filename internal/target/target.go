// Package target holds what `kconform run` needs to know about the system under
// test: where it is, how to authenticate, how long to wait, which specs to run
// and where to write reports. It reads flags and KCONFORM_* environment
// variables, checks every value, and reports all problems at once, each naming
// the flag or variable and the value (secrets excepted).
package target

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kconform/kconform/internal/profile"

	"golang.org/x/net/idna"
)

// Secret is a credential. It prints as [REDACTED] through every fmt verb and
// JSON, so a RunConfig can be logged without leaking it.
type Secret string

const redacted = "[REDACTED]"

func (s Secret) String() string {
	if s == "" {
		return "(not set)"
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// Format covers %v, %s, %q, %x and the rest: none of them shows the value.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// MarshalJSON keeps the value out of JSON reports.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// Reveal returns the credential itself, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }

// operatorDomains are the domains whose hosts belong to a real payment
// operator. Conformance specs create sessions, place orders, disable sessions
// and send e-mails and SMS: every host under these domains is treated as
// production unless it is a documented test host below, so a regional or
// future variant (api-xx.klarna.com, api-eu.kustom.co) is refused too.
var operatorDomains = []struct{ domain, operator string }{
	{"klarna.com", "Klarna"},
	// Kustom took over Klarna Checkout and serves the same HPP API:
	// "Replace Klarna hostnames with Kustom hostnames: From *.klarna.com To
	// *.kustom.co" (help.kustom.co/en/articles/574180-api-endpoint-switch-guide-faq).
	{"kustom.co", "Kustom"},
}

// PlaygroundHosts are the documented test hosts of those domains, the only
// ones a run may use without --allow-production.
var PlaygroundHosts = []string{
	// Klarna's playgrounds, EU, NA and OC (docs.klarna.com/api/api-urls, D-urls).
	"api.playground.klarna.com",
	"api-na.playground.klarna.com",
	"api-oc.playground.klarna.com",
	// Kustom's playground: "Playground: api.playground.kustom.co"
	// (help.kustom.co/en/articles/574180-api-endpoint-switch-guide-faq and
	// 454956-kustom-api-endpoint-switch-guide). Regional Kustom playgrounds
	// appear in no Kustom document, so they are refused like any unknown host.
	"api.playground.kustom.co",
}

// ProductionOperator reports whether host (with or without a port, in any
// case, with or without a trailing dot, in Unicode or ASCII) is a
// production host of Klarna or Kustom, and whose: any host under their
// domains but the playgrounds. The host is first read as net/http dials it
// (see dialedHost), so a look-alike that reaches api.klarna.com is
// api.klarna.com; a host net/http cannot convert is an error, and the
// callers refuse it. The --target check and ProductionGuard both ask here.
func ProductionOperator(host string) (operator string, production bool, err error) {
	h, err := dialedHost(host)
	if err != nil {
		return "", false, err
	}
	if slices.Contains(PlaygroundHosts, h) {
		return "", false, nil
	}
	for _, d := range operatorDomains {
		if h == d.domain || strings.HasSuffix(h, "."+d.domain) {
			return d.operator, true, nil
		}
	}
	return "", false, nil
}

// IsProductionHost reports whether host is a production host of Klarna or
// Kustom (see ProductionOperator); a host that is not a valid host name
// counts as production, as nothing may be sent to it.
func IsProductionHost(host string) bool {
	_, prod, err := ProductionOperator(host)
	return prod || err != nil
}

// dialedHost is the host name net/http connects to for host: net/http
// converts a non-ASCII host with the IDNA Lookup profile (idnaASCII in
// net/http/request.go), which maps full-width letters and the ideographic
// full stop (api。klarna.com, ａｐｉ.ｋｌａｒｎａ.ｃｏｍ) to ASCII; then as
// normalHost (lower case, no trailing dots). A host the profile refuses
// is an error naming it.
func dialedHost(host string) (string, error) {
	h := normalHost(host)
	if !isASCII(h) {
		a, err := idna.Lookup.ToASCII(h)
		if err != nil {
			return "", fmt.Errorf("%q is not a valid host name: %v", h, err)
		}
		h = normalHost(a)
	}
	return h, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// IsLoopback reports whether host (with or without a port) is this machine:
// localhost or a loopback IP.
func IsLoopback(host string) bool {
	h := normalHost(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// normalHost is host as DNS compares it: no userinfo, no port, lower case,
// no trailing dots.
func normalHost(host string) string {
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	return strings.TrimRight(strings.ToLower(hostOnly(host)), ".")
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

// Timeouts are every wait of a run, in one place. The defaults suit Klarna's
// playground; the in-process mock gets shorter ones (see InProcessTimeouts).
type Timeouts struct {
	// Request bounds one HTTP exchange, from sending to the last body byte.
	Request time.Duration
	// Async bounds waiting for something the target does on its own
	// (a callback arriving, a status settling).
	Async time.Duration
	// Poll is the interval between two looks while waiting.
	Poll time.Duration
	// CallbackTimeout is how long the target waits for a callback receiver
	// before it retries (D-cb: 3 s). A "slow receiver" answers later than this.
	CallbackTimeout time.Duration
	// CallbackRetryDelay is the pause between two calls of one event
	// (D-cb: "a few seconds").
	CallbackRetryDelay time.Duration
}

// DefaultTimeouts are the timeouts for a remote target.
func DefaultTimeouts() Timeouts {
	return Timeouts{
		Request:            10 * time.Second,
		Async:              30 * time.Second,
		Poll:               250 * time.Millisecond,
		CallbackTimeout:    3 * time.Second,
		CallbackRetryDelay: 2 * time.Second,
	}
}

// CallbackWindow is how long every call of one callback event can take:
// 4 calls, each up to the receiver timeout, with a retry delay between them.
func (t Timeouts) CallbackWindow() time.Duration {
	return 4*(t.CallbackTimeout+t.CallbackRetryDelay) + t.Async
}

// RunConfig is the configuration of one run of the suites: the target, and
// everything else the run was given (timeouts, spec selection, outputs,
// consumer, callbacks, mock faults).
type RunConfig struct {
	// Target is the API base URL; nil means the built-in mock, in process.
	Target *url.URL
	// KPTarget and HPPTarget override Target for one API each (a mock
	// that serves KP and HPP on different base URLs); nil: Target.
	KPTarget, HPPTarget *url.URL
	// Username and Password are the HTTP Basic credentials of the target.
	Username string
	Password Secret
	// AllowProduction lets Target be one of Klarna's production hosts.
	AllowProduction bool

	Timeouts Timeouts
	// Deadline bounds the whole run (Ginkgo's suite timeout).
	Deadline time.Duration

	// LabelFilter, Focus and Skip select specs (Ginkgo semantics).
	LabelFilter string
	Focus       []string
	Skip        []string
	// JUnitReport and JSONReport are Ginkgo's report paths; empty means none.
	JUnitReport string
	JSONReport  string
	// Report and ReportJSON are the conformance report (one verdict per
	// rule, coverage) as Markdown and JSON; empty means none.
	Report     string
	ReportJSON string
	// Record is the HAR capture of the run's API exchanges; empty means none.
	Record  string
	Verbose bool
	NoColor bool

	// CallbackURL is a public base URL that reaches CallbackListen on this
	// machine, for targets that cannot call 127.0.0.1 (a real Klarna).
	CallbackURL *url.URL
	// CallbackListen is the local address of the callback receiver.
	CallbackListen string

	// CallbackTimeoutSet and CallbackRetryDelaySet say the command line
	// gave that callback timing: it then wins over what the target announces.
	CallbackTimeoutSet, CallbackRetryDelaySet bool

	// Consumer is the consumer driver (ConsumerAuto, ConsumerHTTP, ...).
	Consumer string
	// ReturnURL is a public base URL that reaches ReturnListen, where the
	// consumer's browser comes back to the merchant URLs; nil: the listen
	// address itself (a browser on this machine).
	ReturnURL *url.URL
	// ReturnListen is the local address of the return receiver.
	ReturnListen string
	// Browser is the Chromium binary of --consumer browser ("" : from PATH),
	// Screenshots a folder for a PNG of every page opened ("" : none).
	Browser, Screenshots string
	// ManualTimeout bounds each wait for the person (--consumer manual).
	ManualTimeout time.Duration
	// Profile is the target profile (--profile), nil when none.
	Profile *profile.Profile

	// Procs is how many processes run the specs (--procs); 1: this one.
	Procs int

	// MockFaults are faults to switch on in the built-in mock (no Target).
	MockFaults []string

	// PaymentProvider is what the HPP sessions of the run host: ProviderKP
	// or ProviderKCO (provider.go).
	PaymentProvider string

	// Notes are non-fatal remarks found while loading (a password given on
	// the command line, for instance), to show the user.
	Notes []string
}

// InProcess reports whether the run uses the built-in mock.
func (c RunConfig) InProcess() bool { return c.Target == nil }

// TargetString is the target for humans: its URL without userinfo, or
// "built-in mock (in process)"; both base URLs when the APIs have one each.
func (c RunConfig) TargetString() string {
	if c.Target == nil {
		return "built-in mock (in process)"
	}
	kp, hpp := c.BaseURL(KPAPI), c.BaseURL(HPPAPI)
	if kp != hpp {
		return "KP " + kp + ", HPP " + hpp
	}
	return kp
}

// The two APIs, for BaseURL.
const (
	KPAPI  = "kp"
	HPPAPI = "hpp"
)

// BaseURL is the base URL of one API (KPAPI or HPPAPI), without userinfo
// or a trailing slash; "" for the built-in mock.
func (c RunConfig) BaseURL(api string) string {
	t := c.Target
	switch {
	case api == KPAPI && c.KPTarget != nil:
		t = c.KPTarget
	case api == HPPAPI && c.HPPTarget != nil:
		t = c.HPPTarget
	}
	if t == nil {
		return ""
	}
	u := *t
	u.User = nil
	return strings.TrimRight(u.String(), "/")
}

// String describes the configuration; the password never appears.
func (c RunConfig) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "target=%s", c.TargetString())
	if c.Username != "" {
		fmt.Fprintf(&b, " username=%s", c.Username)
	}
	fmt.Fprintf(&b, " password=%s", c.Password)
	fmt.Fprintf(&b, " request-timeout=%s deadline=%s", c.Timeouts.Request, c.Deadline)
	if c.LabelFilter != "" {
		fmt.Fprintf(&b, " label-filter=%q", c.LabelFilter)
	}
	if len(c.Focus) > 0 {
		fmt.Fprintf(&b, " focus=%q", c.Focus)
	}
	if len(c.Skip) > 0 {
		fmt.Fprintf(&b, " skip=%q", c.Skip)
	}
	if c.CallbackURL != nil {
		fmt.Fprintf(&b, " callback-url=%s callback-listen=%s", c.CallbackURL.Redacted(), c.CallbackListen)
	}
	if c.Consumer != ConsumerAuto {
		fmt.Fprintf(&b, " consumer=%s", c.Consumer)
	}
	if c.Profile != nil {
		fmt.Fprintf(&b, " profile=%s", c.Profile.Path)
	}
	if c.ReturnURL != nil {
		fmt.Fprintf(&b, " return-url=%s return-listen=%s", c.ReturnURL.Redacted(), c.ReturnListen)
	}
	if len(c.MockFaults) > 0 {
		fmt.Fprintf(&b, " mock-faults=%s", strings.Join(c.MockFaults, ","))
	}
	if c.AllowProduction {
		b.WriteString(" allow-production")
	}
	return b.String()
}

// GoString keeps %#v as safe as %v.
func (c RunConfig) GoString() string { return "target.RunConfig{" + c.String() + "}" }

// UsageError is every problem Load found, one per flag or variable. Its
// message has one line per problem, each naming the flag or variable and the
// value it had (except for secrets).
type UsageError struct{ Problems []error }

func (u *UsageError) Error() string {
	lines := make([]string, len(u.Problems))
	for i, p := range u.Problems {
		lines[i] = "* " + p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is/As see each problem.
func (u *UsageError) Unwrap() []error { return u.Problems }

func (u *UsageError) add(format string, args ...any) {
	u.Problems = append(u.Problems, fmt.Errorf(format, args...))
}

func (u *UsageError) orNil() error {
	if len(u.Problems) == 0 {
		return nil
	}
	return u
}

// IsUsage reports whether err is a configuration problem (exit code 2).
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// Selection describes the run's spec filters in its flags' words
// (`--label-filter "kp" --focus "x"`), "" when every spec is selected.
func (c RunConfig) Selection() string {
	var parts []string
	if c.LabelFilter != "" {
		parts = append(parts, fmt.Sprintf("--label-filter %q", c.LabelFilter))
	}
	for _, f := range c.Focus {
		parts = append(parts, fmt.Sprintf("--focus %q", f))
	}
	for _, s := range c.Skip {
		parts = append(parts, fmt.Sprintf("--skip %q", s))
	}
	return strings.Join(parts, " ")
}
