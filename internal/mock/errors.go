package mock

import (
	"context"
	"net/http"
	"strings"

	"github.com/kconform/kconform/generated/api"
)

// Error codes the mock answers with (D-kperr, D-dist).
const (
	codeBadValue           = "BAD_VALUE"
	codeNotFound           = "NOT_FOUND"
	codeInvalidOperation   = "INVALID_OPERATION"
	codeSessionCompleted   = "SESSION_COMPLETED"
	codeMissingContactData = "MISSING_CONTACT_DATA"
	codeBadRequest         = "BAD_REQUEST"
	codeUnauthorized       = "UNAUTHORIZED"
	codeInternal           = "INTERNAL_SERVER_ERROR"
)

// apiError is a refusal decided by the mock's rules; the handlers turn it
// into the generated response type of its operation and status.
type apiError struct {
	status   int
	code     string
	messages []string
}

func (e *apiError) Error() string {
	return http.StatusText(e.status) + " " + e.code + ": " + strings.Join(e.messages, "; ")
}

func newAPIError(status int, code string, messages ...string) *apiError {
	if messages == nil {
		messages = []string{} // ErrorV2 omits a nil list; the contract requires it.
	}
	return &apiError{status: status, code: code, messages: messages}
}

// badValue is Klarna's field error: one message naming every bad field, as
// recorded ("Bad value: purchase_currency, purchase_country").
func badValue(fields ...string) *apiError {
	return newAPIError(http.StatusBadRequest, codeBadValue, "Bad value: "+strings.Join(fields, ", "))
}

// requestInfo is what the outer middleware learns about a request and the
// handlers need: its correlation id and the base URL clients reached us by.
type requestInfo struct {
	correlationID string
	baseURL       string
}

type requestInfoKey struct{}

func withRequestInfo(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, info)
}

func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{correlationID: newUUID(), baseURL: "http://localhost"}
}

// errorBody renders e as ErrorV2 with the request's correlation id, and
// returns that id for the Klarna-Correlation-Id header.
func errorBody(ctx context.Context, e *apiError) (api.ErrorV2, string) {
	cid := infoFrom(ctx).correlationID
	return api.ErrorV2{CorrelationId: cid, ErrorCode: e.code, ErrorMessages: e.messages}, cid
}
