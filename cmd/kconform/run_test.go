package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/internal/outfile"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
)

// Ginkgo runs one suite per process, so every test that runs specs starts
// this test binary again as `kconform run` (TestRunChild) and reads its exit
// code, output and JSON report.

const (
	childArgsEnv = "KCONFORM_TEST_CHILD_ARGS" // JSON []string: the args of `kconform run`
	childEnvEnv  = "KCONFORM_TEST_CHILD_ENV"  // JSON map: the only KCONFORM_* variables the child sees
	childExitEnv = "KCONFORM_TEST_CHILD_EXIT" // file the child writes its exit code to
)

var updateFaultMatrix = flag.Bool("update-fault-matrix", false, "rewrite the table in docs/fault-matrix.md from the fault matrix run")

// TestRunChild is not a test: it is `kconform run` inside the test binary,
// entered when the parent sets the child variables. It writes its exit code
// to a file instead of calling os.Exit (which a test must not do).
func TestRunChild(t *testing.T) {
	raw := os.Getenv(childArgsEnv)
	if raw == "" {
		t.Skip("helper process for the run tests")
	}
	var args []string
	var env map[string]string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal([]byte(os.Getenv(childEnvEnv)), &env)
	shardCommand = testShardCommand(env)
	code := runSuites(args, func(k string) string { return env[k] }, os.Stdout, os.Stderr)
	if err := os.WriteFile(os.Getenv(childExitEnv), []byte(strconv.Itoa(code)), 0o600); err != nil {
		t.Fatal(err)
	}
}

// childRun is one `kconform run` in a child process.
type childRun struct {
	dir     string // where it ran
	exit    int
	output  string // stdout and stderr
	report  []types.Report
	elapsed time.Duration
}

func runChild(t *testing.T, limit time.Duration, env map[string]string, args ...string) childRun {
	t.Helper()
	r, err := startChild(t.Context(), t.TempDir(), limit, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// startChild runs `kconform run args` in a child process, in dir, for at
// most limit; it is safe to call from any goroutine.
func startChild(ctx context.Context, dir string, limit time.Duration, env map[string]string, args ...string) (childRun, error) {
	reportPath := filepath.Join(dir, "report.json")
	exitPath := filepath.Join(dir, "exit")
	args = append([]string{"--no-color", "--json-report", reportPath}, args...)
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := childCommand(ctx, dir, env, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := childRun{dir: dir, output: out.String(), elapsed: time.Since(start), exit: -1}
	if ctx.Err() != nil {
		return r, fmt.Errorf("kconform run %q did not end within %s:\n%s", args, limit, lastOutput(r.output))
	}
	code, readErr := os.ReadFile(exitPath)
	if readErr != nil {
		return r, fmt.Errorf("kconform run %q ended without an exit code (%v):\n%s", args, err, lastOutput(r.output))
	}
	r.exit, _ = strconv.Atoi(string(code))
	if b, err := os.ReadFile(reportPath); err == nil {
		if err := json.Unmarshal(b, &r.report); err != nil {
			return r, fmt.Errorf("JSON report: %w", err)
		}
	}
	return r, nil
}

// startMerchantMock starts the built-in mock for user "merchant" with
// password, its callbacks quick, until the test ends; it returns the base URL.
func startMerchantMock(t *testing.T, password string) string {
	t.Helper()
	return startMock(t, mock.Options{Username: "merchant", Password: password, ClockControl: true,
		CallbackTimeout: 200 * time.Millisecond, CallbackRetryDelay: 50 * time.Millisecond})
}

// childCommand is `kconform run args` as a child process in dir, which
// writes its exit code to dir/exit.
func childCommand(ctx context.Context, dir string, env map[string]string, args ...string) *exec.Cmd {
	a, _ := json.Marshal(args)
	e, _ := json.Marshal(env)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestRunChild$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childArgsEnv+"="+string(a), childEnvEnv+"="+string(e), childExitEnv+"="+filepath.Join(dir, "exit"))
	return cmd
}

func lastOutput(s string) string {
	if len(s) > 6000 {
		return "…" + s[len(s)-6000:]
	}
	return s
}

// failures maps each failed spec's name to all its failure messages.
func (r childRun) failures() map[string]string {
	out := map[string]string{}
	for _, rep := range r.report {
		for _, s := range rep.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt || !s.State.Is(types.SpecStateFailureStates) {
				continue
			}
			msgs := []string{s.Failure.Message}
			for _, af := range s.AdditionalFailures {
				msgs = append(msgs, af.Failure.Message)
			}
			// Full names: leaf texts repeat across tables, and a map keyed
			// by them would count two failed specs as one.
			out[s.FullText()] = strings.Join(msgs, "\n")
		}
	}
	return out
}

func TestRunBadUsageExits2NamingTheFlag(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want []string
	}{
		{[]string{"--request-timeout", "abc"}, nil, []string{`--request-timeout "abc" is not a duration`}},
		{nil, map[string]string{"KCONFORM_DEADLINE": "-3s"}, []string{`KCONFORM_DEADLINE="-3s" must be positive`}},
		{[]string{"--target", "https://api.klarna.com"}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"production host", "--allow-production"}},
		{[]string{"--target", "https://api.kustom.co"}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"api.kustom.co is a Kustom production host", "--allow-production"}},
		{[]string{"--target", "https://api-eu.kustom.co."}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"api-eu.kustom.co is a Kustom production host", "--allow-production"}},
		{[]string{"--target", "https://API-XX.klarna.com:443"}, map[string]string{"KCONFORM_USERNAME": "u", "KCONFORM_PASSWORD": "hunter2"}, []string{"api-xx.klarna.com is a Klarna production host", "--allow-production"}},
		{[]string{"--target", "https://api.playground.klarna.com"}, nil, []string{"KCONFORM_USERNAME is required", "KCONFORM_PASSWORD is required"}},
		{[]string{"--label-filter", "hpp && clok"}, nil, []string{`unknown label(s) clok`}},
		{[]string{"--mock-faults", "no-such-fault"}, nil, []string{`unknown fault "no-such-fault"`}},
		{[]string{"--no-such-flag"}, nil, []string{"no-such-flag"}},
		{[]string{"--record", "/no/such/folder/run.har"}, nil, []string{`--record "/no/such/folder/run.har"`, "does not exist"}},
		{[]string{"--record=" + os.TempDir()}, nil, []string{`--record "` + os.TempDir() + `"`, "is a folder"}},
		{[]string{"--record"}, nil, []string{"flag needs an argument: -record"}},
		{[]string{"--record="}, nil, []string{"--record needs a file name"}},
		{[]string{"--report", "/no/such/folder/r.md"}, nil, []string{`--report "/no/such/folder/r.md"`, "does not exist"}},
		{[]string{"--report-json", os.TempDir()}, nil, []string{`--report-json "` + os.TempDir() + `"`, "is a folder"}},
		{[]string{"--report", "out.md", "--report-json", "./out.md"}, nil, []string{`--report and --report-json name the same file "./out.md"`}},
		{[]string{"--junit-report", "x.xml", "--record", "x.xml"}, nil, []string{`--junit-report and --record name the same file`}},
		{[]string{"--request-timeout", "1s", "--deadline", "x", "--focus", "("}, nil, []string{`--deadline "x"`, `--focus "("`}},
		{[]string{"--consumer", "robot"}, nil, []string{`--consumer "robot" is not a consumer driver`, "http, browser, manual, none"}},
		{[]string{"--profile", "/no/such/profile.yaml"}, nil, []string{`--profile "/no/such/profile.yaml"`, "no such file"}},
		{[]string{"--return-url", "https://tunnel.example"}, nil, []string{"--return-url needs --return-listen"}},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := runSuites(c.args, func(k string) string { return c.env[k] }, &stdout, &stderr)
		if code != runBadUsage {
			t.Errorf("%q: exit %d, want %d (stderr %s)", c.args, code, runBadUsage, stderr.String())
		}
		for _, w := range c.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%q: stderr lacks %q:\n%s", c.args, w, stderr.String())
			}
		}
		if strings.Contains(stderr.String()+stdout.String(), "hunter2") {
			t.Errorf("%q: the password was printed", c.args)
		}
	}
	var stdout bytes.Buffer
	if code := runSuites([]string{"-h"}, func(string) string { return "" }, &stdout, &stdout); code != runPassed || !strings.Contains(stdout.String(), "--target") && !strings.Contains(stdout.String(), "-target") {
		t.Errorf("-h: exit %d, output:\n%s", code, stdout.String())
	}
}

// TestRunBuiltInMock is `kconform run` with no target: every spec runs
// against the in-process mock and passes; the summary closes the output.
func TestRunBuiltInMock(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, nil)
	if r.exit != runPassed {
		t.Fatalf("exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
	// The only rules not checked are the hosted-KCO ones (kco_test.go).
	if !strings.Contains(r.output, "rules judged on this target: ") || !strings.Contains(r.output, " hold, 0 broken, 0 blocked, ") ||
		strings.Count(r.output, " × ") != 1 || !strings.Contains(r.output, " × only with --payment-provider kco: ") {
		t.Errorf("the summary should say every rule holds but the hosted-KCO ones:\n%s", lastOutput(r.output))
	}
}

// TestRunSkipsWhatTheTargetCannotDo runs against a target that hides the
// control plane (like Klarna): the consumer, clock and their callback specs
// are skipped with grouped reasons, everything else passes, exit 0. The
// target's password must appear nowhere, reports included.
func TestRunSkipsWhatTheTargetCannotDo(t *testing.T) {
	t.Parallel()
	const password = "s3cret-kconform-test-password"
	base := startMerchantMock(t, password)
	u, _ := url.Parse(base)
	proxy := httputil.NewSingleHostReverseProxy(u)
	hidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_kconform/") {
			http.NotFound(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(hidden.Close)

	dir := t.TempDir()
	junit, md, js := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.md"), filepath.Join(dir, "report.json")
	r := runChild(t, 2*time.Minute, map[string]string{"KCONFORM_USERNAME": "merchant", "KCONFORM_PASSWORD": password},
		"--target", hidden.URL, "--junit-report", junit, "--report", md, "--report-json", js, "--request-timeout", "5s",
		"--callback-timeout", "200ms", "--callback-retry-delay", "50ms")
	if r.exit != runPassed {
		t.Fatalf("exit %d, want 0 (skips are not failures):\n%s", r.exit, lastOutput(r.output))
	}
	if i := strings.Index(r.output, "kconform: "); i >= 0 {
		t.Logf("summary against a target without control plane:\n%s", r.output[i:])
	}
	for _, want := range []string{"× needs the consumer page", "× needs a movable clock", "capabilities: none", "not-checkable, by reason:"} {
		if !strings.Contains(r.output, want) {
			t.Errorf("output lacks %q:\n%s", want, lastOutput(r.output))
		}
	}
	junitXML, _ := os.ReadFile(junit)
	report, _ := json.Marshal(r.report)
	markdown, _ := os.ReadFile(md)
	conformance := readRunReport(t, js)
	if conformance.Counts.NotCheckable == 0 || conformance.Counts.Broken != 0 || conformance.Counts.Blocked != 0 || !strings.Contains(string(markdown), "not-checkable | ") {
		t.Errorf("the conformance report should show the skipped rules as not checkable and none broken: %+v", conformance.Counts)
	}
	// Coverage speaks of this target, not of the built-in mock's limits.
	if strings.Contains(string(markdown), "known limit") || !strings.Contains(string(markdown), "this target never answered") {
		t.Errorf("the coverage of another target explains gaps by the built-in mock's limits")
	}
	conformanceJSON, _ := os.ReadFile(js)
	basic := base64.StdEncoding.EncodeToString([]byte("merchant:" + password))
	for name, text := range map[string]string{"output": r.output, "junit": string(junitXML), "json report": string(report),
		"conformance report": string(markdown), "conformance report (JSON)": string(conformanceJSON)} {
		if strings.Contains(text, password) || strings.Contains(text, basic) {
			t.Errorf("the password appears in the %s", name)
		}
	}
}

// TestRunHostileTargets: a target that hangs or resets connections ends the
// run at the probe, before any spec, with one line that says what happened;
// one that answers garbage fails its specs saying so. Exit 1, no panic.
func TestRunHostileTargets(t *testing.T) {
	t.Parallel()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: the server notices a client going away only
		// once the request body is consumed.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	t.Cleanup(hang.Close)
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("<html>\x00\xff definitely not json"))
	}))
	t.Cleanup(garbage.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close with RST
			}
			buf := make([]byte, 512)
			_, _ = c.Read(buf)
			_ = c.Close()
		}
	}()

	for name, tc := range map[string]struct {
		url   string
		want  string
		specs bool // whether specs run (and fail), or the probe stops the run
	}{
		"hanging":   {hang.URL, "did not answer within 300ms", false},
		"resetting": {"http://" + ln.Addr().String(), "connection", false},
		"garbage":   {garbage.URL, "body.malformed-json", true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := runChild(t, time.Minute, nil, "--target", tc.url, "--request-timeout", "300ms", "--deadline", "40s", "--label-filter", "kp || distribution")
			if r.exit != runFailed {
				t.Fatalf("exit %d, want 1:\n%s", r.exit, lastOutput(r.output))
			}
			if !strings.Contains(r.output, tc.want) {
				t.Errorf("output does not say what happened (%q):\n%s", tc.want, lastOutput(r.output))
			}
			if strings.Contains(r.output, "[PANICKED]") || strings.Contains(r.output, "panic:") {
				t.Errorf("a spec panicked:\n%s", lastOutput(r.output))
			}
			if got := len(r.failures()) > 0; got != tc.specs {
				t.Errorf("failed specs in the report: %v, want %v (the probe stops a target that does not answer)", got, tc.specs)
			}
			t.Logf("%s target: %d failed specs in %s", name, len(r.failures()), r.elapsed.Round(time.Millisecond))
		})
	}
}

// faultProof says, for one mock fault, which specs to run, which spec must
// then fail, and what its failure message must say: the broken rule.
type faultProof struct {
	labels string
	spec   string
	needle string
	args   []string // more flags of the run (--payment-provider kco)
}

var faultProofs = map[string]faultProof{
	"hpp-create-wrong-status":          {"hpp && lifecycle", "MUST create an HPP session for a KP session with 201 and read it back WAITING", "Expected HTTP status 201, the target answered 200", nil},
	"hpp-read-missing-field":           {"hpp && lifecycle", "MUST create an HPP session for a KP session with 201 and read it back WAITING", `/expires_at [schema.required]`, nil},
	"hpp-status-lowercase":             {"hpp && lifecycle", "MUST create an HPP session for a KP session with 201 and read it back WAITING", "/status [schema.enum]", nil},
	"hpp-expiry-not-one-hour-before":   {"expiry", "MUST set the HPP session's expires_at one hour before the KP session's", "MUST be 1h before the KP session's expires_at", nil},
	"expired-session-readable":         {"expiry", "MUST answer 404 to reads and DELETE of an HPP session after it expired", "an expired HPP session is not readable", nil},
	"placeholder-unsubstituted":        {"placeholders", "MUST fill only {{session_id}} in the back URL", "{{session_id}} MUST be filled in the back URL", nil},
	"placeholder-wrong-mode":           {"placeholders", "MUST fill {{session_id}} and {{order_id}} in the success URL in mode PLACE_ORDER", "{{authorization_token}} MUST stay as written in the success URL in mode PLACE_ORDER", nil},
	"placeholder-not-escaped":          {"placeholders", "MUST fill only {{session_id}} in the failure URL", "own query MUST stay byte for byte", nil},
	"error-fallback-missing":           {"placeholders", "MUST send the consumer to the failure URL on an error when no error URL is set", "the error falls back to the failure URL", nil},
	"terminal-state-reopened":          {"lifecycle && consumer", "MUST keep a CANCELLED session CANCELLED and refuse the consumer", "the page of a CANCELLED session MUST refuse the consumer", nil},
	"completed-disable-allowed":        {"lifecycle && consumer", "MUST keep a COMPLETED session COMPLETED: the page refuses the consumer and DELETE answers 400", "Expected HTTP status 400, the target answered 204", nil},
	"distribution-on-disabled-allowed": {"distribution", "MUST refuse distribution of a DISABLED session with 400", "Expected HTTP status 400, the target answered 204", nil},
	"missing-contact-accepted":         {"distribution", "MUST answer 400 MISSING_CONTACT_DATA to an email distribution without email", "distribution by email without its contact data", nil},
	"auth-not-enforced":                {"errors", "MUST answer 401 to getSessionById without credentials", "getSessionById without valid credentials", nil},
	"error-body-wrong-shape":           {"errors", "MUST answer 404 to readCreditSession with an unknown id", `/error_code [schema.required]`, nil},
	"correlation-id-mismatch":          {"errors", "MUST send the same correlation id in the header and the body of a KP 404", "[error.correlation-id-mismatch]", nil},
	"validation-off":                   {"errors", "MUST answer 400 naming purchase_currency when it is missing", "a KP session with a bad purchase_currency", nil},
	"token-reusable":                   {"lifecycle && kp", "MUST refuse a second order with the same authorization token with 403 INVALID_OPERATION", "the token was used already", nil},
	"token-never-expires":              {"expiry", "MUST answer 404 NOT_FOUND to an order with a token older than 60 minutes", "the token expired 60 minutes after authorization", nil},
	"order-mismatch-accepted":          {"errors && kp", "MUST answer 409 to an order whose amounts do not match the session", "against a session of", nil},
	"kp-status-not-completed":          {"lifecycle && kp", "MUST keep the KP session incomplete until an order is created and complete after", "the KP session MUST be complete", nil},
	"completed-missing-token":          {"lifecycle", "MUST go WAITING → IN_PROGRESS → COMPLETED with an authorization token in mode NONE", `property "authorization_token" is missing`, nil},
	"updated-at-goes-back":             {"lifecycle", "MUST never move updated_at backwards across status changes", "updated_at went back", nil},
	"callback-not-retried":             {"callbacks", "MUST retry a callback answered 500 with the same event_id, 4 calls at most", "the first call and three retries", nil},
	"callback-event-id-changes":        {"callbacks", "MUST retry a callback answered 500 with the same event_id, 4 calls at most", "every retry carries the event_id of the first call", nil},
	"callback-missing":                 {"callbacks", "MUST send one callback per status change, carrying the session a read returns", "one callback for the change to IN_PROGRESS", nil},
	"amounts-unchecked":                {"kp && errors && !consumer", "MUST answer 400 BAD_VALUE naming order_lines[1].total_tax_amount when it does not follow tax_rate", "a KP session whose order_lines[1].total_tax_amount does not add up", nil},
	"address-mismatch-accepted":        {"kp && errors && consumer", "MUST answer 409 naming billing_address.postal_code when the postal code changed", "an order whose billing_address.postal_code differs from the authorization", nil},
	"unauthorized-json":                {"errors && recorded", "MUST answer 401 with WWW-Authenticate: Basic and an HTML or empty body, as recorded", "a 401 body MUST be Klarna's HTML page", nil},
	"distribution-unavailable":         {"distribution", "MUST accept a distribution by email", "the target answered 503", nil},
	"manual-id-check-disable-refused":  {"lifecycle && consumer", "MUST let the merchant disable a session in MANUAL_ID_CHECK", "disable HPP session", nil},
	"qr-code-missing":                  {"distribution", "MUST give a qr_code_url serving, without credentials, a PNG QR code of redirect_url", "qr_code_url is missing", nil},
	"kco-order-not-complete":           {"lifecycle && consumer", kcoCompleteSpec, "the KCO order MUST be checkout_complete", kcoArgs},
}

// The fault matrix is a table in docs/fault-matrix.md, between two markers.
const (
	faultMatrixFile  = "../../docs/fault-matrix.md"
	faultMatrixBegin = "<!-- fault-matrix: written by `go test ./cmd/kconform -run TestFaultMatrix -update-fault-matrix`; edits here are lost -->"
	faultMatrixEnd   = "<!-- /fault-matrix -->"
)

// TestFaultMatrix proves the suites catch every fault of the mock: for
// each, a run with the fault switched on (only the labels that matter)
// exits 1 and the named spec fails with a message naming the broken rule.
// With -update-fault-matrix it rewrites the table in docs/fault-matrix.md;
// without, it checks that table against the matrix.
func TestFaultMatrix(t *testing.T) {
	faults := mock.FaultNames()
	// The runs mostly wait (callback retries, timeouts), so they go all at
	// once, a few more than go test's -parallel would allow, and are
	// checked one by one after.
	type result struct {
		run childRun
		err error
	}
	results := make([]result, len(faults))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, f := range faults {
		proof, ok := faultProofs[f.Name]
		if !ok {
			continue
		}
		dir := t.TempDir()
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			// In parallel (the built-in mock's default is one process).
			args := append([]string{"--procs", strconv.Itoa(target.DefaultProcs), "--mock-faults", f.Name, "--label-filter", proof.labels,
				"--report-json", filepath.Join(dir, "conformance.json")}, proof.args...)
			r, err := startChild(t.Context(), dir, 2*time.Minute, nil, args...)
			results[i] = result{r, err}
		})
	}
	wg.Wait()

	rows := make([]string, len(faults))
	for i, f := range faults {
		proof, ok := faultProofs[f.Name]
		if !ok {
			t.Errorf("fault %q has no proof in faultProofs: add the spec that catches it", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			failed := judgeFaultRun(t, f.Name, proof, results[i].run, results[i].err)
			rows[i] = fmt.Sprintf("| `%s` | %s | %s | %d | `%s` |", f.Name, f.Rule, proof.spec, failed, proof.labels)
		})
	}
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		table := "| fault | rule it breaks | spec that catches it | failing specs (in the label selection) | labels run |\n|---|---|---|---|---|\n" + strings.Join(rows, "\n") + "\n"
		doc, err := os.ReadFile(faultMatrixFile)
		if err != nil {
			t.Error(err)
			return
		}
		before, rest, ok := strings.Cut(string(doc), faultMatrixBegin+"\n")
		want, after, ok2 := strings.Cut(rest, faultMatrixEnd)
		if !ok || !ok2 {
			t.Errorf("%s lacks the markers %q … %q around the fault matrix", faultMatrixFile, faultMatrixBegin, faultMatrixEnd)
			return
		}
		if *updateFaultMatrix {
			updated := before + faultMatrixBegin + "\n" + table + faultMatrixEnd + after
			if err := outfile.WriteFile(faultMatrixFile, []byte(updated)); err != nil {
				t.Error(err)
			}
			return
		}
		if err := sameRows(want, table); err != nil {
			t.Errorf("%s is stale: %v (run go test ./cmd/kconform -run TestFaultMatrix -update-fault-matrix)", faultMatrixFile, err)
		}
	})
}

// judgeFaultRun checks one fault's run: exit 1, the proof's spec failed
// naming the rule, and the report judges that rule broken. It returns how
// many specs failed.
func judgeFaultRun(t *testing.T, fault string, proof faultProof, r childRun, err error) int {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if r.exit != runFailed {
		t.Fatalf("with %s on, kconform run exited %d, want 1:\n%s", fault, r.exit, lastOutput(r.output))
	}
	failed := r.failures()
	var matches []string // the full names that end in the proof's spec text
	for name := range failed {
		if name == proof.spec || strings.HasSuffix(name, " "+proof.spec) {
			matches = append(matches, name)
		}
	}
	if len(matches) == 0 {
		names := slices.Sorted(maps.Keys(failed))
		t.Fatalf("with %s on, %q did not fail; failed: %q", fault, proof.spec, names)
	}
	if len(matches) > 1 {
		t.Fatalf("with %s on, the proof's spec %q names several failed specs %q: give more of its full name", fault, proof.spec, matches)
	}
	msg := failed[matches[0]]
	if !strings.Contains(msg, proof.needle) {
		t.Fatalf("with %s on, %q failed without naming the rule (%q):\n%s", fault, proof.spec, proof.needle, msg)
	}
	// The conformance report judges the rule by its subject: the
	// fault must break it, not block it or leave it holding.
	rep := readRunReport(t, filepath.Join(r.dir, "conformance.json"))
	if i := slices.IndexFunc(rep.Rules, func(rule runreport.Rule) bool { return rule.Rule == matches[0] }); i < 0 || rep.Rules[i].Verdict != runreport.Broken {
		t.Fatalf("with %s on, the report does not judge %q broken: %+v", fault, matches[0], rep.Rules[max(i, 0)])
	}
	return len(failed)
}

// sameRows compares two matrix tables ignoring the failing-spec counts,
// which depend on timing-free but fault-wide effects and are informative.
func sameRows(want, got string) error {
	strip := func(s string) []string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			cells := strings.Split(l, "|")
			if len(cells) > 4 {
				cells[4] = ""
			}
			out = append(out, strings.Join(cells, "|"))
		}
		return out
	}
	w, g := strip(want), strip(got)
	if len(w) != len(g) {
		return fmt.Errorf("%d rows, the matrix has %d", len(w), len(g))
	}
	for i := range w {
		if w[i] != g[i] {
			return fmt.Errorf("row %d is\n  %s\nthe matrix says\n  %s", i+1, w[i], g[i])
		}
	}
	return nil
}
