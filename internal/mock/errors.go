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

// The refusals the API rules give, in one place as the codes are.
var (
	// HPP: S1 documents the statuses, not the bodies; the codes follow
	// D-kperr's vocabulary and the messages S1's descriptions.
	errHPPNotFound      = newAPIError(http.StatusNotFound, codeNotFound, "HPP session has expired or could not be found by provided id")
	errPaymentSession   = newAPIError(http.StatusNotFound, codeNotFound, "Payment session has expired or could not be found")
	errHPPCompleted     = newAPIError(http.StatusBadRequest, codeBadRequest, "HPP session has already been successfully completed")
	errHPPCancelled     = newAPIError(http.StatusBadRequest, codeBadRequest, "HPP session has been cancelled by the consumer")
	errHPPDisabled      = newAPIError(http.StatusBadRequest, codeBadRequest, "HPP session is disabled by merchant")
	errBadPaymentURLRef = badValue("payment_session_url")
	// manual-id-check-disable-refused only.
	errManualIDCheck = newAPIError(http.StatusBadRequest, codeBadRequest, "HPP session is waiting for a manual identification check")
	// S1's 503 description; the code is D-kperr's for an internal error.
	errDistributionUnavailable = newAPIError(http.StatusServiceUnavailable, codeInternal, "We were unable to distribute the link due to an internal error. Please try again")

	// KP (D-kperr).
	errInvalidSession    = newAPIError(http.StatusNotFound, codeNotFound, "Invalid session id")
	errSessionCompleted  = newAPIError(http.StatusNotFound, codeSessionCompleted, "Session has already been completed")
	errInvalidToken      = newAPIError(http.StatusNotFound, codeNotFound, "Invalid authorization token")
	errTokenConsumed     = newAPIError(http.StatusForbidden, codeInvalidOperation, "Authorization token already consumed")
	errTokenNotDeletable = newAPIError(http.StatusNotFound, codeNotFound, "Authorization cannot be deleted")
	errIntentBuy         = newAPIError(http.StatusForbidden, codeInvalidOperation, "Not allowed to create customer token for intent buy")

	// KCO.
	errKCONotFound = newAPIError(http.StatusNotFound, codeNotFound, "Order not found")
)

func notMatching(fields []string) *apiError {
	return newAPIError(http.StatusConflict, codeBadValue, "Not matching fields: ["+strings.Join(fields, ", ")+"]")
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
