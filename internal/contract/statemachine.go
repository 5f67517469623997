package contract

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Where the document keeps the HPP state machine: the status enum, its
// terminal statuses and its documented moves, all on one schema.
const (
	StatusSchema         = "HppStatus"
	TerminalExtension    = "x-kconform-terminal"
	TransitionsExtension = "x-kconform-transitions"
)

// Edge is one documented move of an HPP session's status.
type Edge struct{ From, To string }

// StateMachine is the HPP session's documented life, read once from
// components.schemas.HppStatus: where a session starts, which statuses it
// never leaves, and which moves it may make. The mock makes only these
// moves, the lifecycle checks report any other, and the run's coverage
// counts them; adding an edge is one edit in the document.
type StateMachine struct {
	// Source is the evidence the document gives for the edges (their
	// x-kconform-note).
	Source     string
	statuses   []string // the enum, in document order
	initial    string
	terminal   []string
	edges      []Edge // sources in enum order, targets as written
	documented map[Edge]bool
	reach      map[string]map[string]bool // reach[a][b]: one or more steps lead from a to b
}

// transitions is the shape of x-kconform-transitions.
type transitions struct {
	Note        string              `json:"x-kconform-note"`
	Initial     string              `json:"initial"`
	Unreachable []string            `json:"unreachable"`
	Edges       map[string][]string `json:"edges"`
}

// StateMachine returns the document's HPP state machine, or why the
// document has none that holds together.
func (v *Validator) StateMachine() (*StateMachine, error) {
	v.machineOnce.Do(func() { v.machine, v.machineErr = ReadStateMachine(v.doc) })
	return v.machine, v.machineErr
}

// ReadStateMachine reads the state machine of a loaded document and checks
// that it holds together: every status it names is in the enum, every enum
// status lists its moves (an empty list: no way out), terminal statuses
// have none, and the statuses listed as unreachable are exactly those no
// path from the initial one reaches.
func ReadStateMachine(doc *openapi3.T) (*StateMachine, error) {
	where := "components.schemas." + StatusSchema
	if doc.Components == nil || doc.Components.Schemas[StatusSchema] == nil || doc.Components.Schemas[StatusSchema].Value == nil {
		return nil, fmt.Errorf("the document has no %s", where)
	}
	s := doc.Components.Schemas[StatusSchema].Value
	m := &StateMachine{documented: map[Edge]bool{}, reach: map[string]map[string]bool{}}
	for _, v := range s.Enum {
		if str, ok := v.(string); ok {
			m.statuses = append(m.statuses, str)
		}
	}
	if err := DecodeExtension(s.Extensions, TerminalExtension, &m.terminal); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	var tr transitions
	if err := DecodeExtension(s.Extensions, TransitionsExtension, &tr); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	where += "." + TransitionsExtension
	m.Source, m.initial = tr.Note, tr.Initial
	var problems []string
	known := func(what, st string) {
		if !slices.Contains(m.statuses, st) {
			problems = append(problems, fmt.Sprintf("%s %q is not in the enum", what, st))
		}
	}
	if tr.Initial == "" {
		problems = append(problems, "no initial status")
	} else {
		known("initial status", tr.Initial)
	}
	for _, st := range m.terminal {
		known(TerminalExtension, st)
	}
	for from := range tr.Edges {
		known("edges:", from)
	}
	for _, from := range m.statuses {
		tos, listed := tr.Edges[from]
		switch {
		case !listed:
			problems = append(problems, fmt.Sprintf("edges has no entry for %s (an empty list says it has no way out)", from))
		case m.Terminal(from) && len(tos) > 0:
			problems = append(problems, fmt.Sprintf("terminal status %s has moves %v", from, tos))
		}
		for _, to := range tos {
			known("edge "+from+"→"+to+":", to)
			if e := (Edge{from, to}); !m.documented[e] {
				m.documented[e] = true
				m.edges = append(m.edges, e)
			}
		}
	}
	for _, st := range m.statuses {
		m.reach[st] = reachable(st, tr.Edges)
	}
	for _, st := range m.statuses {
		if st != m.initial && m.reach[m.initial][st] == slices.Contains(tr.Unreachable, st) {
			problems = append(problems, fmt.Sprintf("%s: reachable from %s is %v, but listed as unreachable is %v",
				st, m.initial, m.reach[m.initial][st], slices.Contains(tr.Unreachable, st)))
		}
	}
	for _, st := range tr.Unreachable {
		known("unreachable", st)
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, fmt.Errorf("%s: %s", where, strings.Join(problems, "; "))
	}
	return m, nil
}

// reachable is every status one or more documented steps away from start.
func reachable(start string, edges map[string][]string) map[string]bool {
	seen := map[string]bool{}
	queue := []string{start}
	for len(queue) > 0 {
		from := queue[0]
		queue = queue[1:]
		for _, to := range edges[from] {
			if !seen[to] {
				seen[to] = true
				queue = append(queue, to)
			}
		}
	}
	return seen
}

// DecodeExtension decodes the vendor extension name of ext (an OpenAPI
// object's Extensions, JSON-shaped after loading) into out; the error says
// which extension is missing or malformed.
func DecodeExtension(ext map[string]any, name string, out any) error {
	raw, ok := ext[name]
	if !ok {
		return fmt.Errorf("no %s", name)
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s does not have the expected shape: %w", name, err)
	}
	return nil
}

// Initial is the status a new session has.
func (m *StateMachine) Initial() string { return m.initial }

// Statuses is the status enum, in document order.
func (m *StateMachine) Statuses() []string { return slices.Clone(m.statuses) }

// Known reports whether status is in the enum.
func (m *StateMachine) Known(status string) bool { return slices.Contains(m.statuses, status) }

// TerminalStatuses are the statuses a session never leaves, as listed.
func (m *StateMachine) TerminalStatuses() []string { return slices.Clone(m.terminal) }

// Terminal reports whether a session never leaves status.
func (m *StateMachine) Terminal(status string) bool { return slices.Contains(m.terminal, status) }

// Edges are the documented moves: sources in enum order, targets as the
// document lists them.
func (m *StateMachine) Edges() []Edge { return slices.Clone(m.edges) }

// Documented reports whether from→to is one documented move.
func (m *StateMachine) Documented(from, to string) bool { return m.documented[Edge{from, to}] }

// Reachable reports whether one or more documented moves lead from from to
// to: what two observations of a session may show when the steps between
// them were not observed.
func (m *StateMachine) Reachable(from, to string) bool { return m.reach[from][to] }

// Unreachable are the statuses no documented path from the initial one
// reaches, in enum order.
func (m *StateMachine) Unreachable() []string {
	var out []string
	for _, s := range m.statuses {
		if s != m.initial && !m.reach[m.initial][s] {
			out = append(out, s)
		}
	}
	return out
}
