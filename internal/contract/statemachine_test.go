package contract_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/openapi"
)

func TestStateMachine(t *testing.T) {
	v := contracttest.Validator(t)
	m, err := v.StateMachine()
	if err != nil {
		t.Fatal(err)
	}
	if m.Initial() != "WAITING" || !slices.Equal(m.TerminalStatuses(), []string{"COMPLETED", "CANCELLED", "DISABLED"}) ||
		len(m.Statuses()) != 9 || len(m.Unreachable()) != 0 {
		t.Errorf("initial %s, terminal %v, statuses %v, unreachable %v", m.Initial(), m.TerminalStatuses(), m.Statuses(), m.Unreachable())
	}
	if !m.Documented("WAITING", "IN_PROGRESS") || m.Documented("WAITING", "COMPLETED") || !m.Reachable("WAITING", "COMPLETED") ||
		m.Reachable("IN_PROGRESS", "WAITING") || m.Reachable("COMPLETED", "IN_PROGRESS") {
		t.Error("documented or reachable moves are wrong")
	}
	if e := m.Edges(); len(e) == 0 || e[0] != (contract.Edge{From: "WAITING", To: "IN_PROGRESS"}) {
		t.Errorf("edges %v: want the enum's order, WAITING first", e)
	}
}

// A state machine that does not hold together is refused, naming what is
// wrong.
func TestStateMachineRefusesABrokenDocument(t *testing.T) {
	for _, tt := range []struct{ name, old, new, want string }{
		{"no terminal list", "x-kconform-terminal:", "x-kconform-was-terminal:", "no x-kconform-terminal"},
		{"no transitions", "x-kconform-transitions:", "x-kconform-was-transitions:", "no x-kconform-transitions"},
		{"terminal with a way out", "COMPLETED: []", "COMPLETED: [IN_PROGRESS]", "terminal status COMPLETED has moves"},
		{"unknown target", "BACK: [IN_PROGRESS, DISABLED]", "BACK: [IN_PROGRESS, DISABLED, TIMEOUT]", `"TIMEOUT" is not in the enum`},
		{"a status without moves", "ERROR: [IN_PROGRESS, DISABLED]", "ERRORS: [IN_PROGRESS, DISABLED]", "edges has no entry for ERROR"},
		{"unreachable not listed", "IN_PROGRESS: [COMPLETED, FAILED, BACK, CANCELLED, ERROR, MANUAL_ID_CHECK, DISABLED]",
			"IN_PROGRESS: [COMPLETED, FAILED, BACK, CANCELLED, ERROR, DISABLED]", "MANUAL_ID_CHECK: reachable from WAITING is false, but listed as unreachable is false"},
		{"unknown initial", "initial: WAITING", "initial: CREATED", `initial status "CREATED" is not in the enum`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := bytes.Replace(openapi.Spec, []byte(tt.old), []byte(tt.new), 1)
			if bytes.Equal(spec, openapi.Spec) {
				t.Fatalf("the contract has no %q any more; update this test", tt.old)
			}
			v, err := contract.Load(spec)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.StateMachine(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v; want one saying %q", err, tt.want)
			}
		})
	}
}
