package lifecycle

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/openapi"
)

// step is one exchange of a recorded sequence, and the rules it must break
// ("" when none).
type step struct {
	op    string
	ex    exchange.Exchange
	rules string
}

func readStep(id, status, updated string, rules string) step {
	return step{"getSessionById", read(id, sessionJSON(id, status, updated, "2030-01-01T00:00:00Z")), rules}
}

func callbackStep(id, status, updated string, rules string) step {
	body := `{"event_id":"e","session":` + sessionJSON(id, status, updated, "2030-01-01T00:00:00Z") + `}`
	return step{"hppStatusUpdateCallback", exchange.Exchange{Method: "POST", RequestBody: []byte(body)}, rules}
}

func deleteStep(id string, rules string) step {
	return step{"disableHppSession", exchange.Exchange{Method: "DELETE", URL: sessionURL + id, Status: 204}, rules}
}

func runSequence(t *testing.T, steps []step) [][]contract.Issue {
	t.Helper()
	c := checker(t)
	q := c.NewSequence()
	var all [][]contract.Issue
	for i, s := range steps {
		snap, ok := c.Snapshot(s.op, s.ex)
		if !ok {
			t.Fatalf("step %d: no snapshot", i)
		}
		issues := q.Observe(i, snap)
		all = append(all, issues)
		var rules []string
		for _, is := range issues {
			rules = append(rules, is.Rule)
		}
		if got := strings.Join(rules, ","); got != s.rules {
			t.Errorf("step %d (%s): rules %q; want %q (%v)", i, s.op, got, s.rules, issues)
		}
	}
	return all
}

func TestSequenceConforming(t *testing.T) {
	runSequence(t, []step{
		readStep("a", "WAITING", "2019-05-13T14:51:46Z", ""),
		callbackStep("a", "IN_PROGRESS", "2019-05-13T14:52:57Z", ""),
		readStep("a", "IN_PROGRESS", "2019-05-13T14:52:57Z", ""), // the same update read again
		readStep("b", "WAITING", "2019-05-13T10:00:00Z", ""),     // another session, earlier: independent
		readStep("a", "FAILED", "2019-05-13T14:53:00Z", ""),
		readStep("a", "IN_PROGRESS", "2019-05-13T14:54:00Z", ""), // FAILED is retryable
		readStep("a", "COMPLETED", "2019-05-13T14:55:00Z", ""),
		callbackStep("a", "COMPLETED", "2019-05-13T14:55:00Z", ""), // terminal, repeated
		deleteStep("b", ""),
		readStep("b", "DISABLED", "2019-05-13T15:00:00Z", ""),
	})
}

// A COMPLETED session that later reads IN_PROGRESS breaks the rule, and so
// does every later read that is not COMPLETED.
func TestSequenceLeavesTerminal(t *testing.T) {
	issues := runSequence(t, []step{
		readStep("a", "IN_PROGRESS", "2019-05-13T14:52:57Z", ""),
		readStep("a", "COMPLETED", "2019-05-13T14:55:00Z", ""),
		readStep("a", "IN_PROGRESS", "2019-05-13T14:56:00Z", RuleLeftTerminal),
		callbackStep("a", "CANCELLED", "2019-05-13T14:57:00Z", RuleLeftTerminal),
		readStep("a", "COMPLETED", "2019-05-13T14:58:00Z", ""),
	})
	i := issues[2][0]
	if i.Pointer != "/status" || i.Side != contract.Response || i.Severity != contract.Violation ||
		!strings.Contains(i.Message, "was COMPLETED at #1") || !strings.Contains(i.Message, "here it is IN_PROGRESS") {
		t.Errorf("issue %+v", i)
	}
	if p := issues[3][0].Pointer; p != "/session/status" {
		t.Errorf("callback pointer %q", p)
	}
}

func TestSequenceDisabled(t *testing.T) {
	issues := runSequence(t, []step{
		readStep("a", "WAITING", "2019-05-13T14:51:46Z", ""),
		deleteStep("a", ""),
		readStep("a", "IN_PROGRESS", "2019-05-13T14:52:00Z", RuleLeftTerminal),
		readStep("c", "COMPLETED", "2019-05-13T14:52:00Z", ""),
		deleteStep("c", RuleLeftTerminal), // Klarna answers 400 to DELETE on a COMPLETED session
	})
	if i := issues[4][0]; i.In != contract.InStatus || i.Pointer != "204" || !strings.Contains(i.Message, "here it is DISABLED") {
		t.Errorf("issue on the DELETE %+v", i)
	}
}

func TestSequenceUpdatedAtGoesBack(t *testing.T) {
	issues := runSequence(t, []step{
		readStep("a", "WAITING", "2019-05-13T14:51:46Z", ""),
		readStep("a", "IN_PROGRESS", "2019-05-13T14:52:57Z", ""),
		readStep("a", "IN_PROGRESS", "2019-05-13T14:52:00Z", RuleUpdatedAtWentBack),
		// Still measured against the latest seen, not the one that went back.
		readStep("a", "IN_PROGRESS", "2019-05-13T14:52:30Z", RuleUpdatedAtWentBack),
		readStep("a", "COMPLETED", "2019-05-13T14:53:00Z", ""),
		readStep("a", "IN_PROGRESS", "2019-05-13T14:50:00Z", RuleLeftTerminal+","+RuleUpdatedAtWentBack),
	})
	i := issues[2][0]
	if i.Pointer != "/updated_at" || !strings.Contains(i.Message, "earlier than 2019-05-13T14:52:57Z at #1") {
		t.Errorf("issue %+v", i)
	}
}

// A move no documented path explains is reported; a change that several
// documented steps explain (their observations missed) is not.
func TestSequenceUndocumentedTransition(t *testing.T) {
	issues := runSequence(t, []step{
		readStep("a", "WAITING", "2019-05-13T14:51:46Z", ""),
		readStep("a", "COMPLETED", "2019-05-13T14:52:00Z", ""), // WAITING→IN_PROGRESS→COMPLETED, the middle unseen
		readStep("b", "IN_PROGRESS", "2019-05-13T14:51:46Z", ""),
		readStep("b", "WAITING", "2019-05-13T14:52:00Z", RuleUndocumentedTransition), // nothing leads back to WAITING
		readStep("b", "IN_PROGRESS", "2019-05-13T14:53:00Z", ""),                     // measured from the last status
		readStep("c", "IN_PROGRESS", "2019-05-13T14:51:46Z", ""),
		callbackStep("c", "MANUAL_ID_CHECK", "2019-05-13T14:52:00Z", ""),
		readStep("c", "COMPLETED", "2019-05-13T14:53:00Z", RuleUndocumentedTransition), // only DISABLED leads out
		readStep("d", "IN_PROGRESS", "2019-05-13T14:51:46Z", ""),
		readStep("d", "in_progress", "2019-05-13T14:52:00Z", ""), // not in the enum: the schema reports it
		readStep("d", "WAITING", "2019-05-13T14:53:00Z", ""),
	})
	i := issues[3][0]
	if i.Pointer != "/status" || i.Side != contract.Response || i.Severity != contract.Violation ||
		!strings.Contains(i.Message, "was IN_PROGRESS at #2") || !strings.Contains(i.Message, "here it is WAITING") {
		t.Errorf("issue %+v", i)
	}
}

// The moves are the contract's: an edge added there is no longer reported.
func TestSequenceTransitionsFromContract(t *testing.T) {
	spec := bytes.Replace(openapi.Spec, []byte("MANUAL_ID_CHECK: [DISABLED]"), []byte("MANUAL_ID_CHECK: [COMPLETED, DISABLED]"), 1)
	if bytes.Equal(spec, openapi.Spec) {
		t.Fatal("the contract no longer lists MANUAL_ID_CHECK: [DISABLED]; update this test")
	}
	v, err := contract.Load(spec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(v)
	if err != nil {
		t.Fatal(err)
	}
	q := c.NewSequence()
	for i, st := range []string{"IN_PROGRESS", "MANUAL_ID_CHECK", "COMPLETED"} {
		snap, _ := c.Snapshot("getSessionById", read("a", sessionJSON("a", st, "2019-05-13T14:5"+string(rune('0'+i))+":00Z", "2030-01-01T00:00:00Z")))
		if issues := q.Observe(i, snap); len(issues) > 0 {
			t.Errorf("%s: %v", st, issues)
		}
	}
}
