package mock

import (
	"context"
	"fmt"
	"net/http"

	"github.com/kconform/kconform/generated/api"
)

// handlers serves the contract's operations through the generated strict
// interface: each method asks the Server's rules for a result or an
// apiError and answers with the generated response type of that status.
type handlers struct{ s *Server }

var _ api.StrictServerInterface = (*handlers)(nil)

// errUnmapped reports an apiError whose status the operation does not
// document: a bug in the mock, answered as 500 by the strict handler.
func errUnmapped(op string, e *apiError) error {
	return fmt.Errorf("%s: no response type for status %d (%s)", op, e.status, e.code)
}

// errorResponse is the shape the generator gives every documented error
// response: an ErrorV2 body and the Klarna-Correlation-Id header.
type errorResponse[H correlationHeaders] interface {
	~struct {
		Body    api.ErrorV2
		Headers H
	}
}

type correlationHeaders interface {
	~struct{ KlarnaCorrelationId string }
}

// errorAs builds the generated error response R.
func errorAs[R errorResponse[H], H correlationHeaders](body api.ErrorV2, cid string) any {
	return R{Body: body, Headers: H{KlarnaCorrelationId: cid}}
}

// documentedErrors is, per operation, each error status the contract
// documents and the generated response type that answers it: the one place
// that says which refusal an operation may give. TestDocumentedErrors checks
// every entry answers its own operation with its own status.
var documentedErrors = map[string]map[int]func(api.ErrorV2, string) any{
	"createHppSession":     {http.StatusBadRequest: errorAs[api.CreateHppSession400JSONResponse], http.StatusNotFound: errorAs[api.CreateHppSession404JSONResponse]},
	"getSessionById":       {http.StatusNotFound: errorAs[api.GetSessionById404JSONResponse]},
	"disableHppSession":    {http.StatusBadRequest: errorAs[api.DisableHppSession400JSONResponse], http.StatusNotFound: errorAs[api.DisableHppSession404JSONResponse]},
	"distributeHppSession": {http.StatusBadRequest: errorAs[api.DistributeHppSession400JSONResponse], http.StatusNotFound: errorAs[api.DistributeHppSession404JSONResponse], http.StatusServiceUnavailable: errorAs[api.DistributeHppSession503JSONResponse]},
	"createCreditSession":  {http.StatusBadRequest: errorAs[api.CreateCreditSession400JSONResponse]},
	"readCreditSession":    {http.StatusNotFound: errorAs[api.ReadCreditSession404JSONResponse]},
	"updateCreditSession":  {http.StatusBadRequest: errorAs[api.UpdateCreditSession400JSONResponse], http.StatusNotFound: errorAs[api.UpdateCreditSession404JSONResponse]},
	"createOrder":          {http.StatusBadRequest: errorAs[api.CreateOrder400JSONResponse], http.StatusForbidden: errorAs[api.CreateOrder403JSONResponse], http.StatusNotFound: errorAs[api.CreateOrder404JSONResponse], http.StatusConflict: errorAs[api.CreateOrder409JSONResponse]},
	"cancelAuthorization":  {http.StatusNotFound: errorAs[api.CancelAuthorization404JSONResponse]},
	"purchaseToken":        {http.StatusForbidden: errorAs[api.PurchaseToken403JSONResponse], http.StatusNotFound: errorAs[api.PurchaseToken404JSONResponse], http.StatusConflict: errorAs[api.PurchaseToken409JSONResponse]},
	"createCheckoutOrder":  {http.StatusBadRequest: errorAs[api.CreateCheckoutOrder400JSONResponse]},
	"readCheckoutOrder":    {http.StatusNotFound: errorAs[api.ReadCheckoutOrder404JSONResponse]},
}

// answer is ok when e is nil, else op's documented response for e's status;
// O is op's generated response interface.
func answer[O any](ctx context.Context, op string, e *apiError, ok O) (O, error) {
	if e == nil {
		return ok, nil
	}
	if build, found := documentedErrors[op][e.status]; found {
		body, cid := errorBody(ctx, e)
		if r, isO := build(body, cid).(O); isO {
			return r, nil
		}
	}
	var none O
	return none, errUnmapped(op, e)
}

func (h *handlers) CreateHppSession(ctx context.Context, req api.CreateHppSessionRequestObject) (api.CreateHppSessionResponseObject, error) {
	resp, e := h.s.createHPP(req.Body, infoFrom(ctx).baseURL)
	if e == nil && h.s.faults.has(FaultHPPCreateWrongStatus) {
		return createdWithStatus200(resp), nil
	}
	return answer[api.CreateHppSessionResponseObject](ctx, "createHppSession", e, api.CreateHppSession201JSONResponse(resp))
}

func (h *handlers) GetSessionById(ctx context.Context, req api.GetSessionByIdRequestObject) (api.GetSessionByIdResponseObject, error) {
	view, e := h.s.readHPP(req.SessionId)
	if e == nil && h.s.faults.has(FaultHPPReadMissingField) {
		return readWithoutExpiry(view), nil
	}
	return answer[api.GetSessionByIdResponseObject](ctx, "getSessionById", e, api.GetSessionById200JSONResponse(view))
}

func (h *handlers) DisableHppSession(ctx context.Context, req api.DisableHppSessionRequestObject) (api.DisableHppSessionResponseObject, error) {
	return answer[api.DisableHppSessionResponseObject](ctx, "disableHppSession", h.s.disableHPP(req.SessionId), api.DisableHppSession204Response{})
}

// 204, not 201: S1 lists both; a maintainer of Klarna's PHP SDK confirmed
// the live endpoint answers 204 (klarna/kco_rest_php issue 52, 2020-02,
// where the SDK threw on it).
func (h *handlers) DistributeHppSession(ctx context.Context, req api.DistributeHppSessionRequestObject) (api.DistributeHppSessionResponseObject, error) {
	return answer[api.DistributeHppSessionResponseObject](ctx, "distributeHppSession", h.s.distributeHPP(req.SessionId, req.Body), api.DistributeHppSession204Response{})
}

func (h *handlers) CreateCreditSession(ctx context.Context, req api.CreateCreditSessionRequestObject) (api.CreateCreditSessionResponseObject, error) {
	session, e := h.s.createKP(req.Body)
	return answer[api.CreateCreditSessionResponseObject](ctx, "createCreditSession", e, api.CreateCreditSession200JSONResponse(session))
}

func (h *handlers) ReadCreditSession(ctx context.Context, req api.ReadCreditSessionRequestObject) (api.ReadCreditSessionResponseObject, error) {
	session, e := h.s.readKP(req.SessionId)
	return answer[api.ReadCreditSessionResponseObject](ctx, "readCreditSession", e, api.ReadCreditSession200JSONResponse(session))
}

func (h *handlers) UpdateCreditSession(ctx context.Context, req api.UpdateCreditSessionRequestObject) (api.UpdateCreditSessionResponseObject, error) {
	return answer[api.UpdateCreditSessionResponseObject](ctx, "updateCreditSession", h.s.updateKP(req.SessionId, req.Body), api.UpdateCreditSession204Response{})
}

func (h *handlers) CreateOrder(ctx context.Context, req api.CreateOrderRequestObject) (api.CreateOrderResponseObject, error) {
	order, e := h.s.createOrder(req.AuthorizationToken, req.Body)
	return answer[api.CreateOrderResponseObject](ctx, "createOrder", e, api.CreateOrder200JSONResponse(order))
}

func (h *handlers) CancelAuthorization(ctx context.Context, req api.CancelAuthorizationRequestObject) (api.CancelAuthorizationResponseObject, error) {
	return answer[api.CancelAuthorizationResponseObject](ctx, "cancelAuthorization", h.s.cancelAuthorization(req.AuthorizationToken), api.CancelAuthorization204Response{})
}

func (h *handlers) PurchaseToken(ctx context.Context, req api.PurchaseTokenRequestObject) (api.PurchaseTokenResponseObject, error) {
	token, e := h.s.createCustomerToken(req.AuthorizationToken, req.Body)
	return answer[api.PurchaseTokenResponseObject](ctx, "purchaseToken", e, api.PurchaseToken200JSONResponse(token))
}

func (h *handlers) CreateCheckoutOrder(ctx context.Context, req api.CreateCheckoutOrderRequestObject) (api.CreateCheckoutOrderResponseObject, error) {
	order, e := h.s.createKCO(req.Body)
	return answer[api.CreateCheckoutOrderResponseObject](ctx, "createCheckoutOrder", e, api.CreateCheckoutOrder201JSONResponse(order))
}

func (h *handlers) ReadCheckoutOrder(ctx context.Context, req api.ReadCheckoutOrderRequestObject) (api.ReadCheckoutOrderResponseObject, error) {
	order, e := h.s.readKCO(req.OrderId)
	return answer[api.ReadCheckoutOrderResponseObject](ctx, "readCheckoutOrder", e, api.ReadCheckoutOrder200JSONResponse(order))
}
