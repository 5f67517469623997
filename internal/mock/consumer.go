package mock

import (
	"net/http"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// The consumer page stands in for Klarna's pay host: public (no credentials),
// HTML, driven by form posts. Its rules are CONTROL.md's.

// consumerAction is one button of the page.
type consumerAction struct {
	to      api.HppStatus
	success bool // redirects to merchant_urls.success
}

var consumerActions = map[string]consumerAction{
	"pay":     {to: api.COMPLETED, success: true},
	"decline": {to: api.FAILED},
	"back":    {to: api.BACK},
	"cancel":  {to: api.CANCELLED},
	"error":   {to: api.ERROR},
	// S1's status enum has MANUAL_ID_CHECK and nothing documents what leads
	// there (reference §3.1): the mock's consumer asks for a manual identity
	// check with this action, the contract's assumed edge from IN_PROGRESS
	// (A-manual-id-check). Its one way out is the merchant's DELETE.
	"manual-id-check": {to: api.MANUALIDCHECK},
}

// pageState is what the page shows.
type pageState struct {
	ID     string
	Status api.HppStatus
	Amount string
	// Reference and Lines are the order (page_order.go).
	Reference string
	Lines     []pageLine
	Title     string
	Message   string
	HTTPCode  int
}

// openPage is GET /pay/{id}: it refuses an unknown (404), expired or
// terminal (410) session, and otherwise moves the session to IN_PROGRESS
// when the contract has that move (unless move is false: a HEAD request
// only looks).
func (s *Server) openPage(id string, move bool) pageState {
	now, faults := s.clock.Now(), s.faults.load()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	h, refused := s.store.pageSessionLocked(id, now)
	if refused != nil {
		return *refused
	}
	if s.machine.terminal(h.status) && !faults.has(FaultTerminalStateReopened) {
		return pageState{HTTPCode: http.StatusGone, Title: "Link no longer valid", Message: "This payment session is " + string(h.status) + ".", ID: id, Status: h.status}
	}
	// The terminal-state-reopened fault is the one move off the contract's
	// state machine: it reopens a terminal session.
	if move && (s.machine.allows(h.status, api.INPROGRESS) || s.machine.terminal(h.status)) {
		s.changeStatusLocked(h, api.INPROGRESS, now, faults)
	}
	p := pageState{HTTPCode: http.StatusOK, ID: id, Status: h.status, Title: "Pay with Klarna (kconform mock)"}
	pageOrder(&p, s.store.kp[h.kpID])
	pageKCOOrder(&p, s.store.kco[h.kcoID])
	return p
}

// pageSessionLocked is the session a consumer page names (lock held), or
// the page refusing it: 404 when unknown, 410 when expired.
func (st *store) pageSessionLocked(id string, now time.Time) (*hppSession, *pageState) {
	h := st.hpp[id]
	switch {
	case h == nil:
		return nil, &pageState{HTTPCode: http.StatusNotFound, Title: "Page not found", Message: "This payment link does not exist."}
	case h.expired(now):
		return nil, &pageState{HTTPCode: http.StatusGone, Title: "Link expired", Message: "This payment link has expired.", ID: id, Status: h.status}
	}
	return h, nil
}

// act is POST /pay/{id}/{action}. It returns where to send the consumer
// (the merchant URL, placeholders substituted, or "" for the generic result
// page) or, when it refuses, a page with the refusal's status.
func (s *Server) act(id, name string) (location string, refused *pageState) {
	action, known := consumerActions[name]
	if !known {
		return "", &pageState{HTTPCode: http.StatusNotFound, Title: "Page not found", Message: "Unknown action."}
	}
	now, faults := s.clock.Now(), s.faults.load()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	h, refused := s.store.pageSessionLocked(id, now)
	if refused != nil {
		return "", refused
	}
	if !s.machine.allows(h.status, action.to) {
		msg := "The session is " + string(h.status) + ": " + name + " is not possible from there."
		if s.machine.allows(h.status, api.INPROGRESS) {
			msg = "The session is " + string(h.status) + ", not IN_PROGRESS: open the page first."
		}
		return "", &pageState{HTTPCode: http.StatusConflict, Title: "Not possible now", Message: msg, ID: id, Status: h.status}
	}
	to := action.to
	if action.success && !s.payLocked(h, now, faults) {
		to = api.ERROR // the consumer sees an error and goes to the error URL
		if !s.machine.allows(h.status, to) {
			return "", &pageState{HTTPCode: http.StatusConflict, Title: "Not possible now", Message: "The payment failed.", ID: id, Status: h.status}
		}
	}
	s.changeStatusLocked(h, to, now, faults)
	return s.merchantRedirect(h, to, faults), nil
}

// payLocked authorizes (mode NONE: a 60-minute single-use token) or places
// the order (PLACE_ORDER, CAPTURE_ORDER). It fails, and the consumer sees
// an error, when the KP session is gone or already completed: no
// pre-purchase operation is allowed on it (D-kperr SESSION_COMPLETED).
func (s *Server) payLocked(h *hppSession, now time.Time, faults faultSet) bool {
	if h.kcoID != "" {
		return s.payKCOLocked(h, now, faults)
	}
	k := s.store.kp[h.kpID]
	if k == nil || k.expired(now) || k.complete {
		return false
	}
	if h.placesOrder() {
		h.orderID, h.klarnaReference = newUUID(), newKlarnaReference()
		if !faults.has(FaultKPStatusNotCompleted) {
			k.complete = true
		}
		return true
	}
	t := &authToken{token: newUUID(), kpID: k.id, expiresAt: wireTime(now.Add(tokenLifetime)), order: snapshotOrder(&k.data)}
	s.store.tokens[t.token] = t
	h.authorizationToken = t.token
	if u := k.data.MerchantUrls; u != nil && u.Authorization != nil && *u.Authorization != "" {
		s.callbacks.enqueueAuthorization(k.id, kpCallbackURL(*u.Authorization, k.id),
			api.AuthorizationCallback{AuthorizationToken: t.token, SessionId: k.id})
	}
	return true
}

// merchantRedirect picks the merchant URL for the new status; "" means the
// generic result page (the URL is empty or null).
func (s *Server) merchantRedirect(h *hppSession, to api.HppStatus, faults faultSet) string {
	var u *string
	switch to {
	case api.COMPLETED:
		u = h.urls.Success
	case api.FAILED:
		u = h.urls.Failure
	case api.BACK:
		u = h.urls.Back
	case api.CANCELLED:
		u = h.urls.Cancel
	case api.ERROR:
		u = h.urls.Error
		if isEmpty(u) && !faults.has(FaultErrorFallbackMissing) {
			u = h.urls.Failure
		}
	}
	if isEmpty(u) {
		return ""
	}
	return substitutePlaceholders(*u, redirectValues(h, to == api.COMPLETED, faults), faults)
}

// resultPage is GET /pay/{id}/result, the generic confirmation page.
func (s *Server) resultPage(id string) pageState {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	h := s.store.hpp[id]
	if h == nil {
		return pageState{HTTPCode: http.StatusNotFound, Title: "Page not found", Message: "This payment link does not exist."}
	}
	return pageState{HTTPCode: http.StatusOK, ID: id, Status: h.status, Title: "Thank you", Message: "The payment session is " + string(h.status) + "."}
}

func isEmpty(s *string) bool { return s == nil || *s == "" }
