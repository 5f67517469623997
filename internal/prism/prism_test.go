package prism_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// Relative to this package's directory, where go test runs the test.
const (
	prismBin = "node_modules/.bin/prism"
	spec     = "../../openapi/kconform.yaml"
	mainPkg  = "../../cmd/kconform"
)

// The run's time limits. Prism starts in a few seconds; the suites take about
// one against it once the callback specs are filtered out.
const (
	listenTimeout = 30 * time.Second
	runTimeout    = 75 * time.Second
	runDeadline   = "60s"
)

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// inCI reports whether CI is set (.ci/run sets CI=true): there the pinned
// Prism must have been installed by `make test`, so a missing one fails.
func inCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

func TestSuitesAgainstPrism(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips starting Prism and running the suites against it")
	}
	bin, err := filepath.Abs(prismBin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		msg := fmt.Sprintf("Prism is not installed (%v); `make tools-prism` installs the pinned version into internal/prism/node_modules", err)
		if inCI() {
			t.Fatalf("%s. CI is set, so this test must run: `make test` installs it through `make tools`", msg)
		}
		t.Skip(msg)
	}

	addr := startPrism(t, bin)
	kconform := buildKconform(t)
	reportPath := filepath.Join(t.TempDir(), "report.json")

	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	// --label-filter '!callbacks': Prism never calls back, and each callback
	// spec waits its whole callback window (30 s) for a call that cannot come.
	cmd := exec.CommandContext(ctx, kconform, "run",
		"--target", "http://"+addr,
		"--username", "u", "--password", "p", // Prism accepts any Basic credentials
		"--json-report", reportPath,
		"--deadline", runDeadline,
		"--label-filter", "!callbacks",
		"--no-color")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err = cmd.Run()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kconform run output:\n%s", out.String())
		}
	})
	t.Logf("kconform run against Prism took %s", time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		t.Fatalf("kconform run did not finish within %s", runTimeout)
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 1 {
		t.Fatalf("exit status: kconform run against Prism must exit 1 (some specs fail against a stateless mock); got %v", err)
	}

	specs := readReport(t, reportPath)

	// (a) What a stateless mock that answers from examples cannot do. Each
	// of these specs must fail: if one passes, it no longer tells a real
	// implementation from a document-driven stub.
	mustFail := map[string]string{
		// Prism checks that an Authorization header is there, not what it says.
		"Errors authentication MUST answer 401 to createCreditSession with a wrong password": "credentials are checked, not only present",
		"Errors authentication MUST answer 401 to getSessionById with a wrong password":      "credentials are checked, not only present",
		// Prism answers any id with an example.
		"Errors unknown ids MUST answer 404 to getSessionById with an unknown id":    "an unknown HPP session is 404",
		"Errors unknown ids MUST answer 404 to disableHppSession with an unknown id": "an unknown HPP session is 404",
		"Errors unknown ids MUST answer 404 to readCreditSession with an unknown id": "an unknown KP session is 404",
		// Reading back returns an example, not the session just created.
		"HPP session lifecycle MUST create an HPP session for a KP session with 201 and read it back WAITING":                      "a created HPP session reads back WAITING",
		"KP session and authorization lifecycle MUST create a KP session with 200 and read it back incomplete with its order data": "a created KP session reads back with its order data",
		"KP session and authorization lifecycle MUST update an open KP session with 204 and read the update back":                  "an update reads back",
		"HPP session lifecycle in a terminal status MUST disable a WAITING session with 204 and read it DISABLED":                  "a disabled session reads DISABLED",
		"HPP session lifecycle in a terminal status MUST refuse distribution of a DISABLED session with 400":                       "a DISABLED session refuses distribution",
		"Session and token expiry MUST set the HPP session's expires_at one hour before the KP session's":                          "HPP expires_at is one hour before the KP session's",
		// Prism's error bodies are examples: their correlation_id is not the header's.
		"Errors correlation ids MUST send the same correlation id in the header and the body of a KP 400":                                          "the error body's correlation_id equals the Klarna-Correlation-Id header",
		"Errors correlation ids MUST send the same correlation id in the header and the body of an HPP 400":                                        "the error body's correlation_id equals the Klarna-Correlation-Id header",
		"HPP link distribution without the contact data of its method MUST answer 400 MISSING_CONTACT_DATA to an email distribution without email": "a distribution without its contact data is 400 MISSING_CONTACT_DATA",
	}
	for name, rule := range mustFail {
		s, ok := specs[name]
		switch {
		case !ok:
			t.Errorf("rule %q: spec %q is not in the report (renamed? update this test)", rule, name)
		case !s.State.Is(types.SpecStateFailed):
			t.Errorf("rule %q: spec %q must fail against Prism, a stateless example-based mock; it %s", rule, name, s.State)
		}
	}

	// (b) What Prism does get right: it enforces that security is present,
	// answering 401 to every operation called without credentials.
	var noCreds int
	for name, s := range specs {
		if !strings.HasPrefix(name, "Errors authentication MUST answer 401 to ") || !strings.HasSuffix(name, " without credentials") {
			continue
		}
		noCreds++
		if !s.State.Is(types.SpecStatePassed) {
			t.Errorf("rule %q: spec %q must pass against Prism (it answers 401 when the Authorization header is missing); it %s: %s",
				"401 without credentials", name, s.State, firstLine(s.Failure.Message))
		}
	}
	if noCreds < 10 {
		t.Errorf("rule %q: want the 10 operations' 'without credentials' specs in the report, found %d", "401 without credentials", noCreds)
	}

	// (c) Prism has no /_kconform/capabilities: the consumer and clock specs
	// are skipped, each with the reason.
	need := map[string]string{"consumer": "needs the consumer page", "clock": "needs a movable clock"}
	seen := map[string]int{}
	for name, s := range specs {
		labels := s.Labels()
		if slices.Contains(labels, "callbacks") {
			continue // filtered out above, skipped without a reason
		}
		var wants []string // a spec may need both: it names the one it checked first
		for _, label := range []string{"consumer", "clock"} {
			if slices.Contains(labels, label) {
				seen[label]++
				wants = append(wants, need[label])
			}
		}
		if len(wants) == 0 {
			continue
		}
		rule := strings.Join(wants, " / ")
		if !s.State.Is(types.SpecStateSkipped) {
			t.Errorf("rule %q: spec %q (labels %v) must be skipped against Prism, which has no capabilities; it %s", rule, name, labels, s.State)
			continue
		}
		named := slices.ContainsFunc(wants, func(w string) bool { return strings.Contains(s.Failure.Message, w) })
		if !named || !strings.Contains(s.Failure.Message, "/_kconform/capabilities") {
			t.Errorf("rule %q: spec %q (labels %v) is skipped without saying why (want the need and the capabilities probe); message: %q", rule, name, labels, s.Failure.Message)
		}
	}
	for label, reason := range need {
		if seen[label] == 0 {
			t.Errorf("rule %q: no spec labelled %s in the report", reason, label)
		}
	}

	// Nothing may end in a timeout, panic or interruption: the run finishes
	// well inside its deadline and each spec gets a verdict.
	for name, s := range specs {
		if s.State.Is(types.SpecStateTimedout | types.SpecStatePanicked | types.SpecStateInterrupted | types.SpecStateAborted) {
			t.Errorf("rule %q: spec %q ended %s: %s", "every spec gets a verdict", name, s.State, firstLine(s.Failure.Message))
		}
	}
	if t.Failed() {
		for _, name := range slices.Sorted(maps.Keys(specs)) {
			t.Logf("%-8s %s", specs[name].State, name)
		}
	}
}

// startPrism starts `prism mock` on a free loopback port, waits until it
// listens and stops it when the test ends. Its output goes to the log only
// when the test fails.
func startPrism(t *testing.T, bin string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	l.Close()

	cmd := exec.Command(bin, "mock", "-h", "127.0.0.1", "-p", port, spec)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Prism: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("prism mock output:\n%s", out.String())
		}
	})

	deadline := time.Now().Add(listenTimeout)
	for {
		select {
		case err := <-exited:
			exited <- err // for the clean-up
			t.Fatalf("prism mock exited before listening on %s: %v", addr, err)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Logf("Prism listens on %s after %s", addr, time.Since(start).Round(time.Millisecond))
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("prism mock did not listen on %s within %s", addr, listenTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// buildKconform builds the kconform binary into a temporary directory.
func buildKconform(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build kconform: %v", err)
	}
	out := filepath.Join(t.TempDir(), "kconform")
	cmd := exec.Command(goBin, "build", "-o", out, mainPkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", mainPkg, err, b)
	}
	return out
}

// readReport reads the Ginkgo JSON report and indexes its specs (It nodes)
// by full text.
func readReport(t *testing.T, path string) map[string]types.SpecReport {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("json report: %v", err)
	}
	var reports []types.Report
	if err := json.Unmarshal(b, &reports); err != nil {
		t.Fatalf("json report %s: %v", path, err)
	}
	if len(reports) != 1 {
		t.Fatalf("json report: want one suite, got %d", len(reports))
	}
	specs := map[string]types.SpecReport{}
	for _, s := range reports[0].SpecReports {
		if s.LeafNodeType == types.NodeTypeIt {
			specs[s.FullText()] = s
		}
	}
	if len(specs) == 0 {
		t.Fatal("json report: no specs")
	}
	return specs
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
