package lifecycle

import (
	"fmt"
	"hash/maphash"
	"math"
	"time"

	"github.com/kconform/kconform/internal/contract"
)

// Sequence follows the HPP sessions of one recording, in the order of its
// entries. Its memory grows with the number of distinct sessions, not with
// the number of entries, and by little: a session is kept as a 64-bit hash
// of its id and 24 bytes of state (about 60 bytes with the map's own
// overhead), so 500,000 sessions take about 30 MB. Two ids whose hashes
// collide would be taken for one session; with a 64-bit hash the odds for
// a million sessions are about 1 in 36 million.
type Sequence struct {
	machine  *contract.StateMachine
	seed     maphash.Seed
	sessions map[uint64]session
	// statuses are the state machine's statuses, from 1: a session keeps
	// the index of the last status it showed (0: none yet, unknownStatus:
	// one outside the enum, which is the schema's to report).
	statuses []string
}

// unknownStatus marks a status the state machine does not know.
const unknownStatus = math.MaxUint16

// session is what the earlier entries showed of one session: 24 bytes.
type session struct {
	updatedSec  int64 // updated_at, as Unix seconds and nanoseconds
	updatedNsec int32
	statusAt    int32  // the entry that showed status, -1 none
	updateAt    int32  // the entry that showed updated, -1 none
	status      uint16 // index in Sequence.statuses of the last status shown, 0 none
	final       bool   // status is terminal: it is kept, every later change is measured against it
	hasUpdated  bool
}

// NewSequence starts following the sessions of one recording.
func (c *Checker) NewSequence() *Sequence {
	return &Sequence{
		machine:  c.machine,
		seed:     maphash.MakeSeed(),
		sessions: map[uint64]session{},
		statuses: append([]string{""}, c.machine.Statuses()...),
	}
}

// Observe takes the snapshot of entry index (entries must come in order) and
// returns what it breaks: leaving a terminal status, a move the state
// machine has no path for, or an updated_at earlier than one already seen.
func (q *Sequence) Observe(index int, s Snapshot) []contract.Issue {
	if s.SessionID == "" {
		return nil
	}
	key := maphash.String(q.seed, s.SessionID)
	prev, seen := q.sessions[key]
	if !seen {
		prev = session{statusAt: -1, updateAt: -1}
	}
	var issues []contract.Issue
	prevStatus := q.name(prev.status)
	if prev.final && s.Status != "" && s.Status != prevStatus {
		issues = append(issues, contract.Issue{
			Severity: contract.Violation, Side: s.Side, In: s.In, Pointer: s.field("status"), Rule: RuleLeftTerminal,
			Message: fmt.Sprintf("session %s was %s at #%d, a terminal status it must never leave; here it is %s",
				s.SessionID, prevStatus, prev.statusAt, s.Status),
		})
	}
	// Two observations need not be one step apart (a read before the
	// consumer opens the page, the next after they paid): a change is
	// undocumented only when no documented path leads from one to the
	// other. Statuses outside the enum are the schema's to report.
	if !prev.final && prevStatus != "" && s.Status != prevStatus && q.machine.Known(prevStatus) &&
		q.machine.Known(s.Status) && !q.machine.Reachable(prevStatus, s.Status) {
		issues = append(issues, contract.Issue{
			Severity: contract.Violation, Side: s.Side, In: s.In, Pointer: s.field("status"), Rule: RuleUndocumentedTransition,
			Message: fmt.Sprintf("session %s was %s at #%d; here it is %s, a move no documented transition leads to",
				s.SessionID, prevStatus, prev.statusAt, s.Status),
		})
	}
	updated := time.Time{}
	if prev.hasUpdated {
		updated = time.Unix(prev.updatedSec, int64(prev.updatedNsec)).UTC()
	}
	if !s.UpdatedAt.IsZero() && s.UpdatedAt.Before(updated) {
		issues = append(issues, contract.Issue{
			Severity: contract.Violation, Side: s.Side, In: s.In, Pointer: s.field("updated_at"), Rule: RuleUpdatedAtWentBack,
			Message: fmt.Sprintf("session %s: updated_at %s is earlier than %s at #%d; it never goes back",
				s.SessionID, formatTime(s.UpdatedAt), formatTime(updated), prev.updateAt),
		})
	}
	// The first terminal status is kept: every later change is measured
	// against it.
	if s.Status != "" && !prev.final {
		prev.status, prev.statusAt, prev.final = q.index(s.Status), entryIndex(index), q.machine.Terminal(s.Status)
	}
	if s.UpdatedAt.After(updated) {
		prev.updatedSec, prev.updatedNsec, prev.hasUpdated = s.UpdatedAt.Unix(), int32(s.UpdatedAt.Nanosecond()), true
		prev.updateAt = entryIndex(index)
	}
	q.sessions[key] = prev
	return issues
}

// index is a status's index in q.statuses; unknownStatus when the state
// machine does not know it.
func (q *Sequence) index(status string) uint16 {
	for i := 1; i < len(q.statuses); i++ {
		if q.statuses[i] == status {
			return uint16(i)
		}
	}
	return unknownStatus
}

// name is the status at index i: "" for none, and for one outside the enum
// a name no status has, so that it is never taken for a known one.
func (q *Sequence) name(i uint16) string {
	switch {
	case i == 0:
		return ""
	case int(i) < len(q.statuses):
		return q.statuses[i]
	default:
		return "(a status outside the enum)"
	}
}

// entryIndex keeps an entry index in 32 bits; past 2^31 entries in one
// file, messages name the last index that fits.
func entryIndex(i int) int32 {
	return int32(min(i, math.MaxInt32))
}
