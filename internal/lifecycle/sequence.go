package lifecycle

import (
	"fmt"
	"time"

	"github.com/kconform/kconform/internal/contract"
)

// Sequence follows the HPP sessions of one recording, in the order of its
// entries. Its memory grows with the number of distinct sessions, not with
// the number of entries.
type Sequence struct {
	machine  *contract.StateMachine
	sessions map[string]*session
}

// session is what the earlier entries showed of one session.
type session struct {
	status   string
	statusAt int // the entry that showed status
	final    bool
	updated  time.Time
	updateAt int // the entry that showed updated
}

// NewSequence starts following the sessions of one recording.
func (c *Checker) NewSequence() *Sequence {
	return &Sequence{machine: c.machine, sessions: map[string]*session{}}
}

// Observe takes the snapshot of entry index (entries must come in order) and
// returns what it breaks: leaving a terminal status, a move the state
// machine has no path for, or an updated_at earlier than one already seen.
func (q *Sequence) Observe(index int, s Snapshot) []contract.Issue {
	if s.SessionID == "" {
		return nil
	}
	prev := q.sessions[s.SessionID]
	if prev == nil {
		prev = &session{statusAt: -1, updateAt: -1}
		q.sessions[s.SessionID] = prev
	}
	var issues []contract.Issue
	if prev.final && s.Status != "" && s.Status != prev.status {
		issues = append(issues, contract.Issue{
			Severity: contract.Violation, Side: s.Side, In: s.In, Pointer: s.field("status"), Rule: RuleLeftTerminal,
			Message: fmt.Sprintf("session %s was %s at #%d, a terminal status it must never leave; here it is %s",
				s.SessionID, prev.status, prev.statusAt, s.Status),
		})
	}
	// Two observations need not be one step apart (a read before the
	// consumer opens the page, the next after they paid): a change is
	// undocumented only when no documented path leads from one to the
	// other. Statuses outside the enum are the schema's to report.
	if !prev.final && prev.status != "" && s.Status != prev.status && q.machine.Known(prev.status) &&
		q.machine.Known(s.Status) && !q.machine.Reachable(prev.status, s.Status) {
		issues = append(issues, contract.Issue{
			Severity: contract.Violation, Side: s.Side, In: s.In, Pointer: s.field("status"), Rule: RuleUndocumentedTransition,
			Message: fmt.Sprintf("session %s was %s at #%d; here it is %s, a move no documented transition leads to",
				s.SessionID, prev.status, prev.statusAt, s.Status),
		})
	}
	if !s.UpdatedAt.IsZero() && s.UpdatedAt.Before(prev.updated) {
		issues = append(issues, contract.Issue{
			Severity: contract.Violation, Side: s.Side, In: s.In, Pointer: s.field("updated_at"), Rule: RuleUpdatedAtWentBack,
			Message: fmt.Sprintf("session %s: updated_at %s is earlier than %s at #%d; it never goes back",
				s.SessionID, formatTime(s.UpdatedAt), formatTime(prev.updated), prev.updateAt),
		})
	}
	// The first terminal status is kept: every later change is measured
	// against it.
	if s.Status != "" && !prev.final {
		prev.status, prev.statusAt, prev.final = s.Status, index, q.machine.Terminal(s.Status)
	}
	if s.UpdatedAt.After(prev.updated) {
		prev.updated, prev.updateAt = s.UpdatedAt, index
	}
	return issues
}
