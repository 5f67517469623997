package runreport

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/labels"
)

// TestOneSchemaDefectInAResponseAndACallbackIsOneFinding: the same field
// of the HPP session object, wrong the same way in a read's answer (/status)
// and in a callback body that embeds the session (/session/status), is one
// defect of the target, seen in two places.
func TestOneSchemaDefectInAResponseAndACallbackIsOneFinding(t *testing.T) {
	const enum = `value is not one of the allowed values ["WAITING","COMPLETED"]`
	read := contract.Issue{Side: contract.Response, In: contract.InBody, Pointer: "/status", Rule: "schema.enum", Message: enum}
	callback := contract.Issue{Side: contract.Request, In: contract.InBody, Pointer: "/session/status", Rule: "schema.enum", Message: enum}
	other := contract.Issue{Side: contract.Response, In: contract.InBody, Pointer: "/status", Rule: "schema.enum", Message: `value is not one of the allowed values ["complete","incomplete"]`}
	rules := []Rule{
		{Rule: "a", Verdict: Broken, Evidence: &Evidence{Kind: KindContract, Operation: "getSessionById", Status: 200, Side: "response", In: contract.InBody, Pointer: "/status", ContractRule: "schema.enum", Violation: IssueLine("getSessionById", 200, read)},
			Seen: []Seen{{Operation: "getSessionById", Status: 200, Issue: read, Exchange: "api GET /hpp/v1/sessions/x"}}},
		{Rule: "b", Verdict: Broken, Evidence: &Evidence{Kind: KindContract, Operation: "hppStatusUpdateCallback", Side: "request", In: contract.InBody, Pointer: "/session/status", ContractRule: "schema.enum", Violation: IssueLine("hppStatusUpdateCallback", 0, callback)},
			Seen: []Seen{{Operation: "hppStatusUpdateCallback", Issue: callback, Exchange: "callback POST /cb/x"}}},
		{Rule: "c", Verdict: Holds, Seen: []Seen{{Operation: "readCreditSession", Status: 200, Issue: other, Exchange: "api GET /payments/v1/sessions/x"}}},
	}
	got := Findings(rules)
	if len(got) != 2 {
		t.Fatalf("%d findings, want 2 (the session's /status once, KP's other enum apart): %+v", len(got), got)
	}
	f := got[0]
	if f.Pointer != "/status" || f.Operation != "getSessionById" || len(f.Broken) != 2 || f.Seen != 2 ||
		!strings.Contains(f.What, "hppStatusUpdateCallback") {
		t.Errorf("merged finding %+v: want /status of getSessionById breaking a and b, seen 2×, naming the callback too", f)
	}
}

// TestTheSameWrongStatusIsOneFinding: rules that met createHppSession
// answering 200 where 201 is expected, whether in their own request, in a
// setup step of their own operation or blocked by it, meet one defect; the
// title says the status the target answered.
func TestTheSameWrongStatusIsOneFinding(t *testing.T) {
	const ex = "api POST http://h/hpp/v1/sessions → 200 (createHppSession)"
	ev := func(msg string) *Evidence {
		return &Evidence{Kind: KindExpectation, Operation: "createHppSession", Status: 200, Exchange: ex, Violation: msg}
	}
	const answer = "Expected HTTP status 201, the target answered 200 (application/json;charset=utf-8)"
	rules := []Rule{
		{Rule: "a", Verdict: Blocked, Step: "create an HPP session", Evidence: ev("could not create an HPP session: create an HPP session: " + answer)},
		{Rule: "b", Verdict: Blocked, Step: "create an HPP session", Evidence: ev("could not create an HPP session: create an HPP session: " + answer)},
		{Rule: "c", Verdict: Broken, Evidence: ev("create an HPP session: " + answer)},
		{Rule: "d", Verdict: Broken, Evidence: ev(answer + ` with body: {"session_id":"x"}`)},
		{Rule: "e", Verdict: Broken, Evidence: &Evidence{Kind: KindExpectation, Operation: "createHppSession", Status: 400, Exchange: ex,
			Violation: "Expected HTTP status 201, the target answered 400 (application/json)"}},
	}
	got := Findings(rules)
	if len(got) != 2 {
		t.Fatalf("%d findings, want 2 (200 for 201 once, 400 for 201 apart): %+v", len(got), got)
	}
	f := got[0]
	if len(f.Broken) != 2 || len(f.Blocked) != 2 || !strings.Contains(f.What, "201") || !strings.Contains(f.What, "answered 200") {
		t.Errorf("finding %+v: want rules c, d broken and a, b blocked, saying 201 expected and 200 answered", f)
	}
}

// TestOneWrongAnswerToSeveralStatusesIsOneFinding: distribution by email,
// sms and token each expect 201 or 204 (framework.HaveStatusIn); a target
// answering 503 to all three has one defect, not three findings whose words
// differ by channel (mock fault distribution-unavailable).
func TestOneWrongAnswerToSeveralStatusesIsOneFinding(t *testing.T) {
	var rules []Rule
	for _, channel := range []string{"email", "sms", "token"} {
		rules = append(rules, Rule{Rule: channel, Verdict: Broken, Evidence: &Evidence{Kind: KindExpectation, Operation: "distributeHppSession", Status: 503,
			Exchange:  "api POST http://h/hpp/v1/sessions/x/distribution → 503 (distributeHppSession)",
			Violation: "distribution by " + channel + `: Expected HTTP status 201 or 204, the target answered 503 (application/json) with body: {"error_code":"INTERNAL_SERVER_ERROR"}`}})
	}
	got := Findings(rules)
	if len(got) != 1 {
		t.Fatalf("%d findings, want the 503 once: %+v", len(got), got)
	}
	if want := "distributeHppSession: expected HTTP status 201 or 204, the target answered 503 (application/json)"; got[0].What != want || len(got[0].Broken) != 3 {
		t.Errorf("finding %q breaking %v, want %q breaking the 3 rules", got[0].What, got[0].Broken, want)
	}
}

// TestTheSameWrongValueIsOneFinding: two rules that read the same wrong
// value of the same operation, described in their own words, meet one
// defect.
func TestTheSameWrongValueIsOneFinding(t *testing.T) {
	ev := func(msg string) *Evidence {
		return &Evidence{Kind: KindExpectation, Operation: "readCreditSession", Status: 200, Exchange: "api GET /payments/v1/sessions/x", Violation: msg}
	}
	rules := []Rule{
		{Rule: "a", Verdict: Broken, Evidence: ev("HPP placed the order, so the KP session MUST be complete: got incomplete; expected it to equal complete")},
		{Rule: "b", Verdict: Broken, Evidence: ev("the order was placed, so the KP session MUST be complete: got incomplete; expected it to equal complete")},
	}
	if got := Findings(rules); len(got) != 1 || len(got[0].Broken) != 2 {
		t.Errorf("want one finding breaking both rules, got %+v", got)
	}
}

// TestOneShapeDefectAtTheRootAndEmbeddedIsOneFinding: a read's whole body
// and a callback's /session that match none of the allowed shapes for the
// same reasons (the reasons' pointers under /session) are one defect.
func TestOneShapeDefectAtTheRootAndEmbeddedIsOneFinding(t *testing.T) {
	root := contract.Issue{Side: contract.Response, In: contract.InBody, Pointer: "", Rule: "schema.oneOf",
		Message: `matches none of the allowed shapes: completed (/authorization_token property "authorization_token" is missing)`}
	inCallback := contract.Issue{Side: contract.Request, In: contract.InBody, Pointer: "/session", Rule: "schema.oneOf",
		Message: `matches none of the allowed shapes: completed (/session/authorization_token property "authorization_token" is missing)`}
	unrelated := contract.Issue{Side: contract.Response, In: contract.InBody, Pointer: "", Rule: "schema.oneOf",
		Message: `matches none of the allowed shapes: other (/order_id property "order_id" is missing)`}
	rules := []Rule{
		{Rule: "a", Verdict: Holds, Seen: []Seen{{Operation: "getSessionById", Status: 200, Issue: root}}},
		{Rule: "b", Verdict: Holds, Seen: []Seen{{Operation: "hppStatusUpdateCallback", Issue: inCallback}}},
		{Rule: "c", Verdict: Holds, Seen: []Seen{{Operation: "readOrder", Status: 200, Issue: unrelated}}},
	}
	got := Findings(rules)
	if len(got) != 2 || got[0].Operation != "getSessionById" || got[0].Seen != 2 {
		t.Errorf("want the session's shape once (getSessionById, seen 2×) and readOrder's apart, got %+v", got)
	}
}

// TestNoDecoderErrorInMessages: an HTML page where JSON was declared reads
// as "the body is not JSON", never as Go's decoder error.
func TestNoDecoderErrorInMessages(t *testing.T) {
	got := Plain("create a KP session\nUnexpected error:\n    <*json.SyntaxError | 0xc000123>:\n    invalid character '<' looking for beginning of value")
	if strings.Contains(got, "invalid character") || !strings.Contains(got, "the body is not JSON (it starts with <)") {
		t.Errorf("got %q", got)
	}
}

// TestOneKindOfRuleFailedOnSeveralOperationsIsOneFinding: a target that
// never checks credentials answers each operation's wrong-password request
// with its success status: one finding naming the operations and every
// status answered.
func TestOneKindOfRuleFailedOnSeveralOperationsIsOneFinding(t *testing.T) {
	ev := func(op, answered string) *Evidence {
		return &Evidence{Kind: KindExpectation, Operation: op, Status: 204, Exchange: "api " + op,
			Violation: op + " with a wrong password: Expected HTTP status 401, the target answered " + answered + " (text/plain)"}
	}
	rules := []Rule{
		{Rule: "a", Verdict: Broken, Evidence: ev("disableHppSession", "204")},
		{Rule: "b", Verdict: Broken, Evidence: ev("cancelAuthorization", "204")},
		{Rule: "c", Verdict: Broken, Evidence: ev("distributeHppSession", "201")},
	}
	got := Findings(rules)
	if len(got) != 1 || len(got[0].Broken) != 3 || !strings.Contains(got[0].What, "answered 204 or 201") || len(got[0].Operations) != 3 {
		t.Errorf("want one finding of 3 operations saying 204 or 201, got %+v", got)
	}
}

// TestConnectionResetsAreOneFinding: a target that resets connections
// fails each rule's setup step with a message naming that connection's
// own port; the run meets one defect, said once, without the ports or
// the step's name twice.
func TestConnectionResetsAreOneFinding(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var rules []Rule
	for i, port := range []string{"51510", "51512", "40022"} {
		msg := "create a KP session\nUnexpected error:\n    <*transport.TransportError | 0xc000123>: \n    POST http://h/payments/v1/sessions: read tcp 127.0.0.1:" + port +
			"->127.0.0.1:8080: read: connection reset by peer\noccurred"
		j := Judge(Facts{Labels: []string{labels.Placeholders}, About: []string{"createHppSession"},
			Exchanges: []Exchange{{Kind: "api", Operation: "createCreditSession", Step: "create a KP session", Brief: "api POST http://h/payments/v1/sessions", Started: at}},
			Failure:   &Failure{At: at.Add(time.Second), Step: "create a KP session", Message: msg}})
		rules = append(rules, Rule{Rule: string(rune('a' + i)), Verdict: j.Verdict, Step: j.Step, Evidence: j.Evidence})
	}
	got := Findings(rules)
	if len(got) != 1 || len(got[0].Blocked) != 3 {
		t.Fatalf("%d findings, want 1 blocking 3 rules: %+v", len(got), got)
	}
	if w := got[0].What; strings.Contains(w, "5151") || strings.Contains(w, "->") || strings.Count(w, "create a KP session") != 1 {
		t.Errorf("finding says %q: want the step once and no connection addresses", w)
	}
}

// One object seen at two moments shows two values of one wrong enum: a
// lowercase status read as "waiting" and called back as "in_progress" is
// one defect (the enum messages came to show the value, which split it).
func TestEmbeddedIgnoresTheValuesShown(t *testing.T) {
	allowed := ` is not one of the allowed values ["WAITING","IN_PROGRESS"]`
	read := &Finding{Kind: KindContract, Pointer: "/status", message: `value "waiting"` + allowed}
	callback := &Finding{Kind: KindContract, Pointer: "/session/status", message: `value "in_progress"` + allowed}
	if !embedded(read, callback) {
		t.Error("the same wrong enum in a read and a callback is two findings")
	}
	other := &Finding{Kind: KindContract, Pointer: "/session/status", message: `value "x" is not one of the allowed values ["A"]`}
	if embedded(read, other) {
		t.Error("another enum's failure merged")
	}
}

// TestAStepsDefectFailsTheSpecNotTheReport: Ginkgo prints [FAIL] for a
// spec whose setup step met another operation's contract defect (the
// framework's contract check); the report must not call its rule "holds",
// and the defect stays one finding, of that operation.
func TestAStepsDefectFailsTheSpecNotTheReport(t *testing.T) {
	own := Judge(Facts{Exchanges: []Exchange{{Kind: "api", Operation: "createCreditSession", Status: 200,
		Brief: "api POST http://h/payments/v1/sessions → 200 (createCreditSession)", Started: at(1), Issues: []contract.Issue{missingToken}}}})
	step := Judge(Facts{Exchanges: []Exchange{kpCreate(1, missingToken),
		{Kind: "api", Operation: "createHppSession", Status: 201, Brief: "api POST http://h/hpp/v1/sessions → 201", Started: at(2)}}})
	entry := func(j Judgement) types.ReportEntry {
		return types.ReportEntry{Name: JudgementEntry, Value: types.WrapEntryValue(j)}
	}
	checkContract := "1 exchange(s) of this spec broke the contract:\n  createCreditSession → 200: response body /client_token: ..."
	kp, hpp := [][]string{{labels.KP, labels.Lifecycle}}, [][]string{{labels.HPP, labels.Lifecycle}}
	r := types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 2, SpecsThatWillRun: 2}, SpecReports: []types.SpecReport{
		spec([]string{"KP"}, kp, "MUST give a client_token", types.SpecStateFailed, checkContract, entry(own)),
		spec([]string{"HPP"}, hpp, "MUST create a session", types.SpecStateFailed, checkContract, entry(step)),
	}}
	rep := New(r, "test", "http://h", "", nil)

	hppRule := rep.Rules[slices.IndexFunc(rep.Rules, func(r Rule) bool { return r.Rule == "HPP MUST create a session" })]
	if hppRule.Verdict != FailedElsewhere {
		t.Errorf("the rule whose spec Ginkgo failed for its step's defect: %s, want failed-elsewhere", hppRule.Verdict)
	}
	if len(rep.Findings) != 1 {
		t.Fatalf("%d findings, want the one broken field once: %+v", len(rep.Findings), rep.Findings)
	}
	f := rep.Findings[0]
	if f.Pointer != "/client_token" || f.Operation != "createCreditSession" || !slices.Equal(f.Failed, []string{"HPP MUST create a session"}) || len(f.Touched) != 0 {
		t.Errorf("finding %+v: want createCreditSession /client_token, failing the HPP rule elsewhere, touching none", f)
	}
	if strings.Contains(f.Effect(), "hold") {
		t.Errorf("the finding's effect %q says a rule it failed holds", f.Effect())
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.Contains(line, "| HPP MUST create a session |") && !strings.HasPrefix(line, "| 🟠 failed-elsewhere | HPP MUST create a session | `api POST http://h/payments/v1/sessions") {
			t.Errorf("the report's row of a spec Ginkgo failed: %q, want failed-elsewhere with the step's exchange", line)
		}
	}
	if want := "2 Failed = 1 broken + 1 failed elsewhere"; !strings.Contains(rep.SpecsLine(), want) {
		t.Errorf("the counts line %q does not square Ginkgo's Failed with the verdicts as %q", rep.SpecsLine(), want)
	}
	if strings.Contains(rep.Counts.Headline(), "1 hold") {
		t.Errorf("the headline %q counts a hold", rep.Counts.Headline())
	}
}

// TestACleanUpsDefectFailsTheSpecNotTheReport: a clean-up's DELETE that
// answered a wrong error body fails the spec in Ginkgo; the report says
// failed-elsewhere, naming the clean-up's exchange and operation, and the
// defect is one finding of disableHppSession that says it failed the rule
// (not "met in a rule that holds"), however many specs' clean-ups met it.
func TestACleanUpsDefectFailsTheSpecNotTheReport(t *testing.T) {
	wrongShape := contract.Issue{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Pointer: "/error_code", Rule: "schema.required", Message: `property "error_code" is missing`}
	del := Exchange{Kind: "api", Operation: "disableHppSession", Status: 400, Brief: "api DELETE http://h/hpp/v1/sessions/x → 400 (disableHppSession)",
		Cleanup: true, Started: at(3), Issues: []contract.Issue{wrongShape}}
	read := Exchange{Kind: "api", Operation: "getSessionById", Status: 200, Brief: "api GET http://h/hpp/v1/sessions/x → 200 (getSessionById)", Started: at(2)}
	entry := func(j Judgement) types.ReportEntry {
		return types.ReportEntry{Name: JudgementEntry, Value: types.WrapEntryValue(j)}
	}
	checkContract := "1 exchange(s) of this spec broke the contract:\n  disableHppSession → 400: response body /error_code: ..."
	hpp := [][]string{{labels.HPP, labels.Lifecycle}}
	var specs []types.SpecReport
	for _, name := range []string{"MUST read a session", "MUST read it again"} {
		specs = append(specs, spec([]string{"HPP"}, hpp, name, types.SpecStateFailed, checkContract, entry(Judge(Facts{Exchanges: []Exchange{read, del}}))))
	}
	rep := New(types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 2, SpecsThatWillRun: 2}, SpecReports: specs}, "test", "http://h", "", nil)
	for _, rule := range rep.Rules {
		if rule.Verdict != FailedElsewhere {
			t.Errorf("%q, whose spec Ginkgo failed in its clean-up: %s, want failed-elsewhere", rule.Rule, rule.Verdict)
		}
	}
	if len(rep.Findings) != 1 {
		t.Fatalf("%d findings, want the clean-up's defect once: %+v", len(rep.Findings), rep.Findings)
	}
	f := rep.Findings[0]
	if f.Operation != "disableHppSession" || f.Pointer != "/error_code" || len(f.Failed) != 2 || len(f.Touched) != 0 || strings.Contains(f.Effect(), "hold") {
		t.Errorf("finding %+v (%s): want disableHppSession /error_code failing both rules, touching none", f, f.Effect())
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.Contains(line, "| HPP MUST read a session |") && strings.HasPrefix(line, "| 🟠 failed-elsewhere") &&
			!strings.Contains(line, "`api DELETE http://h/hpp/v1/sessions/x → 400 (disableHppSession)`") {
			t.Errorf("the row %q does not name the clean-up's exchange", line)
		}
	}
	if want := "2 Failed = 2 failed elsewhere"; !strings.Contains(rep.SpecsLine(), want) {
		t.Errorf("the counts line %q, want %q", rep.SpecsLine(), want)
	}
}

// TestAMissingCallbackIsOneFindingOfTheCallback: with no callback at all
// (mock fault callback-missing) the review saw 5 findings titled "got nil"
// and "got []", filed under getSessionById and disableHppSession, which
// answered correctly. The rules' failures are the missing
// hppStatusUpdateCallback's: one finding of that operation, breaking them
// all, its title saying what was expected and that nothing arrived.
func TestAMissingCallbackIsOneFindingOfTheCallback(t *testing.T) {
	read := Exchange{Kind: "api", Operation: "getSessionById", Status: 200, Brief: "api GET http://h/hpp/v1/sessions/x → 200 (getSessionById)", Started: at(1)}
	del := Exchange{Kind: "api", Operation: "disableHppSession", Status: 204, Brief: "api DELETE http://h/hpp/v1/sessions/x → 204 (disableHppSession)", Started: at(2)}
	entry := func(j Judgement) types.ReportEntry {
		return types.ReportEntry{Name: JudgementEntry, Value: types.WrapEntryValue(j)}
	}
	lbls := []string{labels.HPP, labels.Callbacks, "about:hppStatusUpdateCallback"}
	var specs []types.SpecReport
	for i, msg := range []string{
		"Timed out after 3.000s.\nhppStatusUpdateCallback calls: one callback for the change to IN_PROGRESS\nExpected\n    <int>: 0\nto equal\n    <int>: 1",
		"Timed out after 3.000s.\nhppStatusUpdateCallback /session/status: one callback for the change to DISABLED\nExpected\n    <[]api.HppStatus | len:0, cap:0>: []\nto equal\n    <[]api.HppStatus | len:1, cap:1>: [\"DISABLED\"]",
	} {
		j := Judge(Facts{About: []string{"hppStatusUpdateCallback"}, Labels: lbls, Exchanges: []Exchange{read, del}, Failure: &Failure{Message: msg, At: at(3)}})
		if j.Verdict != Broken || j.Evidence == nil || j.Evidence.Operation != "hppStatusUpdateCallback" || j.Evidence.Exchange != "" {
			t.Fatalf("got %s %+v, want broken by the callback that never came, not by a read or a DELETE", j.Verdict, j.Evidence)
		}
		specs = append(specs, spec([]string{"HPP status callbacks"}, [][]string{lbls}, fmt.Sprintf("MUST call back %d", i), types.SpecStateFailed, msg, entry(j)))
	}
	rep := New(types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 2, SpecsThatWillRun: 2}, SpecReports: specs}, "test", "http://h", "", nil)
	if len(rep.Findings) != 1 {
		t.Fatalf("%d findings, want the missing callback once: %+v", len(rep.Findings), rep.Findings)
	}
	f := rep.Findings[0]
	if f.Operation != "hppStatusUpdateCallback" || len(f.Broken) != 2 || !strings.Contains(f.What, "sent no callback") || strings.Contains(f.What, "got nil") {
		t.Errorf("finding %+v: want one of hppStatusUpdateCallback saying no callback came, breaking both rules", f)
	}
	// A callback rule whose own read broke the contract before it waited
	// for a call is broken by the read (hpp-read-missing-field), not by a
	// callback it never got to wait for.
	bad := read
	bad.Issues = []contract.Issue{{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Pointer: "/expires_at", Rule: "schema.required", Message: `property "expires_at" is missing`}}
	j := Judge(Facts{About: []string{"hppStatusUpdateCallback"}, Labels: lbls, Exchanges: []Exchange{bad},
		Failure: &Failure{Message: "read HPP session x: contract violation: response body /expires_at", At: at(3)}})
	if j.Evidence == nil || j.Evidence.Operation != "getSessionById" || j.Evidence.Pointer != "/expires_at" {
		t.Errorf("a callback rule broken by its own read: %+v, want the read's /expires_at", j.Evidence)
	}
}

// TestPlainDropsConsistentlysTiming: "Failed after 0.000s." opened the
// title of a finding (callback-event-id-changes); it says when, not what.
func TestPlainDropsConsistentlysTiming(t *testing.T) {
	got := Plain("Failed after 0.000s.\nhppStatusUpdateCallback /event_id: every retry carries the event_id of the first call\nExpected\n    <string>: b\nto equal\n    <string>: a")
	if want := "hppStatusUpdateCallback /event_id: every retry carries the event_id of the first call: got b; expected it to equal a"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestAFindingNeverSaysARuleItFailedHolds: a spec whose read and clean-up
// both broke the contract fails (Ginkgo) on the first; the clean-up's
// finding names the rule as met elsewhere, never as one that holds (the
// review saw "met in 43 other rule(s) that hold or fail on their own" for
// rules that failed because of it).
func TestAFindingNeverSaysARuleItFailedHolds(t *testing.T) {
	wrongShape := contract.Issue{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Pointer: "/error_code", Rule: "schema.required", Message: `property "error_code" is missing`}
	j := Judge(Facts{Exchanges: []Exchange{kpCreate(1, missingToken),
		{Kind: "api", Operation: "disableHppSession", Status: 400, Brief: "api DELETE http://h/hpp/v1/sessions/x → 400", Cleanup: true, Started: at(3), Issues: []contract.Issue{wrongShape}}}})
	rep := New(types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 1, SpecsThatWillRun: 1}, SpecReports: []types.SpecReport{
		spec([]string{"HPP"}, [][]string{{labels.HPP}}, "MUST x", types.SpecStateFailed, "2 exchange(s) of this spec broke the contract",
			types.ReportEntry{Name: JudgementEntry, Value: types.WrapEntryValue(j)})}}, "test", "http://h", "", nil)
	for _, f := range rep.Findings {
		if strings.Contains(f.Effect(), "hold") {
			t.Errorf("finding %q: %s", f.What, f.Effect())
		}
	}
}
