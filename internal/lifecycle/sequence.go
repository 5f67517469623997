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
	seed     maphash.Seed
	sessions map[uint64]session
	// terminal lists the terminal statuses, from 1: a session that reached
	// one keeps its index (only the status it must never leave matters).
	terminal []string
}

// session is what the earlier entries showed of one session: 24 bytes.
type session struct {
	updatedSec  int64 // updated_at, as Unix seconds and nanoseconds
	updatedNsec int32
	statusAt    int32  // the entry that showed status, -1 none
	updateAt    int32  // the entry that showed updated, -1 none
	final       uint16 // index in Sequence.terminal of the terminal status reached, 0 none
	hasUpdated  bool
}

// NewSequence starts following the sessions of one recording.
func (c *Checker) NewSequence() *Sequence {
	terminal := []string{""}
	for name := range c.terminal {
		terminal = append(terminal, name)
	}
	return &Sequence{seed: maphash.MakeSeed(), sessions: map[uint64]session{}, terminal: terminal}
}

// Observe takes the snapshot of entry index (entries must come in order) and
// returns what it breaks: leaving a terminal status, or an updated_at earlier
// than one already seen.
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
	if prev.final != 0 && s.Status != "" && s.Status != q.terminal[prev.final] {
		issues = append(issues, contract.Issue{
			Severity: contract.Violation, Side: s.Side, In: s.In, Pointer: s.field("status"), Rule: RuleLeftTerminal,
			Message: fmt.Sprintf("session %s was %s at #%d, a terminal status it must never leave; here it is %s",
				s.SessionID, q.terminal[prev.final], prev.statusAt, s.Status),
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
	if s.Status != "" && prev.final == 0 {
		prev.statusAt, prev.final = entryIndex(index), q.terminalIndex(s.Status)
	}
	if s.UpdatedAt.After(updated) {
		prev.updatedSec, prev.updatedNsec, prev.hasUpdated = s.UpdatedAt.Unix(), int32(s.UpdatedAt.Nanosecond()), true
		prev.updateAt = entryIndex(index)
	}
	q.sessions[key] = prev
	return issues
}

// terminalIndex is a status's index in q.terminal, 0 when not terminal.
func (q *Sequence) terminalIndex(status string) uint16 {
	for i := 1; i < len(q.terminal); i++ {
		if q.terminal[i] == status {
			return uint16(i)
		}
	}
	return 0
}

// entryIndex keeps an entry index in 32 bits; past 2^31 entries in one
// file, messages name the last index that fits.
func entryIndex(i int) int32 {
	return int32(min(i, math.MaxInt32))
}
