package mock

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kconform/kconform/generated/api"
)

// documentedErrorsProblems names each entry of table that does not answer
// its own operation, with its own status and the correlation id.
func documentedErrorsProblems(table map[string]map[int]func(api.ErrorV2, string) any) []string {
	var problems []string
	for op, byStatus := range table {
		m, ok := reflect.TypeFor[*handlers]().MethodByName(strings.ToUpper(op[:1]) + op[1:])
		if !ok {
			problems = append(problems, op+": no such operation")
			continue
		}
		answers := m.Type.Out(0)
		for status, build := range byStatus {
			r := build(api.ErrorV2{CorrelationId: "cid-1", ErrorCode: codeBadValue}, "cid-1")
			if !reflect.TypeOf(r).Implements(answers) {
				problems = append(problems, fmt.Sprintf("%s %d: %T is another operation's response", op, status, r))
				continue
			}
			rec := httptest.NewRecorder()
			out := reflect.ValueOf(r).MethodByName(answers.Method(0).Name).Call([]reflect.Value{reflect.ValueOf(rec)})
			if err, _ := out[0].Interface().(error); err != nil || rec.Code != status || rec.Header().Get(correlationHeader) != "cid-1" {
				problems = append(problems, fmt.Sprintf("%s %d: answered %d, correlation id %q, error %v", op, status, rec.Code, rec.Header().Get(correlationHeader), err))
			}
		}
	}
	slices.Sort(problems)
	return problems
}

func TestDocumentedErrorsAnswerTheirOperationAndStatus(t *testing.T) {
	if problems := documentedErrorsProblems(documentedErrors); len(problems) > 0 {
		t.Errorf("documentedErrors:\n%s", strings.Join(problems, "\n"))
	}
	// Every operation refuses something, so each has its entry; one
	// missing would turn its every refusal into a 500.
	ops := reflect.TypeFor[api.StrictServerInterface]()
	for i := range ops.NumMethod() {
		name := ops.Method(i).Name
		if op := strings.ToLower(name[:1]) + name[1:]; documentedErrors[op] == nil {
			t.Errorf("documentedErrors has no entry for %s", op)
		}
	}
	// The check catches a response type under the wrong status, one of
	// another operation, and an operation the handlers do not have.
	broken := map[string]map[int]func(api.ErrorV2, string) any{
		"readCreditSession": {http.StatusBadRequest: errorAs[api.ReadCreditSession404JSONResponse]},
		"getSessionById":    {http.StatusNotFound: errorAs[api.ReadCreditSession404JSONResponse]},
		"readNothing":       {http.StatusNotFound: errorAs[api.ReadCreditSession404JSONResponse]},
	}
	if got := documentedErrorsProblems(broken); len(got) != 3 {
		t.Errorf("a broken table gave %d problems, want 3:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// An apiError whose status the operation does not document is an error for
// the strict handler (500), not a response of another status.
func TestUndocumentedStatusIsAnError(t *testing.T) {
	e := newAPIError(http.StatusConflict, codeBadValue, "Not matching fields: [x]")
	got, err := answer[api.ReadCreditSessionResponseObject](context.Background(), "readCreditSession", e, api.ReadCreditSession200JSONResponse{})
	if got != nil || err == nil || !strings.Contains(err.Error(), "readCreditSession: no response type for status 409") {
		t.Errorf("answer = %v, %v; want no response and the unmapped-status error", got, err)
	}
}
