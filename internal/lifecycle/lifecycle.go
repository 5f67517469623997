// Package lifecycle checks what the contract's schemas cannot: how an HPP
// session's state relates within one body (expires_at after updated_at) and
// across the exchanges of one recording (a session moves only as the
// contract's state machine documents, never leaves a terminal status, and
// its updated_at never goes back).
//
// What a COMPLETED session must carry, and that an error body's correlation
// id matches its header, are checked by the contract validator already.
package lifecycle

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
)

// Rule ids of the lifecycle checks, in the style of the contract's rules.
const (
	RuleExpiresNotAfterUpdated = "lifecycle.expires-at-not-after-updated-at"
	RuleLeftTerminal           = "lifecycle.left-terminal-status"
	RuleUndocumentedTransition = "lifecycle.undocumented-transition"
	RuleUpdatedAtWentBack      = "lifecycle.updated-at-went-back"
)

// sessionBody says where an operation carries an HPP session
// (components.schemas.SessionResponseV1; lifecycle_test checks this table
// against the contract).
type sessionBody struct {
	side    contract.Side
	status  int    // the response status that carries it; 0 for a request
	pointer string // where the session object is in the body
}

var sessionBodies = map[string]sessionBody{
	"getSessionById":          {side: contract.Response, status: 200, pointer: ""},
	"hppStatusUpdateCallback": {side: contract.Request, pointer: "/session"},
}

// disableOperation moves a session to disabledStatus when it answers
// disabledCode.
const (
	disableOperation = "disableHppSession"
	disabledCode     = 204
	disabledStatus   = "DISABLED"
	sessionIDParam   = "session_id"
)

// Checker holds what the checks read from the contract. It is safe for
// concurrent use; a Sequence is not.
type Checker struct {
	v       *contract.Validator
	machine *contract.StateMachine
}

// New reads the HPP state machine from the contract.
func New(v *contract.Validator) (*Checker, error) {
	m, err := v.StateMachine()
	if err != nil {
		return nil, err
	}
	return &Checker{v: v, machine: m}, nil
}

// Terminal reports whether a status is one a session never leaves.
func (c *Checker) Terminal(status string) bool { return c.machine.Terminal(status) }

// Snapshot is what one exchange shows of an HPP session.
type Snapshot struct {
	SessionID string
	Status    string
	// UpdatedAt and ExpiresAt are zero when absent or not a date-time (the
	// contract reports the latter).
	UpdatedAt time.Time
	ExpiresAt time.Time

	// Where the session is in the exchange, for issues.
	Side    contract.Side
	In      string
	Pointer string
}

// Snapshot returns the session state an exchange of the given operation
// shows: the body of a session read or status callback, or the DISABLED
// state a successful DELETE leaves. ok is false when it shows none.
func (c *Checker) Snapshot(operation string, ex exchange.Exchange) (Snapshot, bool) {
	if operation == disableOperation && ex.Status == disabledCode {
		_, params, err := c.v.Find(ex.Method, ex.URL)
		if err != nil || params[sessionIDParam] == "" {
			return Snapshot{}, false
		}
		return Snapshot{SessionID: params[sessionIDParam], Status: disabledStatus,
			Side: contract.Response, In: contract.InStatus, Pointer: strconv.Itoa(disabledCode)}, true
	}
	where, ok := sessionBodies[operation]
	if !ok {
		return Snapshot{}, false
	}
	body := ex.RequestBody
	if where.side == contract.Response {
		if ex.Status != where.status {
			return Snapshot{}, false
		}
		body = ex.ResponseBody
	}
	return decodeSession(body, where)
}

type sessionFields struct {
	SessionID any `json:"session_id"`
	Status    any `json:"status"`
	UpdatedAt any `json:"updated_at"`
	ExpiresAt any `json:"expires_at"`
}

// decodeSession reads the four fields the checks need. Fields of the wrong
// type are left empty: the contract validator reports them.
func decodeSession(body []byte, where sessionBody) (Snapshot, bool) {
	var f sessionFields
	if where.pointer == "/session" {
		var event struct {
			Session *sessionFields `json:"session"`
		}
		if json.Unmarshal(body, &event) != nil || event.Session == nil {
			return Snapshot{}, false
		}
		f = *event.Session
	} else if json.Unmarshal(body, &f) != nil {
		return Snapshot{}, false
	}
	s := Snapshot{
		SessionID: str(f.SessionID),
		Status:    str(f.Status),
		UpdatedAt: dateTime(f.UpdatedAt),
		ExpiresAt: dateTime(f.ExpiresAt),
		Side:      where.side,
		In:        contract.InBody,
		Pointer:   where.pointer,
	}
	return s, s.SessionID != ""
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func dateTime(v any) time.Time {
	t, err := time.Parse(time.RFC3339Nano, str(v))
	if err != nil {
		return time.Time{}
	}
	return t
}

// Check is the check one body allows: a session expires after its last
// update.
func (s Snapshot) Check() []contract.Issue {
	if s.UpdatedAt.IsZero() || s.ExpiresAt.IsZero() || s.ExpiresAt.After(s.UpdatedAt) {
		return nil
	}
	return []contract.Issue{{
		Severity: contract.Violation, Side: s.Side, In: contract.InBody,
		Pointer: s.Pointer + "/expires_at", Rule: RuleExpiresNotAfterUpdated,
		Message: fmt.Sprintf("expires_at %s is not after updated_at %s", formatTime(s.ExpiresAt), formatTime(s.UpdatedAt)),
	}}
}

func formatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// field is where a field of the snapshot's session is, for an issue; a
// snapshot without a body (a DELETE) points at the status code.
func (s Snapshot) field(name string) string {
	if s.In != contract.InBody {
		return s.Pointer
	}
	return s.Pointer + "/" + name
}
