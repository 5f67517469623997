package prism_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/groundtruth"
	"github.com/kconform/kconform/internal/labels"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/onsi/gomega/gbytes"
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
		if groundtruth.InCI() { // CI installs the pinned Prism through `make test`
			t.Fatalf("%s. CI is set, so this test must run: `make test` installs it through `make tools`", msg)
		}
		t.Skip(msg)
	}

	port := "0" // any free port
	if *updateReadme {
		port = readmePort // docs/prism-report.md names it: keep it the same between updates
	}
	addr := startPrism(t, bin, port)
	kconform := buildKconform(t)
	dir := t.TempDir()
	reportPath, markdownPath := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.md")

	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	// --label-filter '!callbacks': Prism never calls back, and each callback
	// spec waits its whole callback window (30 s) for a call that cannot come.
	cmd := exec.CommandContext(ctx, kconform, "run",
		"--target", "http://"+addr,
		"--username", "u", "--password", "p", // Prism accepts any Basic credentials
		"--report-json", reportPath,
		"--report", markdownPath,
		"--deadline", runDeadline,
		"--label-filter", "!callbacks",
		"--no-color")
	out := gbytes.NewBuffer()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err = cmd.Run()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kconform run output:\n%s", string(out.Contents()))
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

	rules := readReport(t, reportPath)

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
		r, ok := rules[name]
		switch {
		case !ok:
			t.Errorf("rule %q: %q is not in the report (renamed? update this test)", rule, name)
		case r.Verdict != runreport.Broken:
			t.Errorf("rule %q: %q must be broken by Prism, a stateless example-based mock; the report says %s", rule, name, r.Verdict)
		case r.Evidence == nil || r.Evidence.Exchange == "" || r.Evidence.Violation == "":
			t.Errorf("rule %q: %q is broken without the exchange and violation that show it: %+v", rule, name, r.Evidence)
		}
	}

	// (b) What Prism does get right: it enforces that security is present,
	// answering 401 to every operation called without credentials.
	var noCreds int
	for name, r := range rules {
		if !strings.HasPrefix(name, "Errors authentication MUST answer 401 to ") || !strings.HasSuffix(name, " without credentials") {
			continue
		}
		noCreds++
		if r.Verdict != runreport.Holds {
			t.Errorf("rule %q: %q must hold against Prism (it answers 401 when the Authorization header is missing); the report says %s: %+v",
				"401 without credentials", name, r.Verdict, r.Evidence)
		}
	}
	if noCreds < 10 {
		t.Errorf("rule %q: want the 10 operations' 'without credentials' specs in the report, found %d", "401 without credentials", noCreds)
	}

	// (c) Prism has no /_kconform/capabilities: the consumer and clock specs
	// are skipped, each with the reason.
	need := map[string]string{labels.Consumer: "needs the consumer page", labels.Clock: "needs a movable clock"}
	seen := map[string]int{}
	for name, r := range rules {
		ls := r.Labels
		if slices.Contains(ls, labels.Callbacks) {
			if r.Verdict != runreport.NotRun || !strings.Contains(r.Why, "not selected") {
				t.Errorf("rule %q: %q is filtered out by --label-filter, so it must be not-run with that reason; the report says %s %q", "filtered specs are not run", name, r.Verdict, r.Why)
			}
			continue
		}
		var wants []string // a spec may need both: it names the one it checked first
		for _, label := range []string{labels.Consumer, labels.Clock} {
			if slices.Contains(ls, label) {
				seen[label]++
				wants = append(wants, need[label])
			}
		}
		if len(wants) == 0 {
			continue
		}
		rule := strings.Join(wants, " / ")
		if r.Verdict != runreport.NotCheckable {
			t.Errorf("rule %q: %q (labels %v) must be not-checkable against Prism, which has no capabilities; the report says %s", rule, name, ls, r.Verdict)
			continue
		}
		named := slices.ContainsFunc(wants, func(w string) bool { return strings.Contains(r.Why, w) })
		if !named || !strings.Contains(r.Why, "/_kconform/capabilities") {
			t.Errorf("rule %q: %q (labels %v) is not checkable without saying why (want the need and the capabilities probe): %q", rule, name, ls, r.Why)
		}
	}
	for label, reason := range need {
		if seen[label] == 0 {
			t.Errorf("rule %q: no spec labelled %s in the report", reason, label)
		}
	}

	// Nothing may end interrupted or unreached: the run finishes well
	// inside its deadline and each rule gets a verdict of its own.
	for name, r := range rules {
		if r.Verdict == runreport.NotRun && !strings.Contains(r.Why, "not selected") {
			t.Errorf("rule %q: %q got no verdict: %s", "every spec gets a verdict", name, r.Why)
		}
	}

	checkReadme(t, rules, markdownPath, reportPath)
	if t.Failed() {
		for _, name := range slices.Sorted(maps.Keys(rules)) {
			t.Logf("%-13s %s", rules[name].Verdict, name)
		}
	}
}

// startPrism starts `prism mock` on a loopback port (0: any free one), waits until it
// listens and stops it when the test ends. Its output goes to the log only
// when the test fails.
func startPrism(t *testing.T, bin, port string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatalf("no loopback port %s for Prism: %v", port, err)
	}
	addr := l.Addr().String()
	_, port, _ = net.SplitHostPort(addr)
	l.Close()

	cmd := exec.Command(bin, "mock", "-h", "127.0.0.1", "-p", port, spec)
	out := gbytes.NewBuffer()
	cmd.Stdout, cmd.Stderr = out, out
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
			t.Logf("prism mock output:\n%s", string(out.Contents()))
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

// readReport reads the conformance report (--report-json) and indexes its
// rules by name.
func readReport(t *testing.T, path string) map[string]runreport.Rule {
	t.Helper()
	rep, err := runreport.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]runreport.Rule{}
	for _, r := range rep.Rules {
		rules[r.Rule] = r
	}
	if len(rules) == 0 {
		t.Fatal("conformance report: no rules")
	}
	return rules
}
