package lifecycle

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/openapi"
)

const sessionURL = "https://api.playground.klarna.com/hpp/v1/sessions/"

func checker(t testing.TB) *Checker {
	t.Helper()
	v := contracttest.Validator(t)
	c, err := New(v)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sessionJSON is a read body for session id in status, updated and expiring at
// the given times.
func sessionJSON(id, status, updated, expires string) string {
	return `{"session_id":"` + id + `","status":"` + status + `","updated_at":"` + updated + `","expires_at":"` + expires + `"}`
}

func read(id, body string) exchange.Exchange {
	return exchange.Exchange{Method: "GET", URL: sessionURL + id, Status: 200, ResponseBody: []byte(body)}
}

func TestTerminalFromContract(t *testing.T) {
	c := checker(t)
	for _, s := range []string{"COMPLETED", "CANCELLED", "DISABLED"} {
		if !c.Terminal(s) {
			t.Errorf("%s is not terminal", s)
		}
	}
	for _, s := range []string{"WAITING", "IN_PROGRESS", "FAILED", "BACK", "ERROR", "MANUAL_ID_CHECK"} {
		if c.Terminal(s) {
			t.Errorf("%s is terminal", s)
		}
	}
	// The list is the contract's, not this package's: without it New fails.
	spec := bytes.Replace(openapi.Spec, []byte("x-kconform-terminal:"), []byte("x-kconform-was-terminal:"), 1)
	v, err := contract.Load(spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(v); err == nil || !strings.Contains(err.Error(), "x-kconform-terminal") {
		t.Errorf("New without the extension: %v", err)
	}
	// A changed list changes what is terminal.
	spec = bytes.Replace(openapi.Spec, []byte("x-kconform-terminal: [COMPLETED, CANCELLED, DISABLED]"), []byte("x-kconform-terminal: [COMPLETED]"), 1)
	if v, err = contract.Load(spec); err != nil {
		t.Fatal(err)
	}
	c2, err := New(v)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Terminal("CANCELLED") || !c2.Terminal("COMPLETED") {
		t.Errorf("terminal list not read from the contract")
	}
}

// sessionBodies must name exactly where the contract puts SessionResponseV1.
func TestSessionBodiesMatchContract(t *testing.T) {
	v := contracttest.Validator(t)
	doc := v.Document()
	const session = "#/components/schemas/SessionResponseV1"
	read := doc.Paths.Value("/hpp/v1/sessions/{session_id}").Get
	if read.OperationID != "getSessionById" {
		t.Fatalf("GET /hpp/v1/sessions/{session_id} is %s", read.OperationID)
	}
	if ref := read.Responses.Status(sessionBodies["getSessionById"].status).Value.Content.Get("application/json").Schema.Ref; ref != session {
		t.Errorf("getSessionById 200 is %s", ref)
	}
	cb := v.Operation("hppStatusUpdateCallback")
	if cb == nil || !cb.Callback {
		t.Fatal("no hppStatusUpdateCallback callback")
	}
	event := doc.Components.Schemas["StatusUpdateEventV1"].Value
	if ref := event.Properties[strings.TrimPrefix(sessionBodies["hppStatusUpdateCallback"].pointer, "/")].Ref; ref != session {
		t.Errorf("the callback's session is %s", ref)
	}
	del := v.Operation(disableOperation)
	if del == nil || del.Method != "DELETE" || !strings.Contains(strings.Join(del.Responses(), ","), "204") {
		t.Errorf("%s is not DELETE with 204", disableOperation)
	}
	if !strings.Contains(del.Path, "{"+sessionIDParam+"}") {
		t.Errorf("%s path %s has no {%s}", disableOperation, del.Path, sessionIDParam)
	}
}

func TestSnapshot(t *testing.T) {
	c := checker(t)
	body := sessionJSON("s1", "IN_PROGRESS", "2019-05-13T14:52:57.540Z", "2019-05-15T13:51:43.507Z")
	s, ok := c.Snapshot("getSessionById", read("s1", body))
	if !ok || s.SessionID != "s1" || s.Status != "IN_PROGRESS" || s.UpdatedAt.IsZero() || s.ExpiresAt.IsZero() || s.Side != contract.Response || s.Pointer != "" {
		t.Errorf("read snapshot %+v %v", s, ok)
	}
	cb := exchange.Exchange{Method: "POST", RequestBody: []byte(`{"event_id":"e","session":` + body + `}`)}
	s, ok = c.Snapshot("hppStatusUpdateCallback", cb)
	if !ok || s.SessionID != "s1" || s.Side != contract.Request || s.Pointer != "/session" {
		t.Errorf("callback snapshot %+v %v", s, ok)
	}
	del := exchange.Exchange{Method: "DELETE", URL: sessionURL + "s%2F2", Status: 204}
	s, ok = c.Snapshot("disableHppSession", del)
	if !ok || s.SessionID != "s/2" || s.Status != "DISABLED" || s.In != contract.InStatus {
		t.Errorf("disable snapshot %+v %v", s, ok)
	}
	for name, tt := range map[string]struct {
		op string
		ex exchange.Exchange
	}{
		"a 404 read":          {"getSessionById", exchange.Exchange{Method: "GET", URL: sessionURL + "s", Status: 404, ResponseBody: []byte(`{"error_code":"NOT_FOUND"}`)}},
		"a refused delete":    {"disableHppSession", exchange.Exchange{Method: "DELETE", URL: sessionURL + "s", Status: 400}},
		"a KP read":           {"readCreditSession", read("s", body)},
		"not JSON":            {"getSessionById", read("s", "<html>")},
		"no session_id":       {"getSessionById", read("s", `{"status":"WAITING"}`)},
		"a callback, no body": {"hppStatusUpdateCallback", exchange.Exchange{Method: "POST", RequestBody: []byte(`{"event_id":"e"}`)}},
	} {
		if s, ok := c.Snapshot(tt.op, tt.ex); ok {
			t.Errorf("%s: snapshot %+v", name, s)
		}
	}
	// Fields of the wrong type are left for the contract to report.
	s, ok = c.Snapshot("getSessionById", read("s", `{"session_id":"s","status":7,"updated_at":"yesterday"}`))
	if !ok || s.Status != "" || !s.UpdatedAt.IsZero() {
		t.Errorf("wrong types %+v", s)
	}
}

func TestExpiresAfterUpdated(t *testing.T) {
	c := checker(t)
	for _, tt := range []struct {
		updated, expires string
		ok               bool
	}{
		{"2019-05-13T14:52:57.540Z", "2019-05-15T13:51:43.507Z", true},
		{"2019-05-15T13:51:43.507Z", "2019-05-13T14:52:57.540Z", false},
		{"2019-05-13T14:52:57Z", "2019-05-13T14:52:57Z", false},     // equal: expired at its last update
		{"2019-05-13T16:52:57+02:00", "2019-05-13T14:52:58Z", true}, // offsets compared as instants
		{"2019-05-13T14:52:57.540Z", "not a date", true},            // the contract reports the format
		{"2019-05-13T14:52:57.540Z", "", true},                      // the contract reports it missing
		{"2019-05-13T14:52:58.000+00:00", "2019-05-13T14:52:57.999Z", false},
	} {
		s, _ := c.Snapshot("getSessionById", read("s", sessionJSON("s", "WAITING", tt.updated, tt.expires)))
		issues := s.Check()
		if tt.ok != (len(issues) == 0) {
			t.Errorf("updated %s expires %s: %v", tt.updated, tt.expires, issues)
			continue
		}
		if !tt.ok {
			i := issues[0]
			if i.Rule != RuleExpiresNotAfterUpdated || i.Pointer != "/expires_at" || i.Side != contract.Response || i.Severity != contract.Violation {
				t.Errorf("issue %+v", i)
			}
		}
	}
	cb := exchange.Exchange{Method: "POST", RequestBody: []byte(`{"event_id":"e","session":` +
		sessionJSON("s", "WAITING", "2019-05-15T00:00:00Z", "2019-05-14T00:00:00Z") + `}`)}
	s, _ := c.Snapshot("hppStatusUpdateCallback", cb)
	if issues := s.Check(); len(issues) != 1 || issues[0].Pointer != "/session/expires_at" || issues[0].Side != contract.Request {
		t.Errorf("callback: %v", issues)
	}
}
