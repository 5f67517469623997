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

func (h *handlers) CreateHppSession(ctx context.Context, req api.CreateHppSessionRequestObject) (api.CreateHppSessionResponseObject, error) {
	resp, e := h.s.createHPP(req.Body, infoFrom(ctx).baseURL)
	if e != nil {
		body, cid := errorBody(ctx, e)
		switch e.status {
		case http.StatusBadRequest:
			return api.CreateHppSession400JSONResponse{Body: body, Headers: api.CreateHppSession400ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusNotFound:
			return api.CreateHppSession404JSONResponse{Body: body, Headers: api.CreateHppSession404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("createHppSession", e)
	}
	if h.s.faults.has(FaultHPPCreateWrongStatus) {
		return createdWithStatus200(resp), nil
	}
	return api.CreateHppSession201JSONResponse(resp), nil
}

func (h *handlers) GetSessionById(ctx context.Context, req api.GetSessionByIdRequestObject) (api.GetSessionByIdResponseObject, error) {
	view, e := h.s.readHPP(req.SessionId)
	if e != nil {
		body, cid := errorBody(ctx, e)
		if e.status == http.StatusNotFound {
			return api.GetSessionById404JSONResponse{Body: body, Headers: api.GetSessionById404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("getSessionById", e)
	}
	if h.s.faults.has(FaultHPPReadMissingField) {
		return readWithoutExpiry(view), nil
	}
	return api.GetSessionById200JSONResponse(view), nil
}

func (h *handlers) DisableHppSession(ctx context.Context, req api.DisableHppSessionRequestObject) (api.DisableHppSessionResponseObject, error) {
	if e := h.s.disableHPP(req.SessionId); e != nil {
		body, cid := errorBody(ctx, e)
		switch e.status {
		case http.StatusBadRequest:
			return api.DisableHppSession400JSONResponse{Body: body, Headers: api.DisableHppSession400ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusNotFound:
			return api.DisableHppSession404JSONResponse{Body: body, Headers: api.DisableHppSession404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("disableHppSession", e)
	}
	return api.DisableHppSession204Response{}, nil
}

func (h *handlers) DistributeHppSession(ctx context.Context, req api.DistributeHppSessionRequestObject) (api.DistributeHppSessionResponseObject, error) {
	if e := h.s.distributeHPP(req.SessionId, req.Body); e != nil {
		body, cid := errorBody(ctx, e)
		switch e.status {
		case http.StatusBadRequest:
			return api.DistributeHppSession400JSONResponse{Body: body, Headers: api.DistributeHppSession400ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusNotFound:
			return api.DistributeHppSession404JSONResponse{Body: body, Headers: api.DistributeHppSession404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusServiceUnavailable:
			return api.DistributeHppSession503JSONResponse{Body: body, Headers: api.DistributeHppSession503ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("distributeHppSession", e)
	}
	// 204, not 201: S1 lists both; a maintainer of Klarna's PHP SDK confirmed
	// the live endpoint answers 204 (klarna/kco_rest_php issue 52, 2020-02,
	// where the SDK threw on it).
	return api.DistributeHppSession204Response{}, nil
}

func (h *handlers) CreateCreditSession(ctx context.Context, req api.CreateCreditSessionRequestObject) (api.CreateCreditSessionResponseObject, error) {
	session, e := h.s.createKP(req.Body)
	if e != nil {
		body, cid := errorBody(ctx, e)
		if e.status == http.StatusBadRequest {
			return api.CreateCreditSession400JSONResponse{Body: body, Headers: api.CreateCreditSession400ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("createCreditSession", e)
	}
	return api.CreateCreditSession200JSONResponse(session), nil
}

func (h *handlers) ReadCreditSession(ctx context.Context, req api.ReadCreditSessionRequestObject) (api.ReadCreditSessionResponseObject, error) {
	session, e := h.s.readKP(req.SessionId)
	if e != nil {
		body, cid := errorBody(ctx, e)
		if e.status == http.StatusNotFound {
			return api.ReadCreditSession404JSONResponse{Body: body, Headers: api.ReadCreditSession404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("readCreditSession", e)
	}
	return api.ReadCreditSession200JSONResponse(session), nil
}

func (h *handlers) UpdateCreditSession(ctx context.Context, req api.UpdateCreditSessionRequestObject) (api.UpdateCreditSessionResponseObject, error) {
	if e := h.s.updateKP(req.SessionId, req.Body); e != nil {
		body, cid := errorBody(ctx, e)
		switch e.status {
		case http.StatusBadRequest:
			return api.UpdateCreditSession400JSONResponse{Body: body, Headers: api.UpdateCreditSession400ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusNotFound:
			return api.UpdateCreditSession404JSONResponse{Body: body, Headers: api.UpdateCreditSession404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("updateCreditSession", e)
	}
	return api.UpdateCreditSession204Response{}, nil
}

func (h *handlers) CreateOrder(ctx context.Context, req api.CreateOrderRequestObject) (api.CreateOrderResponseObject, error) {
	order, e := h.s.createOrder(req.AuthorizationToken, req.Body)
	if e != nil {
		body, cid := errorBody(ctx, e)
		switch e.status {
		case http.StatusBadRequest:
			return api.CreateOrder400JSONResponse{Body: body, Headers: api.CreateOrder400ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusForbidden:
			return api.CreateOrder403JSONResponse{Body: body, Headers: api.CreateOrder403ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusNotFound:
			return api.CreateOrder404JSONResponse{Body: body, Headers: api.CreateOrder404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusConflict:
			return api.CreateOrder409JSONResponse{Body: body, Headers: api.CreateOrder409ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("createOrder", e)
	}
	return api.CreateOrder200JSONResponse(order), nil
}

func (h *handlers) CancelAuthorization(ctx context.Context, req api.CancelAuthorizationRequestObject) (api.CancelAuthorizationResponseObject, error) {
	if e := h.s.cancelAuthorization(req.AuthorizationToken); e != nil {
		body, cid := errorBody(ctx, e)
		if e.status == http.StatusNotFound {
			return api.CancelAuthorization404JSONResponse{Body: body, Headers: api.CancelAuthorization404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("cancelAuthorization", e)
	}
	return api.CancelAuthorization204Response{}, nil
}

func (h *handlers) PurchaseToken(ctx context.Context, req api.PurchaseTokenRequestObject) (api.PurchaseTokenResponseObject, error) {
	token, e := h.s.createCustomerToken(req.AuthorizationToken, req.Body)
	if e != nil {
		body, cid := errorBody(ctx, e)
		switch e.status {
		case http.StatusForbidden:
			return api.PurchaseToken403JSONResponse{Body: body, Headers: api.PurchaseToken403ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusNotFound:
			return api.PurchaseToken404JSONResponse{Body: body, Headers: api.PurchaseToken404ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		case http.StatusConflict:
			return api.PurchaseToken409JSONResponse{Body: body, Headers: api.PurchaseToken409ResponseHeaders{KlarnaCorrelationId: cid}}, nil
		}
		return nil, errUnmapped("purchaseToken", e)
	}
	return api.PurchaseToken200JSONResponse(token), nil
}
