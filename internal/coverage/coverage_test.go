package coverage

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/testkit"
	"github.com/kconform/kconform/internal/transport"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const hppBase = "https://api.example/hpp/v1/sessions/"

// api is an API record for operation that answered status with body.
func api(operation, method, url string, status int, body string, issues ...contract.Issue) transport.Record {
	return transport.Record{
		Kind:     transport.API,
		Exchange: exchange.Exchange{Method: method, URL: url, Status: status, ResponseBody: []byte(body)},
		Result:   &contract.Result{Operation: operation, Issues: issues},
	}
}

func read(id, status string) transport.Record {
	return api(readOperation, http.MethodGet, hppBase+id, 200, fmt.Sprintf(`{"session_id":%q,"status":%q}`, id, status))
}

func create(status int, merchantURLs string) transport.Record {
	r := api(createOperation, http.MethodPost, hppBase, status, `{}`)
	r.Exchange.RequestBody = []byte(`{"payment_session_url":"x","merchant_urls":` + merchantURLs + `}`)
	return r
}

func callback(url, eventID, id, status string) transport.Record {
	return transport.Record{
		Kind: transport.Callback,
		Exchange: exchange.Exchange{Method: http.MethodPost, URL: url, Status: 200,
			RequestBody: []byte(fmt.Sprintf(`{"event_id":%q,"session":{"session_id":%q,"status":%q}}`, eventID, id, status))},
		Result: &contract.Result{Operation: statusCallback},
	}
}

func redirect(location string) transport.Record {
	return transport.Record{Kind: transport.Page, Exchange: exchange.Exchange{
		Method: http.MethodPost, URL: "https://pay.example/pay/x/pay", Status: 303, ResponseHeader: http.Header{"Location": {location}},
	}}
}

var (
	responseIssue = contract.Issue{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Rule: "schema.required"}
	requestIssue  = contract.Issue{Severity: contract.Violation, Side: contract.Request, In: contract.InBody, Rule: "schema.required"}
)

func coverageOf(t testing.TB, recs ...transport.Record) Coverage {
	t.Helper()
	c := NewCollector()
	for _, r := range recs {
		c.Observe(r)
	}
	cov, err := c.Coverage(contracttest.Validator(t))
	if err != nil {
		t.Fatal(err)
	}
	return cov
}

func findResponse(cov Coverage, op string, status int) (Response, bool) {
	for _, r := range cov.Responses {
		if r.Operation == op && r.Status == status {
			return r, true
		}
	}
	return Response{}, false
}

func TestResponsesCountSeenAndConforming(t *testing.T) {
	rejected := api(createOperation, http.MethodPost, hppBase, 400, `{}`, requestIssue)
	rejected.Rejection = true
	cov := coverageOf(t,
		api(createOperation, http.MethodPost, hppBase, 201, `{}`),
		api(createOperation, http.MethodPost, hppBase, 201, `{}`, responseIssue), // body off the contract
		rejected, // request-side issues of a deliberately invalid request do not count
		api(createOperation, http.MethodPost, hppBase, 418, `{}`, contract.Issue{Severity: contract.Violation, Side: contract.Response, In: contract.InStatus, Rule: contract.RuleUndocumentedStatus}),
		api("", http.MethodGet, "https://api.example/nowhere", 404, ``),
		transport.Record{Kind: transport.API, Err: errors.New("connection reset")},
		transport.Record{Kind: transport.API, Exchange: exchange.Exchange{Status: 201}}, // no contract result
	)
	tests := []struct {
		op               string
		status           int
		documented       bool
		seen, conforming int
	}{
		{createOperation, 201, true, 2, 1},
		{createOperation, 400, true, 1, 1},
		{createOperation, 403, true, 0, 0},
		{createOperation, 418, false, 1, 0},
	}
	for _, tt := range tests {
		r, ok := findResponse(cov, tt.op, tt.status)
		if !ok {
			t.Errorf("%s %d: not listed", tt.op, tt.status)
			continue
		}
		if r.Documented != tt.documented || r.Seen != tt.seen || r.Conforming != tt.conforming {
			t.Errorf("%s %d: documented=%v seen=%d conforming=%d, want %v %d %d", tt.op, tt.status, r.Documented, r.Seen, r.Conforming, tt.documented, tt.seen, tt.conforming)
		}
	}
	if cov.Unrouted != (Tally{Seen: 1, Conforming: 1}) {
		t.Errorf("unrouted = %+v, want 1 seen, 1 conforming", cov.Unrouted)
	}
	// Document order: HPP first, paths as written, statuses ascending; the
	// undocumented status after every documented one.
	first, last := cov.Responses[0], cov.Responses[len(cov.Responses)-1]
	if first.Operation != createOperation || first.Status != 201 || first.API != "HPP" || first.Path != "/hpp/v1/sessions" {
		t.Errorf("first response = %+v, want HPP createHppSession 201", first)
	}
	if last.Documented || last.Status != 418 {
		t.Errorf("last response = %+v, want the undocumented 418", last)
	}
	var ops []string
	for _, r := range cov.Responses {
		if len(ops) == 0 || ops[len(ops)-1] != r.Operation {
			ops = append(ops, r.Operation)
		}
	}
	want := []string{"createHppSession", "getSessionById", "disableHppSession", "distributeHppSession", "createCreditSession",
		"readCreditSession", "updateCreditSession", "createOrder", "cancelAuthorization", "purchaseToken", "createCheckoutOrder", "readCheckoutOrder", "createHppSession"}
	if !slices.Equal(ops, want) {
		t.Errorf("operation order = %v, want %v", ops, want)
	}
}

func TestCallbacksCountReceivedAndConforming(t *testing.T) {
	bad := callback("http://127.0.0.1/cb/1", "e9", "s9", "WAITING")
	bad.Result.Issues = []contract.Issue{requestIssue}
	cov := coverageOf(t, callback("http://127.0.0.1/cb/1", "e1", "s1", "IN_PROGRESS"), bad)
	if len(cov.Callbacks) != 2 {
		t.Fatalf("callbacks = %+v, want the document's two", cov.Callbacks)
	}
	if cb := cov.Callbacks[0]; cb.Operation != statusCallback || cb.Name != "statusUpdate" || cb.Received != 2 || cb.Conforming != 1 {
		t.Errorf("status callback = %+v, want 2 received, 1 conforming", cb)
	}
	if cb := cov.Callbacks[1]; cb.Operation != "kpAuthorizationCallback" || cb.Received != 0 {
		t.Errorf("authorization callback = %+v, want none received", cb)
	}
}

// transitionRecords exercise every way a transition is counted or not.
func transitionRecords() []transport.Record {
	return []transport.Record{
		// a: the documented path, seen by reads; a repeated read is no change.
		read("a", "WAITING"), read("a", "WAITING"), read("a", "IN_PROGRESS"), read("a", "COMPLETED"),
		// b: observation starts mid-way (no [*] edge), then leaves a terminal status.
		read("b", "COMPLETED"), read("b", "IN_PROGRESS"),
		// c: two steps in one: explained by the document, credited to no edge.
		read("c", "WAITING"), read("c", "COMPLETED"),
		// d: callbacks (one retried) and a read see the same change once.
		callback("http://127.0.0.1/cb/d", "d1", "d", "IN_PROGRESS"),
		callback("http://127.0.0.1/cb/d", "d1", "d", "IN_PROGRESS"),
		callback("http://127.0.0.1/cb/d", "d2", "d", "FAILED"),
		read("d", "IN_PROGRESS"), read("d", "FAILED"),
		// e: a disable (204) is a move to DISABLED.
		read("e", "WAITING"), api(disableOperation, http.MethodDelete, hppBase+"e", 204, ``),
		// f: a status the enum does not have.
		read("f", "WAITING"), read("f", "TIMEOUT"),
		// garbage: ignored.
		api(readOperation, http.MethodGet, hppBase+"g", 200, `not json`),
		api(readOperation, http.MethodGet, "%%", 200, `{"status":"WAITING"}`),
	}
}

func TestTransitionsFollowEachSession(t *testing.T) {
	cov := coverageOf(t, transitionRecords()...)
	got := map[string]Transition{}
	for _, tr := range cov.Transitions {
		got[tr.From+"→"+tr.To] = tr
	}
	tests := []struct {
		edge       string
		documented bool
		seen       int
	}{
		{"[*]→WAITING", true, 4}, // a, c, e, f
		{"WAITING→IN_PROGRESS", true, 1},
		{"IN_PROGRESS→COMPLETED", true, 1},
		{"IN_PROGRESS→FAILED", true, 1},
		{"WAITING→DISABLED", true, 1},
		{"IN_PROGRESS→CANCELLED", true, 0},
		{"COMPLETED→IN_PROGRESS", false, 1},
		{"WAITING→TIMEOUT", false, 1},
	}
	for _, tt := range tests {
		tr, ok := got[tt.edge]
		if !ok {
			t.Errorf("%s: not listed", tt.edge)
			continue
		}
		if tr.Documented != tt.documented || tr.Seen != tt.seen {
			t.Errorf("%s: documented=%v seen=%d, want %v %d", tt.edge, tr.Documented, tr.Seen, tt.documented, tt.seen)
		}
	}
	if _, ok := got["WAITING→COMPLETED"]; ok {
		t.Errorf("WAITING→COMPLETED is listed; a documented two-step path explains it")
	}
	if cov.SkippedChanges != 1 {
		t.Errorf("skipped changes = %d, want 1 (session c)", cov.SkippedChanges)
	}
	if cov.Transitions[0].From != "[*]" || cov.Transitions[0].To != "WAITING" {
		t.Errorf("first transition = %+v, want [*]→WAITING", cov.Transitions[0])
	}
	// Every status has a documented way in (MANUAL_ID_CHECK's is assumption
	// A-manual-id-check); unreachable ones are the state machine's to say.
	if len(cov.Unreachable) != 0 {
		t.Errorf("unreachable = %v, want none", cov.Unreachable)
	}
}

func TestPlaceholdersCountSentAndSubstituted(t *testing.T) {
	const urls = `{"success":"https://m.example/s?sid={{session_id}}&t={{authorization_token}}&o={{order_id}}",` +
		`"status_update":"http://127.0.0.1:9/cb/x?sid={{session_id}}","back":"https://m.example/{{session_id}}/back"}`
	cov := coverageOf(t,
		create(201, urls),
		create(400, urls), // not created: not sent
		redirect("https://m.example/s?sid=abc&t=tok%2B1&o={{order_id}}"),
		redirect("https://m.example/s?sid={{session_id}}&t=&o={{order_id}}"), // nothing filled in
		redirect("https://m.example/abc/back"),                               // placeholder in the path
		redirect("https://elsewhere.example/s?sid=abc"),                      // no template of ours
		callback("http://127.0.0.1:9/cb/x?sid=abc", "e1", "abc", "IN_PROGRESS"),
	)
	want := map[string][2]int{ // sent, substituted
		"{{session_id}}":          {1, 3},
		"{{authorization_token}}": {1, 1},
		"{{order_id}}":            {1, 0},
	}
	if len(cov.Placeholders) != len(want) {
		t.Fatalf("placeholders = %+v, want the document's three", cov.Placeholders)
	}
	for _, p := range cov.Placeholders {
		if w := want[p.Name]; p.Sent != w[0] || p.Substituted != w[1] {
			t.Errorf("%s: sent=%d substituted=%d, want %d %d", p.Name, p.Sent, p.Substituted, w[0], w[1])
		}
		if len(p.Fields) == 0 || p.Condition == "" {
			t.Errorf("%s: fields %v, condition %q: want both from the document", p.Name, p.Fields, p.Condition)
		}
	}
}

func TestUncoveredAndStaleGaps(t *testing.T) {
	empty := coverageOf(t)
	unc := empty.Uncovered()
	if !slices.Contains(unc, responseItem(createOperation, 201)) {
		t.Errorf("Uncovered() of an empty run lacks %q: %v", responseItem(createOperation, 201), unc)
	}
	if slices.Contains(unc, responseItem(createOperation, 429)) {
		t.Errorf("Uncovered() lists %q, which has a gap", responseItem(createOperation, 429))
	}
	if stale := StaleGaps(empty); len(stale) != 0 {
		t.Errorf("an empty run makes no gap stale, got %v", stale)
	}
	r := api(createOperation, http.MethodPost, hppBase, 429, ``)
	if stale := StaleGaps(coverageOf(t, r)); !slices.Equal(stale, []string{responseItem(createOperation, 429) + ": the gap table says it cannot be exercised, but the run did"}) {
		t.Errorf("StaleGaps after a 429 = %v", stale)
	}
	gaps["response noSuchOperation 200"] = "test"
	defer delete(gaps, "response noSuchOperation 200")
	if stale := StaleGaps(empty); len(stale) != 1 {
		t.Errorf("a gap for an item the document lacks must be stale, got %v", stale)
	}
}

func TestMermaidGolden(t *testing.T) {
	got := coverageOf(t, transitionRecords()...).Mermaid()
	path := filepath.Join("testdata", "transitions.mmd")
	if *update {
		testkit.WriteFile(t, path, got)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("Mermaid() differs from %s (run with -update if the change is intended):\n%s", path, got)
	}
}

// Garbage in any field must never panic, from many goroutines at once.
func TestObserveSurvivesGarbageConcurrently(t *testing.T) {
	garbage := []transport.Record{
		{},
		{Kind: transport.API, Result: &contract.Result{Operation: readOperation}, Exchange: exchange.Exchange{Status: 200, ResponseBody: []byte(`{"status":7}`)}},
		{Kind: transport.API, Result: &contract.Result{Operation: createOperation}, Exchange: exchange.Exchange{Status: 201, RequestBody: []byte(`{"merchant_urls":{"success":"{{{{}}}}x{{","back":3}}`)}},
		{Kind: transport.API, Result: &contract.Result{Operation: createOperation}, Exchange: exchange.Exchange{Status: 201, RequestBody: []byte(`{"merchant_urls":[1]}`)}},
		{Kind: transport.API, Result: &contract.Result{Operation: disableOperation}, Exchange: exchange.Exchange{Status: 204, URL: "::"}},
		{Kind: transport.Callback, Result: &contract.Result{Operation: statusCallback}, Exchange: exchange.Exchange{RequestBody: []byte(`{"session":null}`)}},
		{Kind: transport.Callback},
		{Kind: transport.Page, Exchange: exchange.Exchange{Status: 302}},
		{Kind: "other", Exchange: exchange.Exchange{Status: 200}},
	}
	c := NewCollector()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				c.Observe(garbage[(g+i)%len(garbage)])
				c.Observe(read(fmt.Sprint("s", g), "WAITING"))
			}
		})
	}
	wg.Wait()
	cov, err := c.Coverage(contracttest.Validator(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = cov.Mermaid()
	if tr := cov.Transitions[0]; tr.Seen != 8 {
		t.Errorf("[*]→WAITING seen %d, want 8 (one per session)", tr.Seen)
	}
}

func TestCoverageRejectsADocumentWithoutTheExtensions(t *testing.T) {
	v, err := contract.Load([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewCollector().Coverage(v); err == nil || !strings.Contains(err.Error(), "HppStatus") {
		t.Fatalf("a document without HppStatus: %v, want an error naming it", err)
	}
}

func BenchmarkObserve(b *testing.B) {
	recs := []transport.Record{
		create(201, `{"success":"https://m.example/s?sid={{session_id}}&t={{authorization_token}}"}`),
		read("bench", "WAITING"),
		read("bench", "IN_PROGRESS"),
		redirect("https://m.example/s?sid=bench&t=tok"),
		callback("http://127.0.0.1/cb/b", "e1", "bench", "COMPLETED"),
		api("createCreditSession", http.MethodPost, "https://api.example/payments/v1/sessions", 200, `{}`),
	}
	c := NewCollector()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Observe(recs[i%len(recs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
