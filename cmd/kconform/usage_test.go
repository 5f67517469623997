package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

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

// TestMockRefusesAZeroReadTimeout: 0 used to mean 30s, silently.
func TestMockRefusesAZeroReadTimeout(t *testing.T) {
	for _, v := range []string{"0", "0s", "-1s"} {
		out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // an accepted value serves until then
		code := runMock(ctx, []string{"--addr", "127.0.0.1:0", "--request-read-timeout", v}, noEnv, out, errOut)
		cancel()
		if msg := string(errOut.Contents()); code != 2 || !strings.Contains(msg, "--request-read-timeout") {
			t.Errorf("--request-read-timeout %s: exit %d, stderr %q; want 2 naming the flag", v, code, msg)
		}
	}
}

// TestRunRefusesEmptyMockFaultNames: --mock-faults ,, used to run with no
// fault at all.
func TestRunRefusesEmptyMockFaultNames(t *testing.T) {
	for _, v := range []string{",,", "terminal-state-reopened,", " , "} {
		var stdout, stderr bytes.Buffer
		code := runSuites([]string{"--mock-faults", v}, func(string) string { return "" }, &stdout, &stderr)
		if code != runBadUsage || !strings.Contains(stderr.String(), "--mock-faults") || !strings.Contains(stderr.String(), "empty") {
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
