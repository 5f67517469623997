package mock

import (
	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
)

// machine is the contract's HPP state machine in the mock's types. The mock
// moves a session only along its documented edges (a fault that breaks the
// rule aside), so adding an edge to the contract is what lets the mock make
// a new move, and removing one stops it.
type machine struct{ m *contract.StateMachine }

func newMachine(v *contract.Validator) (machine, error) {
	m, err := v.StateMachine()
	return machine{m}, err
}

// initial is the status of a new session.
func (m machine) initial() api.HppStatus { return api.HppStatus(m.m.Initial()) }

// terminal reports whether a session never leaves status.
func (m machine) terminal(status api.HppStatus) bool { return m.m.Terminal(string(status)) }

// allows reports whether from→to is a documented move.
func (m machine) allows(from, to api.HppStatus) bool { return m.m.Documented(string(from), string(to)) }
