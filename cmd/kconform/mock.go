package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/kconform/kconform/internal/cli"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/mock"
)

// Environment variables `kconform mock` reads for its credentials.
const (
	envMockUsername = "KCONFORM_MOCK_USERNAME"
	envMockPassword = "KCONFORM_MOCK_PASSWORD"
)

const mockUsage = `usage: kconform mock [flags]

Serves the reference mock of the Klarna HPP and KP APIs until SIGINT or
SIGTERM. It prints its base URL on stdout, alone on a line; logs go to
stderr. The consumer page is <base>/pay/<hpp_session_id> and the control
plane <base>/_kconform/ (internal/mock/CONTROL.md).

Credentials: --username/--password, else $` + envMockUsername + `/$` + envMockPassword + `,
else "` + mock.DefaultUsername + `" / "` + mock.DefaultPassword + `".

Exit status: 0 after a clean shutdown, 1 when it cannot listen or serve,
2 on a bad flag.

Flags:
`

func mockCmd(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runMock(ctx, args, os.Getenv, os.Stdout, os.Stderr)
}

// faultList is the repeatable --fault flag; a name is checked as it is given.
type faultList []string

func (f *faultList) String() string { return strings.Join(*f, ",") }

func (f *faultList) Set(name string) error {
	if _, err := mock.ParseFaults(name); err != nil {
		return err
	}
	*f = append(*f, name)
	return nil
}

// mockConfig is what the command line and the environment asked of
// `kconform mock`.
type mockConfig struct {
	addr       string
	listFaults bool
	opts       mock.Options // all but Logger
}

// loadMock reads `kconform mock`'s flags (args, without the "mock" word)
// and its variables (through getenv). It returns flag.ErrHelp for -h and
// the problem, for cli.Report, for a bad flag, value or argument.
func loadMock(args []string, getenv func(string) string) (mockConfig, error) {
	fs, get := newMockFlagSet()
	if err := cli.Parse(fs, args); err != nil {
		return mockConfig{}, err
	}
	if fs.NArg() > 0 {
		return mockConfig{}, cli.Unexpected("mock", fs.Arg(0))
	}
	cfg := get()
	if cfg.listFaults {
		return cfg, nil
	}
	given := cli.Given(fs)
	var err error
	if cfg.opts.Username, err = credential(given, "username", cfg.opts.Username, envMockUsername, mock.DefaultUsername, getenv); err != nil {
		return mockConfig{}, err
	}
	if cfg.opts.Password, err = credential(given, "password", cfg.opts.Password, envMockPassword, mock.DefaultPassword, getenv); err != nil {
		return mockConfig{}, err
	}
	if err := checkAddr(cfg.addr); err != nil {
		return mockConfig{}, err
	}
	// mock.Options reads 0 as the default: a user who typed 0 meant
	// something else, most likely "no limit", which for a timeout is a
	// hang (a receiver that never answers holds the callback for ever).
	for _, d := range mockDurations(cfg.opts) {
		switch {
		case d.got <= 0:
			return mockConfig{}, fmt.Errorf("--%s must be positive, got %s (default %s)", d.flag, d.got, d.dflt)
		case d.got < d.min:
			return mockConfig{}, fmt.Errorf("--%s %s is too short: at least %s (%s)", d.flag, d.got, d.min, d.whyMin)
		case d.got > d.max:
			return mockConfig{}, fmt.Errorf("--%s %s is too long: at most %s (%s)", d.flag, d.got, d.max, d.whyMax)
		}
	}
	return cfg, nil
}

// mockDuration is a duration flag of `kconform mock` and its bounds.
// The bounds are assumptions (no Klarna source gives them): wide enough
// for any test, narrow enough that a typo (1ns, 999999h) is caught.
type mockDuration struct {
	flag           string
	got, dflt      time.Duration
	min, max       time.Duration
	whyMin, whyMax string
}

func mockDurations(o mock.Options) []mockDuration {
	const hang = "longer is a hang, not a test"
	return []mockDuration{
		{"callback-timeout", o.CallbackTimeout, mock.DefaultCallbackTimeout, 10 * time.Millisecond, time.Hour,
			"a shorter one fails every receiver", "a receiver that never answers would hold the callback that long; " + hang},
		{"callback-retry-delay", o.CallbackRetryDelay, mock.DefaultCallbackRetryDelay, time.Millisecond, time.Hour,
			"a shorter one retries in a busy loop", hang},
		{"request-read-timeout", o.RequestReadTimeout, mock.DefaultRequestReadTimeout, 100 * time.Millisecond, time.Hour,
			"a shorter one drops connections before their request arrives", "a client that stalls would hold its connection that long; " + hang},
	}
}

// checkAddr refuses an --addr the listener would only refuse later, as a
// failure to serve (exit 1) rather than the bad usage it is.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q is not host:port, e.g. 127.0.0.1:8080 (\":0\" picks a free port)", addr)
	}
	if n, err := strconv.Atoi(port); err == nil {
		if n < 0 || n > 65535 {
			return fmt.Errorf("--addr %q: port %d is out of range: 0 to 65535 (0 picks a free port)", addr, n)
		}
		return nil
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("--addr %q: %q is not a port: a number from 0 to 65535 (0 picks a free port)", addr, port)
	}
	return nil
}

// newMockFlagSet is the flags of `kconform mock`, and a function that
// returns their values once parsed.
func newMockFlagSet() (*flag.FlagSet, func() mockConfig) {
	fs := flag.NewFlagSet("kconform mock", flag.ContinueOnError)
	var (
		faults       faultList
		addr         = fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on (\":0\" picks a free port)")
		username     = fs.String("username", "", "Basic auth `user` the mock accepts (default $"+envMockUsername+" or \""+mock.DefaultUsername+"\")")
		password     = fs.String("password", "", "Basic auth `password` the mock accepts (default $"+envMockPassword+" or \""+mock.DefaultPassword+"\")")
		clock        = fs.Bool("control-clock", false, "enable /_kconform/clock (and /_kconform/reset): the suites can move time forward")
		faultControl = fs.Bool("control-faults", false, "enable PUT /_kconform/faults (and /_kconform/reset): the suites can switch faults")
		external     = fs.Bool("allow-external-callbacks", false, "let callbacks go to non-loopback hosts")
		cbTimeout    = fs.Duration("callback-timeout", mock.DefaultCallbackTimeout, "how long a callback receiver has to answer 2xx (10ms to 1h)")
		cbRetry      = fs.Duration("callback-retry-delay", mock.DefaultCallbackRetryDelay, "wait before a failed callback is retried (1ms to 1h)")
		readTimeout  = fs.Duration("request-read-timeout", mock.DefaultRequestReadTimeout, "how long a client has to send one whole request, headers and body; a slower one loses its connection (100ms to 1h)")
		listFaults   = fs.Bool("list-faults", false, "print the faults --fault accepts and exit")
		json401      = fs.Bool("json-401", false, "answer 401 with an ErrorV2 JSON body instead of Klarna's recorded HTML page")
		rateLimit    rateFlag
	)
	fs.Var(&rateLimit, "rate-limit", "answer 429 (empty body, as recorded) beyond `N/s` API requests a second (default: no limit)")
	fs.Var(&faults, "fault", "switch a fault on from the start (repeatable; `name` from --list-faults)")
	return fs, func() mockConfig {
		return mockConfig{addr: *addr, listFaults: *listFaults, opts: mock.Options{
			Username:               *username,
			Password:               *password,
			ClockControl:           *clock,
			FaultControl:           *faultControl,
			Faults:                 faults,
			CallbackTimeout:        *cbTimeout,
			CallbackRetryDelay:     *cbRetry,
			AllowExternalCallbacks: *external,
			JSONUnauthorized:       *json401,
			RateLimit:              float64(rateLimit),
			RequestReadTimeout:     *readTimeout,
		}}
	}
}

// mockHelp prints the usage of `kconform mock`.
func mockHelp(w io.Writer) {
	fmt.Fprint(w, mockUsage)
	fs, _ := newMockFlagSet()
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// runMock is `kconform mock` until ctx is done.
func runMock(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := loadMock(args, getenv)
	if err != nil {
		return cli.Report("mock", err, mockHelp, stdout, stderr)
	}
	if cfg.listFaults {
		printFaults(stdout)
		return 0
	}
	opts := cfg.opts
	user := opts.Username

	// Whatever reaches the log (a merchant URL, an error), the credentials
	// the mock accepts never do.
	scrubbed := exchange.NewScrubber(exchange.BasicSecrets(user, opts.Password)...).Writer(stderr)
	defer scrubbed.Flush()
	logger := slog.New(slog.NewTextHandler(scrubbed, nil))
	opts.Logger = logger
	srv, err := mock.New(opts)
	if err != nil {
		// A value mock.New refuses (a negative timeout) is bad usage too.
		return cli.Report("mock", errors.New(mockError(err)), mockHelp, stdout, stderr)
	}
	base, err := srv.Start(cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "kconform mock: %s\n", mockError(err))
		_ = srv.Close()
		return 1
	}
	fmt.Fprintln(stdout, base)
	// The password is never logged, not even when it is the default.
	logger.Info("kconform mock serving", "base_url", base, "username", user,
		"control_clock", opts.ClockControl, "control_faults", opts.FaultControl, "faults", strings.Join(opts.Faults, ","))

	<-ctx.Done()
	logger.Info("kconform mock shutting down")
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "kconform mock: shutdown: %s\n", mockError(err))
		return 1
	}
	return 0
}

// mockError is err without the mock package's own "mock: " prefix, which
// the command's "kconform mock: " already says.
func mockError(err error) string {
	return strings.TrimPrefix(err.Error(), "mock: ")
}

// credential is the flag when given, else the variable, else the
// default. An explicitly empty flag is a mistake, not a request for the
// default.
func credential(given map[string]bool, name, flagValue, env, def string, getenv func(string) string) (string, error) {
	v, fromFlag := cli.Pick(given, name, flagValue, env, getenv)
	switch {
	case fromFlag && v == "":
		return "", fmt.Errorf("--%s must not be empty", name)
	case v != "":
		return v, nil
	}
	return def, nil
}

func printFaults(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAULT\tWHAT THE MOCK DOES\tRULE IT BREAKS")
	for _, f := range mock.FaultNames() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Description, f.Rule)
	}
	_ = tw.Flush()
}
