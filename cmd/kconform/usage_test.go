package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/suites/runner"
	"github.com/onsi/gomega/gbytes"
)

// TestMockErrorsNameTheCommandOnce: the mock's own errors used to read
// "kconform mock: mock: ...".
func TestMockErrorsNameTheCommandOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, args := range [][]string{{"--callback-timeout", "-1s"}, {"--addr", ln.Addr().String()}} {
		out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
		code := runMock(context.Background(), args, noEnv, out, errOut)
		msg := string(errOut.Contents())
		if code == 0 || !strings.HasPrefix(msg, "kconform mock: ") || strings.Contains(msg, "mock: mock:") {
			t.Errorf("%q: exit %d, stderr %q; want one \"kconform mock: \" prefix", args, code, msg)
		}
	}
}

// TestMockRefusesAZeroReadTimeout: 0 used to mean 30s, silently; and
// --callback-timeout 0 (and --callback-retry-delay 0) were accepted as
// their defaults while --request-read-timeout 0 was refused. Each duration
// of the mock is refused at 0 the same way.
func TestMockRefusesAZeroReadTimeout(t *testing.T) {
	for _, flag := range []string{"--request-read-timeout", "--callback-timeout", "--callback-retry-delay"} {
		for _, v := range []string{"0", "0s", "-1s"} {
			out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // an accepted value serves until then
			code := runMock(ctx, []string{"--addr", "127.0.0.1:0", flag, v}, noEnv, out, errOut)
			cancel()
			if msg := string(errOut.Contents()); code != 2 || !strings.Contains(msg, flag+" must be positive") {
				t.Errorf("%s %s: exit %d, stderr %q; want 2 saying the flag must be positive", flag, v, code, msg)
			}
		}
	}
}

// TestRunRefusesEmptyMockFaultNames: --mock-faults ,, used to run with no
// fault at all.
func TestRunRefusesEmptyMockFaultNames(t *testing.T) {
	for _, v := range []string{",,", "terminal-state-reopened,", " , "} {
		var stdout, stderr bytes.Buffer
		code := runSuites([]string{"--mock-faults", v}, func(string) string { return "" }, &stdout, &stderr)
		if code != runner.ExitBadUsage || !strings.Contains(stderr.String(), "--mock-faults") || !strings.Contains(stderr.String(), "empty") {
			t.Errorf("--mock-faults %q: exit %d, stderr %q; want 2 naming the flag and the empty name", v, code, stderr.String())
		}
	}
}

// TestRunUsageShowsAPlaceholderForMockFaults: a back-quoted word in a
// flag's help becomes its value placeholder; it read "-mock-faults kconform
// mock".
func TestRunUsageShowsAPlaceholderForMockFaults(t *testing.T) {
	var stdout bytes.Buffer
	runSuites([]string{"-h"}, func(string) string { return "" }, &stdout, &stdout)
	for _, line := range strings.Split(stdout.String(), "\n") {
		if strings.Contains(line, "-mock-faults") && !strings.Contains(line, "-mock-faults names") {
			t.Errorf("usage line %q: want the placeholder \"names\"", line)
		}
	}
	if !strings.Contains(stdout.String(), "-mock-faults") {
		t.Error("the usage does not list --mock-faults")
	}
}

// TestEveryCommandFollowsTheOneFlagConvention (internal/cli): help on
// stdout with exit 0; a bad flag, value or argument as one line
// "kconform <cmd>: <problem>" plus the pointer to -h on stderr, exit 2.
// validate takes any argument as a PATH, so its argument case is a missing
// one.
func TestEveryCommandFollowsTheOneFlagConvention(t *testing.T) {
	commands := map[string]func(args []string, stdout, stderr *bytes.Buffer) int{
		"run": func(args []string, stdout, stderr *bytes.Buffer) int {
			return runSuites(args, noEnv, stdout, stderr)
		},
		"mock": func(args []string, stdout, stderr *bytes.Buffer) int {
			return runMock(context.Background(), args, noEnv, stdout, stderr)
		},
		"validate": func(args []string, stdout, stderr *bytes.Buffer) int {
			return runValidate(args, noEnv, stdout, stderr)
		},
		"version": func(args []string, stdout, stderr *bytes.Buffer) int {
			return runVersion(args, stdout, stderr)
		},
	}
	cases := []struct {
		name string
		args map[string][]string // by command
		want map[string]string   // in the problem line; "" for help
	}{
		{"-h", map[string][]string{"run": {"-h"}, "mock": {"-h"}, "validate": {"-h"}, "version": {"-h"}}, nil},
		{"--help", map[string][]string{"run": {"--help"}, "mock": {"--help"}, "validate": {"x.har", "--help"}, "version": {"--help"}}, nil},
		// The flag package's "flag provided but not defined: -nosuch"
		// and "invalid value ... for flag -x" leaked through; every
		// message spells the flag --name, as the usage does.
		{"unknown flag",
			map[string][]string{"run": {"--no-such-flag"}, "mock": {"--no-such-flag"}, "validate": {"--no-such-flag", "x.har"}, "version": {"--no-such-flag"}},
			map[string]string{"run": "unknown flag --no-such-flag", "mock": "unknown flag --no-such-flag", "validate": "unknown flag --no-such-flag", "version": "unknown flag --no-such-flag"}},
		{"bad value",
			map[string][]string{"run": {"--procs", "many"}, "mock": {"--callback-timeout", "soon"}, "validate": {"--workers", "many", "x.har"}},
			map[string]string{"run": `--procs "many"`, "mock": `--callback-timeout "soon": not a value of this flag (its default is 3s)`, "validate": `--workers "many"`}},
		{"unexpected argument",
			map[string][]string{"run": {"extra"}, "mock": {"extra"}, "validate": {"--quiet"}, "version": {"extra"}},
			map[string]string{"run": `unexpected argument "extra"`, "mock": `unexpected argument "extra"`, "validate": "no PATH given", "version": `unexpected argument "extra"`}},
	}
	for _, c := range cases {
		for cmd, run := range commands {
			if _, ok := c.args[cmd]; !ok {
				continue // version has no flag to give a bad value
			}
			var stdout, stderr bytes.Buffer
			code := run(c.args[cmd], &stdout, &stderr)
			what := fmt.Sprintf("%s: kconform %s %q", c.name, cmd, c.args[cmd])
			if c.want == nil {
				if code != 0 || !strings.HasPrefix(stdout.String(), "usage: kconform "+cmd) || stderr.Len() != 0 {
					t.Errorf("%s: exit %d, stdout %.60q, stderr %q; want 0, the usage on stdout, nothing on stderr", what, code, stdout.String(), stderr.String())
				}
				continue
			}
			lines := strings.Split(stderr.String(), "\n")
			if code != 2 || stdout.Len() != 0 || len(lines) != 3 || lines[2] != "" ||
				!strings.HasPrefix(lines[0], "kconform "+cmd+": ") || !strings.Contains(lines[0], c.want[cmd]) ||
				lines[1] != "(kconform "+cmd+" -h lists the flags)" {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2, nothing on stdout, and on stderr \"kconform %s: ...%s...\" then the pointer to -h", what, code, stdout.String(), stderr.String(), cmd, c.want[cmd])
			}
		}
	}
}

// TestValidateUsageErrorsPointToHelp: `kconform validate ”` read as a
// file with no name ("unreadable: : cannot open"), and --as naming no
// operation of the contract lacked the pointer to -h other usage errors
// have. Both are one problem line, the pointer, exit 2, nothing on stdout.
func TestValidateUsageErrorsPointToHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{""}, "PATH 1 of 1 is empty"},
		{[]string{"x.har", ""}, "PATH 2 of 2 is empty"},
		{[]string{"--as", "bogusOp", "x.har"}, `--as bogusOp: the contract has no operation "bogusOp"`},
		{[]string{"--as", "bogusOp:response:200", "x.har"}, `the contract has no operation "bogusOp"`},
	} {
		var stdout, stderr bytes.Buffer
		code := runValidate(c.args, noEnv, &stdout, &stderr)
		lines := strings.Split(stderr.String(), "\n")
		if code != 2 || stdout.Len() != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "kconform validate: ") ||
			!strings.Contains(lines[0], c.want) || lines[1] != "(kconform validate -h lists the flags)" {
			t.Errorf("kconform validate %q: exit %d, stdout %q, stderr %q; want 2 and %q then the pointer to -h", c.args, code, stdout.String(), stderr.String(), c.want)
		}
	}
}

// TestRunSelectingNothingSaysSoInItsFlags: --focus ZZZ used to run no spec
// and fail with Ginkgo's "Detected no specs ran and --fail-on-empty is
// set", a flag kconform does not have, exit 1. It is a usage error now,
// said in kconform's flags before the target is touched.
func TestRunSelectingNothingSaysSoInItsFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--focus", "ZZZ"}, `no spec matches --focus "ZZZ" (of the `},
		{[]string{"--label-filter", "kp && callbacks && !kp"}, `no spec matches --label-filter "kp && callbacks && !kp"`},
	} {
		var stdout, stderr bytes.Buffer
		code := runSuites(c.args, noEnv, &stdout, &stderr)
		lines := strings.Split(stderr.String(), "\n")
		if code != runner.ExitBadUsage || stdout.Len() != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "kconform run: "+c.want) ||
			lines[1] != "(kconform run -h lists the flags)" || strings.Contains(stderr.String(), "fail-on-empty") {
			t.Errorf("kconform run %q: exit %d, stdout %.200q, stderr %q; want %d and %q then the pointer to -h", c.args, code, stdout.String(), stderr.String(), runner.ExitBadUsage, c.want)
		}
	}
}

// TestMockRefusesAddressesAndDurationsOutOfBounds: --addr with port 99999
// exited 1 as a failure to listen; --request-read-timeout 1ns was taken
// and then dropped every connection; --callback-timeout 999999h was taken
// though 0 ("never") is refused as a hang. Each is bad usage, exit 2,
// naming the flag and the bound.
func TestMockRefusesAddressesAndDurationsOutOfBounds(t *testing.T) {
	cases := map[string][]string{
		`--addr "127.0.0.1:99999": port 99999 is out of range: 0 to 65535`:  {"--addr", "127.0.0.1:99999"},
		`--addr "127.0.0.1" is not host:port`:                               {"--addr", "127.0.0.1"},
		`--addr "127.0.0.1:nosuchport": "nosuchport" is not a port`:         {"--addr", "127.0.0.1:nosuchport"},
		"--request-read-timeout 1ns is too short: at least 100ms":           {"--request-read-timeout", "1ns"},
		"--callback-timeout 1ms is too short: at least 10ms":                {"--callback-timeout", "1ms"},
		"--callback-timeout 999999h0m0s is too long: at most 1h0m0s":        {"--callback-timeout", "999999h"},
		"--callback-retry-delay 2h0m0s is too long: at most 1h0m0s":         {"--callback-retry-delay", "2h"},
		"--request-read-timeout 1000h0m0s is too long: at most 1h0m0s":      {"--request-read-timeout", "1000h"},
		`--rate-limit "abc": want a positive number of requests per second`: {"--rate-limit", "abc"},
	}
	for want, args := range cases {
		out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // an accepted value serves until then
		code := runMock(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), noEnv, out, errOut)
		cancel()
		if msg := string(errOut.Contents()); code != 2 || !strings.Contains(msg, want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 saying %q", args, code, msg, want)
		}
	}
	// The bounds themselves are accepted.
	for _, args := range [][]string{{"--request-read-timeout", "100ms"}, {"--callback-timeout", "1h"}, {"--callback-retry-delay", "1ms"}} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // serve, then shut down at once
		if code := runMock(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), noEnv, gbytes.NewBuffer(), gbytes.NewBuffer()); code != 0 {
			t.Errorf("%q: exit %d, want 0", args, code)
		}
	}
}

// TestValidateRefusesAnEmptyAsAndSaysASizeIsTooLarge: --as ” was
// silently ignored; --max-body 99999999999GiB said "want a positive
// number".
func TestValidateRefusesAnEmptyAsAndSaysASizeIsTooLarge(t *testing.T) {
	for want, args := range map[string][]string{
		"--as is empty": {"--as", "", "x.har"},
		"--as is empty: name what bare entries are":                                    {"--as=", "x.har"},
		`--max-body: "99999999999GiB" is too large: at most 9223372036854775807 bytes`: {"--max-body", "99999999999GiB", "x.har"},
		`--max-body: "99999999999999999999" is too large`:                              {"--max-body", "99999999999999999999", "x.har"},
		`--max-body: "0" is not a size: want a positive number`:                        {"--max-body", "0", "x.har"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runValidate(args, noEnv, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 saying %q", args, code, stderr.String(), want)
		}
	}
}
