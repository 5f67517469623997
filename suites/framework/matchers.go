package framework

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"

	"github.com/kconform/kconform/generated/api"
)

// Response is what every generated *Response has.
type Response interface {
	StatusCode() int
	GetBody() []byte
	ContentType() string
}

// HaveStatus succeeds when a generated response has the status code; its
// failure message shows the status and body the target sent.
func HaveStatus(code int) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(r Response) (bool, error) {
		if r == nil {
			return false, fmt.Errorf("no response")
		}
		return r.StatusCode() == code, nil
	}).WithTemplate("Expected HTTP status {{.Data}}, the target answered {{.Actual.StatusCode}} ({{or .Actual.ContentType \"no Content-Type\"}}) with body:\n{{printf \"%s\" .Actual.GetBody}}", code)
}

// HaveStatusIn is HaveStatus for several acceptable codes.
func HaveStatusIn(codes ...int) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(r Response) (bool, error) {
		if r == nil {
			return false, fmt.Errorf("no response")
		}
		for _, c := range codes {
			if r.StatusCode() == c {
				return true, nil
			}
		}
		return false, nil
	}).WithTemplate("Expected HTTP status {{.Data}}, the target answered {{.Actual.StatusCode}} ({{or .Actual.ContentType \"no Content-Type\"}}) with body:\n{{printf \"%s\" .Actual.GetBody}}", oneOf(codes))
}

// oneOf is codes in words, "201 or 204": the same words whatever the
// rule (runreport keys one wrong answer on them), never Go's "[201 204]".
func oneOf(codes []int) string {
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = strconv.Itoa(c)
	}
	return strings.Join(words, " or ")
}

// ErrorBody decodes the ErrorV2 body of a response.
func ErrorBody(r Response) (api.ErrorV2, error) {
	var e api.ErrorV2
	if err := json.Unmarshal(r.GetBody(), &e); err != nil {
		return e, fmt.Errorf("the error body is not the ErrorV2 JSON object: %w (body %q)", err, r.GetBody())
	}
	return e, nil
}

// HaveErrorCode succeeds when the response's error body has error_code.
func HaveErrorCode(code string) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(r Response) (bool, error) {
		e, err := ErrorBody(r)
		if err != nil {
			return false, err
		}
		return e.ErrorCode == code, nil
	}).WithTemplate("Expected error_code {{.Data}} in the error body:\n{{printf \"%s\" .Actual.GetBody}}", code)
}

// MentionField succeeds when one of the error body's error_messages names
// field (its last path segment is enough: "order_lines[0].name" → "name"
// is too weak, so the full dotted path or the field name is looked for).
func MentionField(field string) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(r Response) (bool, error) {
		e, err := ErrorBody(r)
		if err != nil {
			return false, err
		}
		for _, m := range e.ErrorMessages {
			if strings.Contains(m, field) {
				return true, nil
			}
		}
		return false, nil
	}).WithTemplate("Expected an error message naming the field {{.Data}}; error body:\n{{printf \"%s\" .Actual.GetBody}}", field)
}

// Succeed is re-exported for spec files that only import the framework.
var _ = Succeed
