package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

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

// runMock is `kconform mock` until ctx is done.
func runMock(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kconform mock", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, in one line
	var (
		faults       faultList
		addr         = fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on (\":0\" picks a free port)")
		username     = fs.String("username", "", "Basic auth `user` the mock accepts (default $"+envMockUsername+" or \""+mock.DefaultUsername+"\")")
		password     = fs.String("password", "", "Basic auth `password` the mock accepts (default $"+envMockPassword+" or \""+mock.DefaultPassword+"\")")
		clock        = fs.Bool("control-clock", false, "enable /_kconform/clock (and /_kconform/reset): the suites can move time forward")
		faultControl = fs.Bool("control-faults", false, "enable PUT /_kconform/faults (and /_kconform/reset): the suites can switch faults")
		external     = fs.Bool("allow-external-callbacks", false, "let callbacks go to non-loopback hosts")
		cbTimeout    = fs.Duration("callback-timeout", mock.DefaultCallbackTimeout, "how long a callback receiver has to answer 2xx")
		cbRetry      = fs.Duration("callback-retry-delay", mock.DefaultCallbackRetryDelay, "wait before a failed callback is retried")
		readTimeout  = fs.Duration("request-read-timeout", mock.DefaultRequestReadTimeout, "how long a client has to send one whole request, headers and body; a slower one loses its connection (must be positive)")
		listFaults   = fs.Bool("list-faults", false, "print the faults --fault accepts and exit")
		json401      = fs.Bool("json-401", false, "answer 401 with an ErrorV2 JSON body instead of Klarna's recorded HTML page")
		rateLimit    rateFlag
	)
	fs.Var(&rateLimit, "rate-limit", "answer 429 (empty body, as recorded) beyond `N/s` API requests a second (default: no limit)")
	fs.Var(&faults, "fault", "switch a fault on from the start (repeatable; `name` from --list-faults)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, mockUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "kconform mock: %v\n(kconform mock -h lists the flags)\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kconform mock: unexpected argument %q (kconform mock -h lists the flags)\n", fs.Arg(0))
		return 2
	}
	if *listFaults {
		printFaults(stdout)
		return 0
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	user, err := credential(set["username"], *username, getenv(envMockUsername), mock.DefaultUsername, "username")
	if err == nil {
		var pass string
		pass, err = credential(set["password"], *password, getenv(envMockPassword), mock.DefaultPassword, "password")
		*password = pass
	}
	if err != nil {
		fmt.Fprintf(stderr, "kconform mock: %v\n", err)
		return 2
	}

	// Whatever reaches the log (a merchant URL, an error), the credentials
	// the mock accepts never do.
	scrubbed := exchange.NewScrubber(exchange.BasicSecrets(user, *password)...).Writer(stderr)
	defer scrubbed.Flush()
	logger := slog.New(slog.NewTextHandler(scrubbed, nil))
	if *readTimeout <= 0 {
		// Options would read 0 as the default: a user who typed 0 meant something else.
		fmt.Fprintf(stderr, "kconform mock: --request-read-timeout must be positive, got %s (default %s)\n", *readTimeout, mock.DefaultRequestReadTimeout)
		return 2
	}
	srv, err := mock.New(mock.Options{
		Username:               user,
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
		Logger:                 logger,
	})
	if err != nil {
		fmt.Fprintf(stderr, "kconform mock: %s\n", mockError(err))
		return 2
	}
	base, err := srv.Start(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "kconform mock: %s\n", mockError(err))
		_ = srv.Close()
		return 1
	}
	fmt.Fprintln(stdout, base)
	// The password is never logged, not even when it is the default.
	logger.Info("kconform mock serving", "base_url", base, "username", user,
		"control_clock", *clock, "control_faults", *faultControl, "faults", faults.String())

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

// credential picks the flag, then the environment, then the default. An
// explicitly empty flag is a mistake, not a request for the default.
func credential(flagSet bool, flagValue, env, def, name string) (string, error) {
	switch {
	case flagSet && flagValue == "":
		return "", fmt.Errorf("--%s must not be empty", name)
	case flagSet:
		return flagValue, nil
	case env != "":
		return env, nil
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
