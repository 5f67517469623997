package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/suites/runner"
)

// brokenField is a target that breaks one response field of one operation.
type brokenField struct {
	// pointer is "" for a wrong answer that is not a field (a status, a
	// value the rules expect): the one finding is the operation's.
	operation, pointer string
	args               []string
	env                map[string]string
	// unblocked: every setup step could still be done, so no rule is
	// blocked.
	unblocked bool
}

// TestOneFindingPerBrokenField: a target that breaks one response field
// gets exactly one finding naming that field's pointer, and only rules
// about that operation are broken; the others hold or are judged on their
// own assertions (issue 13).
func TestOneFindingPerBrokenField(t *testing.T) {
	t.Parallel()
	cases := map[string]brokenField{
		"hpp-read-missing-field":  {operation: "getSessionById", pointer: "/expires_at", args: []string{"--mock-faults", "hpp-read-missing-field"}},
		"hpp-status-lowercase":    {operation: "getSessionById", pointer: "/status", args: []string{"--mock-faults", "hpp-status-lowercase"}, unblocked: true},
		"completed-missing-token": {operation: "getSessionById", pointer: "/authorization_token", args: []string{"--mock-faults", "completed-missing-token"}},
		"hpp-create-wrong-status": {operation: "createHppSession", args: []string{"--mock-faults", "hpp-create-wrong-status"}},
		"kp-status-not-completed": {operation: "readCreditSession", args: []string{"--mock-faults", "kp-status-not-completed"}, unblocked: true},
		"kp-create-without-client_token": func() brokenField {
			target, env := withoutClientToken(t)
			return brokenField{operation: "createCreditSession", pointer: "/client_token", args: []string{"--target", target}, env: env}
		}(),
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			js := filepath.Join(t.TempDir(), "report.json")
			r := runChild(t, 2*time.Minute, c.env, append([]string{"--report-json", js}, c.args...)...)
			if r.exit != runner.ExitFailed {
				t.Fatalf("exit %d, want 1 (a violation anywhere fails the run):\n%s", r.exit, lastOutput(r.output))
			}
			rep := readRunReport(t, js)
			// A finding names the pointer as its own, or in the reasons of a
			// "matches none of the allowed shapes" at the body's root.
			names := regexp.MustCompile(`[ (]` + regexp.QuoteMeta(c.pointer) + `[ :]`)
			var naming []runreport.Finding
			for _, f := range rep.Findings {
				if c.pointer == "" || f.Pointer == c.pointer || names.MatchString(f.What) {
					naming = append(naming, f)
				}
			}
			if len(naming) != 1 {
				t.Fatalf("%d findings name %s %s, want exactly 1: %+v", len(naming), c.operation, c.pointer, naming)
			}
			f := naming[0]
			if f.Operation != c.operation || f.Example == "" {
				t.Errorf("the finding %+v is not about %s or has no example", f, c.operation)
			}
			// The finding names every operation the same defect was seen
			// in (the HPP session in a read and in a callback body); a rule
			// about any of them is broken by it.
			ops := append([]string{c.operation}, f.Operations...)
			broken := 0
			for _, rule := range rep.Rules {
				if rule.Verdict == runreport.Broken {
					broken++
					if !slices.ContainsFunc(ops, func(op string) bool { return slices.Contains(rule.About, op) }) {
						t.Errorf("%q is broken but not about %v (about %v): %+v", rule.Rule, ops, rule.About, rule.Evidence)
					}
				}
				if c.unblocked && rule.Verdict == runreport.Blocked {
					t.Errorf("%q is blocked, but every step could be done: %+v", rule.Rule, rule.Evidence)
				}
			}
			if broken == 0 || rep.Counts.Holds == 0 {
				t.Errorf("want some rules about %s broken and others holding: %+v", c.operation, rep.Counts)
			}
			t.Logf("%s: %s; %d finding(s)", name, rep.Counts.Headline(), len(rep.Findings))
		})
	}
}

// withoutClientToken starts the built-in mock behind a proxy that drops
// client_token from every KP create answer: one missing field, everything
// else faithful. It returns the proxy's URL and the credentials.
func withoutClientToken(t *testing.T) (string, map[string]string) {
	t.Helper()
	const password = "kconform-test-password-ct"
	proxy := mockProxy(t, password)
	proxy.ModifyResponse = func(resp *http.Response) error {
		req := resp.Request
		if req.Method != http.MethodPost || req.URL.Path != "/payments/v1/sessions" || resp.StatusCode != http.StatusOK {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			delete(m, "client_token")
			body, _ = json.Marshal(m)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return front.URL, merchant(password)
}

// TestOwnAssertionIsTheEvidence: a target that accepts an invalid request
// breaks the rule on the rule's own expectation (400), shown with the
// rule's own exchange, not with a violation met earlier in a setup step.
func TestOwnAssertionIsTheEvidence(t *testing.T) {
	t.Parallel()
	js := filepath.Join(t.TempDir(), "report.json")
	r := runChild(t, 2*time.Minute, nil, "--report-json", js, "--mock-faults", "validation-off", "--label-filter", "errors && kp")
	wantExit(t, r, runner.ExitFailed, "kconform run")
	const rule = "Errors a KP session without a required field MUST answer 400 naming purchase_currency when it is missing"
	rep := readRunReport(t, js)
	i := slices.IndexFunc(rep.Rules, func(r runreport.Rule) bool { return r.Rule == rule })
	if i < 0 {
		t.Fatalf("no rule %q", rule)
	}
	got := rep.Rules[i]
	if got.Verdict != runreport.Broken || got.Evidence == nil || got.Evidence.Kind != runreport.KindExpectation ||
		!strings.Contains(got.Evidence.Violation, "Expected HTTP status 400") || !strings.Contains(got.Evidence.Exchange, "deliberately invalid request") {
		t.Errorf("%q: %s %+v, want broken on its own 400 expectation with its own exchange", rule, got.Verdict, got.Evidence)
	}
}

// TestFindingsSayWhatTheRuleExpected: a rule's failure says what it
// expected and what came in the rule's words, never the test library's
// ("got nil; expected it not to be <nil>", "expected it to be >= 400").
func TestFindingsSayWhatTheRuleExpected(t *testing.T) {
	t.Parallel()
	for fault, c := range map[string]struct{ focus, want string }{
		"qr-code-missing": {"MUST give a qr_code_url serving", "qr_code_url is missing from the HPP create response"},
		"validation-off":  {"MUST send the same correlation id in the header and the body of a KP 400", "expected a 4xx refusal, the target answered 200"},
	} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			r := runChild(t, 2*time.Minute, nil, "--no-color", "--mock-faults", fault, "--focus", c.focus)
			if r.exit != runner.ExitFailed || !strings.Contains(r.output, c.want) || strings.Contains(r.output, "expected it not to be") || strings.Contains(r.output, "expected it to be >=") {
				t.Errorf("exit %d, want 1 saying %q in the rule's words:\n%s", r.exit, c.want, lastOutput(r.output))
			}
		})
	}
}
