package target

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/cli"
	"github.com/kconform/kconform/internal/outfile"
)

// Environment variables read by Load. A flag, when given, wins over its
// variable. Secrets belong in the environment: a flag shows in `ps`.
const (
	EnvTarget         = "KCONFORM_TARGET"
	EnvKPTarget       = "KCONFORM_KP_TARGET"
	EnvHPPTarget      = "KCONFORM_HPP_TARGET"
	EnvUsername       = "KCONFORM_USERNAME"
	EnvPassword       = "KCONFORM_PASSWORD"
	EnvRequestTimeout = "KCONFORM_REQUEST_TIMEOUT"
	EnvDeadline       = "KCONFORM_DEADLINE"
	EnvLabelFilter    = "KCONFORM_LABEL_FILTER"
	EnvCallbackURL    = "KCONFORM_CALLBACK_URL"
	EnvCallbackListen = "KCONFORM_CALLBACK_LISTEN"
)

// Credentials the built-in mock accepts when started without options
// (internal/mock/CONTROL.md); used for a loopback target given none. The
// mock's DefaultUsername/DefaultPassword are these: defined here, where the
// run needs them, so this configuration package does not carry the mock.
const (
	MockDefaultUsername = "kconform"
	MockDefaultPassword = "kconform-secret"
)

// Defaults of a run.
const (
	DefaultDeadline          = 20 * time.Minute
	DefaultInProcessDeadline = 2 * time.Minute
	// DefaultProcs is --procs when not given, for a target on another
	// host: its specs mostly wait on the network, so more processes than
	// cores pay off. The built-in mock and a loopback target run in one
	// (measured: docs/performance.md "Parallel specs").
	DefaultProcs = 4
)

// InProcessTimeouts suit the built-in mock running in this process: it
// answers in microseconds, and its callback timings are set to match.
func InProcessTimeouts() Timeouts {
	return Timeouts{
		Request:         5 * time.Second,
		Async:           3 * time.Second,
		Poll:            10 * time.Millisecond,
		CallbackTimeout: 200 * time.Millisecond,
		// Short, so the callback specs take a fraction of a second; the
		// timeout stays well above a loaded machine's scheduling delays,
		// or a prompt 200 would count as too slow and be retried.
		CallbackRetryDelay: 20 * time.Millisecond,
	}
}

// stringList is a repeatable string flag (--focus a --focus b).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// raw is what the command line said, before checking.
type raw struct {
	target, username, password             string
	kpTarget, hppTarget                    string
	requestTimeout, deadline               string
	labelFilter, junit, json               string
	report, reportJSON, record             string
	callbackURL, callbackListen, mockFault string
	callbackTimeout, callbackRetryDelay    string
	returnURL, returnListen, consumer      string
	profile, manualTimeout                 string
	browser, screenshots                   string
	focus, skip                            stringList
	paymentProvider, procs                 string
	allowProduction, verbose, noColor      bool
}

func newFlagSet(r *raw) *flag.FlagSet {
	fs := flag.NewFlagSet("kconform run", flag.ContinueOnError)
	fs.StringVar(&r.target, "target", "", "API base URL of the target, e.g. https://api.playground.klarna.com (env "+EnvTarget+"); empty: the built-in mock, in process")
	fs.StringVar(&r.kpTarget, "kp-target", "", "base URL of the KP API (/payments/v1), when it is not --target's (env "+EnvKPTarget+")")
	fs.StringVar(&r.hppTarget, "hpp-target", "", "base URL of the HPP API (/hpp/v1), when it is not --target's (env "+EnvHPPTarget+")")
	fs.StringVar(&r.username, "username", "", "HTTP Basic username (env "+EnvUsername+")")
	fs.StringVar(&r.password, "password", "", "HTTP Basic password; prefer env "+EnvPassword+" (a flag shows in the process list)")
	fs.BoolVar(&r.allowProduction, "allow-production", false, "allow a Klarna or Kustom production host: any host under klarna.com or kustom.co except the documented playgrounds ("+strings.Join(PlaygroundHosts, ", ")+")")
	fs.StringVar(&r.requestTimeout, "request-timeout", "", "limit for one HTTP exchange, e.g. 10s (env "+EnvRequestTimeout+"; default 10s, 5s in process)")
	fs.StringVar(&r.deadline, "deadline", "", "limit for the whole run, e.g. 20m (env "+EnvDeadline+"; default 20m, 2m in process)")
	fs.StringVar(&r.labelFilter, "label-filter", "", "Ginkgo label filter, e.g. '!consumer && !clock' (env "+EnvLabelFilter+")")
	fs.Var(&r.focus, "focus", "run only specs whose text matches this regular expression (repeatable)")
	fs.Var(&r.skip, "skip", "skip specs whose text matches this regular expression (repeatable)")
	fs.StringVar(&r.junit, "junit-report", "", "write a JUnit XML report to this file")
	fs.StringVar(&r.json, "json-report", "", "write a Ginkgo JSON report to this file")
	fs.StringVar(&r.report, "report", "", "write the conformance report to this file as Markdown: the target's findings first, then one verdict per rule (holds, broken, blocked, not-checkable, not-run) with its evidence, and what the run covered of the contract")
	fs.StringVar(&r.reportJSON, "report-json", "", "write the conformance report to this file as JSON (same content as --report)")
	fs.StringVar(&r.record, "record", "", "write the run's API exchanges, in the order they completed, to this file as a HAR 1.2 capture that kconform validate reads. Always redacted (Authorization, cookies and URL passwords are replaced). Only the API is recorded: consumer-page, control-plane (/_kconform) and callback traffic is left out, as are requests that got no answer; deliberately invalid requests are kept, marked by the entry comment \"deliberately invalid request\"")
	fs.BoolVar(&r.verbose, "v", false, "verbose: print every spec and its HTTP log")
	fs.BoolVar(&r.noColor, "no-color", false, "no colours in the output")
	fs.StringVar(&r.callbackURL, "callback-url", "", "public base URL that forwards to --callback-listen, for targets that cannot reach this machine (env "+EnvCallbackURL+")")
	fs.StringVar(&r.callbackListen, "callback-listen", "", "host:port of the local callback receiver (env "+EnvCallbackListen+"; default 127.0.0.1:0, required with --callback-url)")
	fs.StringVar(&r.callbackTimeout, "callback-timeout", "", "how long the target waits for a callback receiver before retrying (D-cb: 3s; 200ms for the built-in mock; a target announcing its own in its capabilities needs no flag); a slow receiver answers later than this")
	fs.StringVar(&r.callbackRetryDelay, "callback-retry-delay", "", "the target's pause between two calls of one callback event (D-cb: \"a few seconds\", 2s assumed; 20ms for the built-in mock; a target announcing its own in its capabilities needs no flag)")
	fs.StringVar(&r.paymentProvider, "payment-provider", "", "what the HPP sessions host: kp (a Klarna Payments session) or kco (a Klarna Checkout order, the only kind Kustom hosts) (env "+EnvPaymentProvider+"; default kco on a kustom.co host, kp otherwise)")
	fs.StringVar(&r.procs, "procs", "", fmt.Sprintf("how many processes run the specs at once; 1 runs them one after another in this process. "+
		"Default %d for a target on another host (its specs wait on the network, so more processes than cores pay off), 1 for the built-in mock and a loopback --target (no network to wait on: starting processes costs more than it saves). "+
		"Each process has its own callback and return receivers (and built-in mock); specs that move a target's clock (Serial) run alone at the end. "+
		"A fixed --callback-listen or --return-listen (so --callback-url, --return-url), and --consumer manual or browser, keep the run in one process (the header's \"note: one process\" says why). "+
		"A process that dies fails the run (exit 1) naming it and its specs", DefaultProcs))
	consumerFlags(fs, r)
	fs.StringVar(&r.mockFault, "mock-faults", "", "comma-separated `names` of faults to switch on in the built-in mock (no --target); kconform mock --list-faults lists them")
	return fs
}

// needValue are the flags whose empty value means nothing.
var needValue = []string{"request-timeout", "deadline", "focus", "skip", "callback-timeout", "callback-retry-delay",
	"payment-provider", "procs", "mock-faults", "consumer", "manual-timeout"}

// Usage is the flag help of `kconform run`.
func Usage() string {
	var r raw
	fs := newFlagSet(&r)
	var b bytes.Buffer
	fs.SetOutput(&b)
	fmt.Fprintln(&b, "usage: kconform run [flags]")
	fmt.Fprintln(&b, "Runs the conformance suites against --target, or against the built-in mock when no target is given.")
	fmt.Fprintln(&b, "Exit codes: 0 every selected spec passed, 1 a spec failed or the target cannot be tested, 2 bad usage, 130/143 interrupted (SIGINT/SIGTERM).")
	fs.PrintDefaults()
	return b.String()
}

// source names where a value came from, for messages.
type source struct{ flag, env string }

func (s source) describe(fromFlag bool, value string) string {
	if fromFlag {
		return fmt.Sprintf("--%s %q", s.flag, value)
	}
	return fmt.Sprintf("%s=%q", s.env, value)
}

// Load builds a RunConfig from command-line args (without the "run" word) and
// the environment (getenv, usually os.Getenv). It returns flag.ErrHelp for
// -h, a *UsageError listing every problem otherwise.
func Load(args []string, getenv func(string) string) (RunConfig, error) {
	var r raw
	fs := newFlagSet(&r)
	if err := cli.Parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return RunConfig{}, err
		}
		u := &UsageError{}
		u.add("%v", err)
		return RunConfig{}, u
	}
	set := cli.Given(fs)

	u := &UsageError{}
	if fs.NArg() > 0 {
		u.Problems = append(u.Problems, cli.Unexpected("run", fs.Arg(0)))
	}
	// A flag given with no value, where no value means nothing (a CI
	// variable left unset: --deadline="$DEADLINE"), is a mistake: it ran
	// silently with the default. Empty still means "none" for a target
	// (the built-in mock) and a label filter.
	for _, name := range needValue {
		if f := fs.Lookup(name); set[name] && strings.TrimSpace(f.Value.String()) == "" {
			u.add("--%s is given without a value: give one, or leave the flag out for its default", name)
		}
	}
	// pick returns the flag value when given, else the variable's.
	pick := func(name, env, flagValue string) (string, bool) {
		return cli.Pick(set, name, flagValue, env, getenv)
	}

	cfg := RunConfig{AllowProduction: r.allowProduction, Verbose: r.verbose, NoColor: r.noColor}

	// Target: one base URL, or one per API (each overrides --target).
	if v, fromFlag := pick("target", EnvTarget, r.target); v != "" {
		cfg.Target = parseTarget(u, source{"target", EnvTarget}.describe(fromFlag, exchangeSafe(v)), v, cfg.AllowProduction)
	}
	if v, fromFlag := pick("kp-target", EnvKPTarget, r.kpTarget); v != "" {
		cfg.KPTarget = parseTarget(u, source{"kp-target", EnvKPTarget}.describe(fromFlag, exchangeSafe(v)), v, cfg.AllowProduction)
	}
	if v, fromFlag := pick("hpp-target", EnvHPPTarget, r.hppTarget); v != "" {
		cfg.HPPTarget = parseTarget(u, source{"hpp-target", EnvHPPTarget}.describe(fromFlag, exchangeSafe(v)), v, cfg.AllowProduction)
	}
	if cfg.Target == nil && (cfg.KPTarget != nil) != (cfg.HPPTarget != nil) {
		u.add("--kp-target and --hpp-target override --target per API: give both, or --target for the other API")
	}
	if cfg.Target == nil && cfg.KPTarget != nil {
		cfg.Target = cfg.KPTarget
	}

	v, fromFlag := pick("payment-provider", EnvPaymentProvider, r.paymentProvider)
	loadProvider(u, &cfg, v, fromFlag)

	// Credentials.
	cfg.Username, _ = pick("username", EnvUsername, r.username)
	pw, pwFromFlag := pick("password", EnvPassword, r.password)
	cfg.Password = Secret(pw)
	if pwFromFlag && pw != "" {
		cfg.Notes = append(cfg.Notes, "--password was given on the command line, where other users can see it; prefer "+EnvPassword)
	}
	switch {
	case cfg.Target == nil:
		if cfg.Username != "" || cfg.Password != "" {
			cfg.Notes = append(cfg.Notes, "credentials are ignored without --target: the built-in mock gets its own")
		}
	case cfg.Username == "" && cfg.Password == "" && IsLoopback(cfg.Target.Host):
		cfg.Username, cfg.Password = MockDefaultUsername, MockDefaultPassword
		cfg.Notes = append(cfg.Notes, "no credentials given for a loopback target: using the `kconform mock` defaults (username "+MockDefaultUsername+")")
	default:
		if cfg.Username == "" {
			u.add("--username / %s is required with a target (%s)", EnvUsername, cfg.TargetString())
		}
		if cfg.Password == "" {
			u.add("--password / %s is required with a target (%s); prefer the variable", EnvPassword, cfg.TargetString())
		}
	}

	// Timeouts.
	cfg.Timeouts = DefaultTimeouts()
	cfg.Deadline = DefaultDeadline
	if cfg.Target == nil {
		cfg.Timeouts = InProcessTimeouts()
		cfg.Deadline = DefaultInProcessDeadline
	}
	if v, fromFlag := pick("request-timeout", EnvRequestTimeout, r.requestTimeout); v != "" {
		if d, ok := parseDuration(u, source{"request-timeout", EnvRequestTimeout}.describe(fromFlag, v), v); ok {
			cfg.Timeouts.Request = d
		}
	}
	if v, fromFlag := pick("deadline", EnvDeadline, r.deadline); v != "" {
		if d, ok := parseDuration(u, source{"deadline", EnvDeadline}.describe(fromFlag, v), v); ok {
			cfg.Deadline = d
		}
	}
	if r.callbackTimeout != "" {
		if d, ok := parseDuration(u, fmt.Sprintf("--callback-timeout %q", r.callbackTimeout), r.callbackTimeout); ok {
			cfg.Timeouts.CallbackTimeout = d
			cfg.CallbackTimeoutSet = true
		}
	}
	if r.callbackRetryDelay != "" {
		if d, ok := parseDuration(u, fmt.Sprintf("--callback-retry-delay %q", r.callbackRetryDelay), r.callbackRetryDelay); ok {
			cfg.Timeouts.CallbackRetryDelay = d
			cfg.CallbackRetryDelaySet = true
		}
	}
	if cfg.Timeouts.Request > 0 && cfg.Deadline > 0 && cfg.Deadline <= cfg.Timeouts.Request {
		u.add("--deadline %s must be longer than --request-timeout %s", cfg.Deadline, cfg.Timeouts.Request)
	}

	// Spec selection.
	if v, fromFlag := pick("label-filter", EnvLabelFilter, r.labelFilter); v != "" {
		if _, err := types.ParseLabelFilter(v); err != nil {
			u.add("%s is not a label filter: %s", source{"label-filter", EnvLabelFilter}.describe(fromFlag, v), labelFilterProblem(err))
		}
		cfg.LabelFilter = v
	}
	for _, re := range r.focus {
		if _, err := regexp.Compile(re); err != nil {
			u.add("--focus %q is not a regular expression: %v", re, err)
		}
	}
	for _, re := range r.skip {
		if _, err := regexp.Compile(re); err != nil {
			u.add("--skip %q is not a regular expression: %v", re, err)
		}
	}
	cfg.Focus, cfg.Skip = r.focus, r.skip
	cfg.JUnitReport, cfg.JSONReport = r.junit, r.json
	cfg.Report, cfg.ReportJSON, cfg.Record = r.report, r.reportJSON, r.record
	checkOutputs(u, fs, map[string]string{
		"junit-report": r.junit, "json-report": r.json,
		"report": r.report, "report-json": r.reportJSON, "record": r.record,
	})

	// Callbacks, and the consumer (consumer.go).
	cfg.CallbackURL, cfg.CallbackListen = forwarded(u, source{"callback-url", EnvCallbackURL}, r.callbackURL,
		source{"callback-listen", EnvCallbackListen}, r.callbackListen, pick)
	loadConsumer(u, &cfg, r, pick)

	cfg.Procs = DefaultProcs
	if cfg.InProcess() || IsLoopback(cfg.Target.Hostname()) {
		// Measured (docs/performance.md "Parallel specs"): a target on
		// this machine answers without network latency, and starting
		// processes costs more than they save.
		cfg.Procs = 1
	}
	if r.procs != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(r.procs)); err != nil || n < 1 {
			u.add("--procs %q is not a number of processes (1 or more)", r.procs)
		} else {
			cfg.Procs = n
		}
	}

	// Built-in mock faults.
	if r.mockFault != "" {
		if cfg.Target != nil {
			u.add("--mock-faults %q needs the built-in mock: it cannot be used with a target (%s)", r.mockFault, cfg.TargetString())
		}
		for _, f := range strings.Split(r.mockFault, ",") {
			if f = strings.TrimSpace(f); f == "" {
				u.add("--mock-faults %q has an empty fault name (write names separated by single commas; kconform mock --list-faults lists them)", r.mockFault)
				cfg.MockFaults = nil
				break
			}
			cfg.MockFaults = append(cfg.MockFaults, f)
		}
	}
	return cfg, u.orNil()
}

func parseTarget(u *UsageError, what, v string, allowProduction bool) *url.URL {
	t, err := url.Parse(strings.TrimSpace(v))
	if err != nil {
		u.add("%s is not a URL: %v", what, errors.Unwrap(err))
		return nil
	}
	bad := false
	if t.Scheme != "http" && t.Scheme != "https" {
		u.add("%s must start with http:// or https://", what)
		bad = true
	}
	if t.Host == "" {
		u.add("%s has no host", what)
		bad = true
	}
	if t.User != nil {
		u.add("%s must not carry credentials; use --username and %s", what, EnvPassword)
		bad = true
	}
	if t.RawQuery != "" || t.Fragment != "" {
		u.add("%s must not have a query or fragment", what)
		bad = true
	}
	if op, prod, err := ProductionOperator(t.Host); err != nil {
		u.add("%s: %v", what, err)
		bad = true
	} else if prod && !allowProduction {
		h, _ := dialedHost(t.Host)
		u.add("%s: %s is a %s production host (every host under klarna.com and kustom.co is, except the playgrounds %s): the suites create sessions, place orders and send e-mails and SMS; pass --allow-production if you really mean it, or use a playground",
			what, h, op, strings.Join(PlaygroundHosts, ", "))
		bad = true
	}
	if bad {
		return nil
	}
	t.Path = strings.TrimRight(t.Path, "/")
	t.RawPath = ""
	return t
}

func parseDuration(u *UsageError, what, v string) (time.Duration, bool) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		u.add("%s is not a duration (e.g. 10s, 2m)", what)
		return 0, false
	}
	if d <= 0 {
		u.add("%s must be positive", what)
		return 0, false
	}
	return d, true
}

// exchangeSafe hides a password in a URL's userinfo before it is quoted.
func exchangeSafe(v string) string {
	if t, err := url.Parse(v); err == nil && t.User != nil {
		return t.Redacted()
	}
	return v
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// checkOutputs refuses, before anything runs, an output path that cannot be
// written and two outputs sharing one path (the second would overwrite the
// first). Every output is written through a temporary file and renamed into
// place when the run ends, so a refused or interrupted run leaves the paths
// as they were.
func checkOutputs(u *UsageError, fs *flag.FlagSet, paths map[string]string) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var checked []string // flag names, in order
outputs:
	for _, name := range slices.Sorted(maps.Keys(paths)) {
		p := paths[name]
		if p == "" {
			if given[name] {
				u.add("--%s needs a file name", name)
			}
			continue
		}
		if err := outfile.Check(p); err != nil {
			u.add("--%s %q: %v", name, p, err)
			continue
		}
		// Files, not strings: a symlink or a hard link makes two paths one file.
		for _, other := range checked {
			if op := paths[other]; outfile.SameFile(op, p) {
				msg := fmt.Sprintf("--%s and --%s name the same file %q", other, name, p)
				if filepath.Clean(op) != filepath.Clean(p) {
					msg += fmt.Sprintf(" (--%s %q)", other, op)
				}
				u.add("%s", msg)
				continue outputs
			}
		}
		checked = append(checked, name)
	}
}

// ginkgoMarkup is the colour markup of Ginkgo's messages ("{{red}}").
var ginkgoMarkup = regexp.MustCompile(`\{\{/?[a-z-]*\}\}`)

// labelFilterProblem says what is wrong with a label filter in plain
// words: the reason Ginkgo's parser gives ("Mismatched '(' - could not find
// matching ')'."), not its heading, which Error() wraps in ANSI colour
// codes whatever the output is.
func labelFilterProblem(err error) string {
	var ge types.GinkgoError
	if !errors.As(err, &ge) {
		return firstLine(err.Error())
	}
	lines := strings.Split(strings.TrimSpace(ginkgoMarkup.ReplaceAllString(ge.Message, "")), "\n")
	reason := strings.TrimSuffix(strings.TrimSpace(lines[len(lines)-1]), ".")
	if reason == "" {
		return "it does not parse"
	}
	return strings.ToLower(reason[:1]) + reason[1:]
}

// WithoutFlag is args without the flag name and its value, in any of the
// forms the flag package reads (-name v, --name v, -name=v, --name=v): a
// parent passes a child its command line without the password, which goes
// through the environment instead.
func WithoutFlag(args []string, name string) []string {
	var r raw
	fs := newFlagSet(&r)
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			return append(out, args[i:]...)
		}
		n, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(n)
		takesNext := !hasValue && f != nil && !isBool(f)
		if n == name {
			if takesNext {
				i++
			}
			continue
		}
		out = append(out, a)
		if takesNext && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
