package mock

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/openapi"
)

// mockMoves drives every way the mock changes an HPP session's status
// (opening the page, each page action, a payment that fails, the
// merchant's DELETE), from every status of the enum, without faults, and
// returns the moves it made.
func mockMoves(t *testing.T, h *harness) map[contract.Edge]bool {
	t.Helper()
	ways := map[string]func(id, kpID string){
		"open the page": func(id, _ string) { h.openPage(id) },
		"DELETE":        func(id, _ string) { h.do("DELETE", "/hpp/v1/sessions/"+id, "") },
		"pay, the KP session gone": func(id, kpID string) {
			h.srv.store.mu.Lock()
			delete(h.srv.store.kp, kpID)
			h.srv.store.mu.Unlock()
			h.action(id, "pay")
		},
	}
	for name := range consumerActions {
		ways["action "+name] = func(id, _ string) { h.action(id, name) }
	}
	moves := map[contract.Edge]bool{}
	for _, from := range h.srv.machine.m.Statuses() {
		for _, do := range ways {
			kpID := h.createKP(kpBody)
			id := h.createHPP(kpID, nil).SessionId
			h.srv.store.mu.Lock()
			sess := h.srv.store.hpp[id]
			if sess.status != h.srv.machine.initial() {
				t.Errorf("a new session is %s; the contract's initial status is %s", sess.status, h.srv.machine.initial())
			}
			sess.status = api.HppStatus(from)
			h.srv.store.mu.Unlock()

			do(id, kpID)

			h.srv.store.mu.RLock()
			to := string(sess.status)
			h.srv.store.mu.RUnlock()
			if to != from {
				moves[contract.Edge{From: from, To: to}] = true
			}
		}
	}
	return moves
}

// undocumented lists the moves m does not document, sorted.
func undocumented(m *contract.StateMachine, moves map[contract.Edge]bool) []contract.Edge {
	var out []contract.Edge
	for _, e := range slices.SortedFunc(maps.Keys(moves), func(a, b contract.Edge) int {
		if a.From != b.From {
			return strings.Compare(a.From, b.From)
		}
		return strings.Compare(a.To, b.To)
	}) {
		if !m.Documented(e.From, e.To) {
			out = append(out, e)
		}
	}
	return out
}

// Every move the mock makes is an edge of the contract's state machine, and
// it makes every edge: the contract is the mock's one source of them.
func TestMockMovesAreTheContractsEdges(t *testing.T) {
	h := newHarness(t, Options{})
	moves := mockMoves(t, h)
	if bad := undocumented(h.srv.machine.m, moves); len(bad) > 0 {
		t.Errorf("the mock made moves the contract does not document: %v", bad)
	}
	for _, e := range h.srv.machine.m.Edges() {
		if !moves[e] {
			t.Errorf("the contract documents %s → %s; the mock never makes it", e.From, e.To)
		}
	}
}

// withoutEdge is the contract with one documented move taken out.
func withoutEdge(t *testing.T, old, new string) *contract.Validator {
	t.Helper()
	spec := bytes.Replace(openapi.Spec, []byte(old), []byte(new), 1)
	if bytes.Equal(spec, openapi.Spec) {
		t.Fatalf("the contract has no %q any more; update this test", old)
	}
	v, err := contract.Load(spec)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const (
	failedEdges     = "FAILED: [IN_PROGRESS, DISABLED]"
	failedNoRetries = "FAILED: [DISABLED]"
)

// The check can fail: against a state machine missing FAILED → IN_PROGRESS
// (the retry after a decline), the moves of today's mock include an
// undocumented one.
func TestUndocumentedMoveIsCaught(t *testing.T) {
	h := newHarness(t, Options{})
	moves := mockMoves(t, h)
	m, err := withoutEdge(t, failedEdges, failedNoRetries).StateMachine()
	if err != nil {
		t.Fatal(err)
	}
	if bad := undocumented(m, moves); !slices.Equal(bad, []contract.Edge{{From: "FAILED", To: "IN_PROGRESS"}}) {
		t.Errorf("undocumented moves %v; want [FAILED → IN_PROGRESS]", bad)
	}
}

// The contract drives the mock: with the edge gone, reopening the page
// after a decline leaves the session FAILED, and no action is possible.
func TestMockFollowsTheContractsEdges(t *testing.T) {
	h := newHarness(t, Options{})
	m, err := newMachine(withoutEdge(t, failedEdges, failedNoRetries))
	if err != nil {
		t.Fatal(err)
	}
	h.srv.machine = m
	id := h.createHPP(h.createKP(kpBody), nil).SessionId
	h.expect(h.openPage(id), 200)
	h.expect(h.action(id, "decline"), 303)
	h.expect(h.openPage(id), 200)
	h.expect(h.action(id, "pay"), 409)
	if s := h.readHPP(id); s.Status != api.FAILED {
		t.Errorf("after reopening a declined session: %s", s.Status)
	}
	if bad := undocumented(m.m, mockMoves(t, h)); len(bad) > 0 {
		t.Errorf("the mock made moves its state machine does not have: %v", bad)
	}
}
