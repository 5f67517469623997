package framework

import (
	"strings"
	"testing"
)

type answer struct {
	status int
	ct     string
	body   string
}

func (a answer) StatusCode() int     { return a.status }
func (a answer) GetBody() []byte     { return []byte(a.body) }
func (a answer) ContentType() string { return a.ct }

// A wrong status says what came, in words: an answer without a body has no
// Content-Type, which once read "the target answered 204 ()".
func TestHaveStatusNamesAMissingContentType(t *testing.T) {
	for _, tt := range []struct {
		got  answer
		want string
	}{
		{answer{204, "", ""}, "the target answered 204 (no Content-Type)"},
		{answer{200, "application/json", `{}`}, "the target answered 200 (application/json) with body:\n{}"},
	} {
		for _, m := range []interface {
			Match(any) (bool, error)
			FailureMessage(any) string
		}{HaveStatus(400), HaveStatusIn(400, 409)} {
			if ok, err := m.Match(tt.got); ok || err != nil {
				t.Fatalf("%d matched 400: %v %v", tt.got.status, ok, err)
			}
			if msg := m.FailureMessage(tt.got); !strings.Contains(msg, tt.want) || strings.Contains(msg, "()") {
				t.Errorf("failure message %q; want it to contain %q", msg, tt.want)
			}
		}
	}
}

// HaveStatusIn names the statuses in words, never as a Go slice: runreport
// keys one wrong answer on "Expected HTTP status 201 or 204".
func TestHaveStatusInSaysTheStatusesInWords(t *testing.T) {
	m := HaveStatusIn(201, 204)
	if msg := m.FailureMessage(answer{503, "application/json", "{}"}); !strings.HasPrefix(msg, "Expected HTTP status 201 or 204, the target answered 503") {
		t.Errorf("failure message %q", msg)
	}
}
