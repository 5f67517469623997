package audit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kconform/kconform/internal/contract"
)

// Target says what a record is when the recording does not: a bare body
// fixture, or a raw response saved without its request. It fills only what
// the record lacks; a record that names its own method and URL keeps them.
type Target struct {
	Operation string
	// Side of a bare body: "" means the response, or the request of a
	// callback.
	Side contract.Side
	// Status of a response body; 0 means the operation's only 2xx status.
	Status int
}

// ParseTarget reads OPERATION[:request|:response][:STATUS], e.g.
// "getSessionById:response:200", "createCreditSession:request" or
// "createOrder:404".
func ParseTarget(s string) (Target, error) {
	parts := strings.Split(s, ":")
	t := Target{Operation: strings.TrimSpace(parts[0])}
	if t.Operation == "" || len(parts) > 3 {
		return Target{}, fmt.Errorf("%q: want OPERATION[:request|:response][:STATUS]", s)
	}
	for _, p := range parts[1:] {
		switch p = strings.ToLower(strings.TrimSpace(p)); p {
		case string(contract.Request), string(contract.Response):
			if t.Side != "" || t.Status != 0 {
				return Target{}, fmt.Errorf("%q: the side comes once, before the status", s)
			}
			t.Side = contract.Side(p)
		default:
			code, err := strconv.Atoi(p)
			if err != nil || code < 100 || code > 599 || t.Status != 0 {
				return Target{}, fmt.Errorf("%q: %q is neither request, response nor a status code", s, p)
			}
			t.Status = code
		}
	}
	if t.Side == contract.Request && t.Status != 0 {
		return Target{}, fmt.Errorf("%q: a request has no status", s)
	}
	return t, nil
}

func (t Target) String() string {
	s := t.Operation
	if t.Side != "" {
		s += ":" + string(t.Side)
	}
	if t.Status != 0 {
		s += ":" + strconv.Itoa(t.Status)
	}
	return s
}
