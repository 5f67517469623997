package runreport

import (
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/labels"
)

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

var missingToken = contract.Issue{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Pointer: "/client_token", Rule: "schema.required", Message: `property "client_token" is missing`}

// kpCreate is a setup step's create of a KP session that broke the contract.
func kpCreate(s int, issues ...contract.Issue) Exchange {
	return Exchange{Kind: "api", Operation: "createCreditSession", Status: 200, Brief: "api POST http://h/payments/v1/sessions → 200 (createCreditSession)",
		Step: "create a KP session", Started: at(s), Issues: issues}
}

// A violation in a setup step does not break a rule about another
// operation, but Ginkgo fails its spec for it: the rule does not hold
// either, it failed elsewhere, naming the step and the operation.
func TestJudgeSetupViolationIsAFindingNotABreach(t *testing.T) {
	f := Facts{Exchanges: []Exchange{
		kpCreate(1, missingToken),
		{Kind: "api", Operation: "createHppSession", Status: 201, Brief: "api POST http://h/hpp/v1/sessions → 201", Started: at(2)},
	}}
	j := Judge(f)
	if j.Verdict != FailedElsewhere || len(j.Seen) != 1 || j.Seen[0].Issue.Pointer != "/client_token" {
		t.Errorf("a rule about createHppSession that met a KP create violation in setup: %s, seen %+v; want failed-elsewhere, the violation seen", j.Verdict, j.Seen)
	}
	if j.Evidence == nil || j.Evidence.Pointer != "/client_token" || j.Step != "create a KP session" ||
		!strings.Contains(j.Why, "createCreditSession") || !strings.Contains(j.Why, "“create a KP session”") {
		t.Errorf("failed elsewhere: evidence %+v, step %q, why %q; want the step's violation, the step and its operation named", j.Evidence, j.Step, j.Why)
	}
	f.About = []string{"createCreditSession"}
	if j := Judge(f); j.Verdict != Broken || j.Evidence == nil || j.Evidence.Pointer != "/client_token" || j.Evidence.Kind != KindContract {
		t.Errorf("a rule about createCreditSession: %s %+v, want broken on /client_token", j.Verdict, j.Evidence)
	}
}

func TestJudgeBlockedNamesTheStepItsExchangeAndWhy(t *testing.T) {
	notFound := kpCreate(1)
	notFound.Status, notFound.Brief = 404, "api POST http://h/payments/v1/sessions → 404 (createCreditSession)"
	f := Facts{Exchanges: []Exchange{notFound}, Failure: &Failure{Step: "create a KP session", At: at(2),
		Message: "create a KP session\nExpected HTTP status 200, the target answered 404 (text/plain) with body:\n404 page not found"}}
	j := Judge(f)
	if j.Verdict != Blocked || j.Step != "create a KP session" || j.Evidence.Exchange != notFound.Brief ||
		!strings.HasPrefix(j.Evidence.Violation, "could not create a KP session: ") || !strings.Contains(j.Evidence.Violation, "answered 404") {
		t.Errorf("got %s step %q %+v", j.Verdict, j.Step, j.Evidence)
	}
	f.About = []string{"createCreditSession"}
	if j := Judge(f); j.Verdict != Broken {
		t.Errorf("a failed step of the rule's own operation: %s, want broken", j.Verdict)
	}
}

// TestJudgeOwnAssertionOverEarlierViolation: the rule's own failure is its
// evidence, not an unrelated violation met in a setup step before it.
func TestJudgeOwnAssertionOverEarlierViolation(t *testing.T) {
	f := Facts{Exchanges: []Exchange{
		kpCreate(1, missingToken),
		{Kind: "api", Operation: "createCreditSession", Status: 200, Brief: "api POST http://h/payments/v1/sessions → 200 (createCreditSession, deliberately invalid request)", Started: at(2)},
	}, Failure: &Failure{At: at(3), Message: "a KP session with a bad purchase_currency\nExpected HTTP status 400, the target answered 200 (application/json) with body:\n{}"}}
	j := Judge(f)
	if j.Verdict != Broken || j.Evidence.Kind != KindExpectation || !strings.Contains(j.Evidence.Violation, "Expected HTTP status 400") ||
		!strings.Contains(j.Evidence.Exchange, "deliberately invalid") {
		t.Errorf("got %s %+v, want broken on its own 400 expectation with its own exchange", j.Verdict, j.Evidence)
	}
}

// TestJudgeCleanupDefectFailsTheRuleElsewhere: Ginkgo fails a spec whose
// clean-up met a contract defect (framework.checkContract) or failed; the
// rule, whose own assertions passed, is failed-elsewhere with the clean-up's
// exchange as evidence, never holds (the review saw 23 "✅ holds" rows for
// [FAIL] specs with the mock fault error-body-wrong-shape). A broken rule
// stays broken on its own assertion.
func TestJudgeCleanupDefectFailsTheRuleElsewhere(t *testing.T) {
	cleanup := Exchange{Kind: "api", Operation: "disableHppSession", Status: 404, Brief: "api DELETE http://h/hpp/v1/sessions/x → 404 (disableHppSession)",
		Cleanup: true, Started: at(5), Issues: []contract.Issue{{Side: contract.Response, In: contract.InBody, Pointer: "/error_code", Rule: "schema.required", Message: "missing"}}}
	failure := "cleanup DELETE\nExpected\n    <int>: 404\nto equal\n    <int>: 204"
	j := Judge(Facts{About: []string{"getSessionById"}, Exchanges: []Exchange{cleanup}, CleanupFailure: failure})
	if j.Verdict != FailedElsewhere || len(j.Cleanup) != 2 || !strings.Contains(j.Cleanup[0], "/error_code") {
		t.Errorf("got %s, cleanup %q; want failed-elsewhere with both clean-up failures listed", j.Verdict, j.Cleanup)
	}
	if e := j.Evidence; e == nil || e.Exchange != cleanup.Brief || e.Operation != "disableHppSession" || e.Pointer != "/error_code" || !strings.Contains(j.Why, "disableHppSession that its clean-up met") {
		t.Errorf("evidence %+v, why %q: want the clean-up's DELETE and its operation named", j.Evidence, j.Why)
	}
	j = Judge(Facts{Exchanges: []Exchange{{Kind: "api", Operation: "getSessionById", Status: 200, Brief: "api GET http://h/hpp/v1/sessions/x → 200", Started: at(1)}}, CleanupFailure: failure})
	if j.Verdict != FailedElsewhere || j.Evidence == nil || !strings.Contains(j.Evidence.Violation, "clean-up: cleanup DELETE: got 404; expected it to equal 204") {
		t.Errorf("a failed clean-up: got %s %+v, want failed-elsewhere naming the clean-up's failure", j.Verdict, j.Evidence)
	}
	j = Judge(Facts{Exchanges: []Exchange{cleanup}, Failure: &Failure{Message: "expected 400, got 200", At: at(2)}})
	if j.Verdict != Broken {
		t.Errorf("a rule whose own assertion failed: %s, want broken", j.Verdict)
	}
}

// TestJudgeEvidenceIsTheExchangeTheRuleIsAbout: a placeholder rule cites
// the redirect, a callback rule the callback, never a later read.
func TestJudgeEvidenceIsTheExchangeTheRuleIsAbout(t *testing.T) {
	xs := []Exchange{
		{Kind: "page", Status: 303, Brief: "page POST http://h/pay/x/pay → 303", Started: at(1)},
		{Kind: "callback", Operation: "hppStatusUpdateCallback", Status: 200, Brief: "callback POST http://r/cb/1 → 200", Started: at(2)},
		{Kind: "api", Operation: "getSessionById", Status: 200, Brief: "api GET http://h/hpp/v1/sessions/x → 200", Started: at(3)},
		{Kind: "api", Operation: "disableHppSession", Status: 204, Brief: "api DELETE http://h/hpp/v1/sessions/x → 204", Started: at(4)},
	}
	for label, want := range map[string]string{labels.Placeholders: "page POST", labels.Callbacks: "callback POST", labels.Lifecycle: "api DELETE"} {
		j := Judge(Facts{Labels: []string{label}, Exchanges: xs, Failure: &Failure{At: at(5), Message: "x MUST y"}})
		if j.Evidence == nil || !strings.HasPrefix(j.Evidence.Exchange, want) {
			t.Errorf("%s rule: evidence %+v, want the %s", label, j.Evidence, want)
		}
	}
}

func TestPlainSpeaksTheFieldsWords(t *testing.T) {
	for in, want := range map[string]string{
		"status of HPP session x\nExpected\n    <api.HppStatus>: waiting\nto equal\n    <api.HppStatus>: WAITING":                                                     "status of HPP session x: got waiting; expected it to equal WAITING",
		"create a KP session\nUnexpected error:\n    <*transport.TransportError | 0xc000123>: \n    POST http://h/payments/v1/sessions: connection refused\noccurred": "create a KP session: POST http://h/payments/v1/sessions: connection refused",
		"Expected\n    <string>: " + strings.Repeat("a", 500) + "\nto equal\n    <string>: b":                                                                         "got " + strings.Repeat("a", maxPart) + " …; expected it to equal b",
	} {
		if got := Plain(in); got != want {
			t.Errorf("Plain(%q)\n got %q\nwant %q", in, got, want)
		}
		if got := Plain(in); strings.Contains(got, "0x") || strings.Contains(got, "<") {
			t.Errorf("Plain left a Go type or address: %q", got)
		}
	}
}

func TestFindingsOnePerDefectMostImpactFirst(t *testing.T) {
	seen := func(rule string) Rule {
		return Rule{Rule: rule, Verdict: Holds, Seen: []Seen{{Operation: "createCreditSession", Status: 200, Issue: missingToken, Exchange: "api POST …"}}}
	}
	broken := seen("KP MUST create")
	broken.Verdict = Broken
	broken.Evidence = violationEvidence(kpCreate(1, missingToken))
	blocked := []Rule{
		{Rule: "A MUST a", Verdict: Blocked, Step: "create a KP session", Evidence: &Evidence{Kind: KindExpectation, Violation: "could not create a KP session: answered 404 for kconform-ab12cd34-7"}},
		{Rule: "B MUST b", Verdict: Blocked, Step: "create a KP session", Evidence: &Evidence{Kind: KindExpectation, Violation: "could not create a KP session: answered 404 for kconform-ab12cd34-9"}},
		{Rule: "C MUST c", Verdict: Blocked, Step: "create a KP session", Evidence: &Evidence{Kind: KindExpectation, Violation: "could not create a KP session: answered 404 for kconform-ab12cd34-11"}},
	}
	fs := Findings(append([]Rule{seen("HPP MUST x"), broken, seen("HPP MUST y")}, blocked...))
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2 (one violation, one kind of blocked step): %+v", len(fs), fs)
	}
	if fs[0].Kind != KindExpectation || len(fs[0].Blocked) != 3 {
		t.Errorf("first finding %+v: want the step that blocked 3 rules", fs[0])
	}
	c := fs[1]
	if c.Pointer != "/client_token" || c.Seen != 3 || len(c.Broken) != 1 || len(c.Touched) != 2 || c.Example == "" {
		t.Errorf("contract finding %+v: want /client_token seen 3×, breaking 1 rule, met in 2", c)
	}
}

// TestJudgeRateLimitIsBlockedNotBroken: a 429 Too Many Requests is the
// target's rate limit (the real playground gives it, reference §Rate
// limits), not a defect of the operation: the rule, its own call or a
// step's, is blocked with the reason, never broken.
func TestJudgeRateLimitIsBlockedNotBroken(t *testing.T) {
	limited := kpCreate(1)
	limited.Status, limited.Brief = 429, "api POST http://h/payments/v1/sessions → 429 (createCreditSession)"
	for _, fl := range []*Failure{
		{At: at(2), Message: "Expected HTTP status 200, the target answered 429 (no Content-Type)"},
		{Step: "create a KP session", At: at(2), Message: "create a KP session\nExpected HTTP status 200, the target answered 429 (no Content-Type)"},
	} {
		f := Facts{About: []string{"createCreditSession"}, Exchanges: []Exchange{limited}, Failure: fl}
		j := Judge(f)
		if j.Verdict != Blocked || j.Why != RateLimited || j.Evidence == nil || j.Evidence.Exchange != limited.Brief {
			t.Errorf("step %q: got %s, why %q, evidence %+v; want blocked by the rate limit, on the 429 exchange", fl.Step, j.Verdict, j.Why, j.Evidence)
		}
	}
	// Any other status stays the rule's breach.
	other := limited
	other.Status = 500
	if j := Judge(Facts{About: []string{"createCreditSession"}, Exchanges: []Exchange{other},
		Failure: &Failure{At: at(2), Message: "Expected HTTP status 200, the target answered 500"}}); j.Verdict != Broken {
		t.Errorf("a 500: %s, want broken", j.Verdict)
	}
}
