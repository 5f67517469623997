package mock

import (
	"net/http"
	"strings"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// kpPathPrefix is what a payment_session_url names a KP session with. Only
// the path counts: clients send the real Klarna host, not the mock's.
const kpPathPrefix = "/payments/v1/sessions/"

func (s *Server) createHPP(body *api.SessionCreationRequestV1, base string) (api.SessionCreationResponseV1, *apiError) {
	ref, ok := paymentRefFromURL(body.PaymentSessionUrl)
	if !ok {
		return api.SessionCreationResponseV1{}, errBadPaymentURLRef
	}
	now, faults := s.clock.Now(), s.faults.load()
	h := &hppSession{id: newUUID(), status: s.machine.initial(), updatedAt: wireTime(now), mode: api.NONE}
	if ref.kco {
		h.kcoID = ref.id
	} else {
		h.kpID = ref.id
	}
	if body.MerchantUrls != nil {
		h.urls = *body.MerchantUrls
	}
	if body.Options != nil && body.Options.PlaceOrderMode != nil {
		h.mode = *body.Options.PlaceOrderMode
	}

	s.store.mu.Lock()
	s.store.sweepLocked(now, faults)
	paymentExpires, ok := s.store.paymentExpiry(ref, now)
	if !ok {
		s.store.mu.Unlock()
		return api.SessionCreationResponseV1{}, errPaymentSession
	}
	// One hour before the payment session (D-create); seed 004 says it of
	// the "Payment Session" in general, so a KCO order's too.
	h.expiresAt = paymentExpires.Add(-hppBeforeKP)
	if faults.has(FaultHPPExpiryNotOneHourBefore) {
		h.expiresAt = paymentExpires
	}
	// In its last hour a payment session can no longer be hosted: the HPP
	// session would be born expired.
	if h.expired(now) {
		s.store.mu.Unlock()
		return api.SessionCreationResponseV1{}, errPaymentSession
	}
	s.store.hpp[h.id] = h
	s.store.mu.Unlock()

	sessionURL := base + "/hpp/v1/sessions/" + h.id
	redirect := base + "/pay/" + h.id
	resp := api.SessionCreationResponseV1{
		SessionId:       h.id,
		SessionUrl:      sessionURL,
		DistributionUrl: sessionURL + "/distribution",
		RedirectUrl:     &redirect,
		ExpiresAt:       h.expiresAt,
	}
	hppExtras(&resp, base, h.id, faults)
	return resp, nil
}

func (s *Server) readHPP(id string) (api.SessionResponseV1, *apiError) {
	now, faults := s.clock.Now(), s.faults.load()
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	h := s.store.hpp[id]
	if h == nil || (h.expired(now) && !faults.has(FaultExpiredSessionReadable)) {
		return api.SessionResponseV1{}, errHPPNotFound
	}
	return hppView(h, faults), nil
}

func (s *Server) disableHPP(id string) *apiError {
	now, faults := s.clock.Now(), s.faults.load()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	h := s.store.hpp[id]
	if h == nil || h.expired(now) {
		return errHPPNotFound
	}
	if h.status == api.MANUALIDCHECK && faults.has(FaultManualIDCheckDisableRefused) {
		return errManualIDCheck
	}
	if !s.machine.allows(h.status, api.DISABLED) {
		// The contract has no such move: say why, as Klarna would.
		switch h.status {
		case api.DISABLED:
			return nil // undocumented; idempotent: 204, no change, no callback
		case api.CANCELLED:
			return errHPPCancelled // undocumented; the consumer's cancel is definitive
		case api.COMPLETED:
			if faults.has(FaultCompletedDisableAllowed) {
				return nil // answers 204 and changes nothing
			}
		}
		return errHPPCompleted
	}
	s.changeStatusLocked(h, api.DISABLED, now, faults)
	return nil
}

func (s *Server) distributeHPP(id string, body *api.DistributionRequestV1) *apiError {
	now, faults := s.clock.Now(), s.faults.load()
	s.store.mu.RLock()
	h := s.store.hpp[id]
	var status api.HppStatus
	found := h != nil && !h.expired(now)
	if found {
		status = h.status
	}
	s.store.mu.RUnlock()

	switch {
	case !found:
		return errHPPNotFound
	case status == api.DISABLED && !faults.has(FaultDistributionOnDisabledAllowed):
		return errHPPDisabled
	case status == api.COMPLETED:
		return errHPPCompleted
	case status == api.CANCELLED:
		return errHPPCancelled
	}
	if !faults.has(FaultMissingContactAccepted) {
		if err := checkContact(body); err != nil {
			return err
		}
	}
	if faults.has(FaultDistributionUnavailable) {
		return errDistributionUnavailable
	}
	return nil // the mock sends nothing; Klarna sends asynchronously
}

// checkContact: the method decides which contact field is needed (S1, D-dist).
// The contract's oneOf says the same; the request validator leaves this one
// rule to the handler so that the answer carries Klarna's own error code.
func checkContact(b *api.DistributionRequestV1) *apiError {
	c := b.ContactInformation
	ok := true
	switch b.Method {
	case api.Email:
		ok = c.Email != nil
	case api.Sms:
		ok = c.Phone != nil && c.PhoneCountry != nil
	case api.Token:
		ok = c.AccessId != nil
	}
	if ok {
		return nil
	}
	return newAPIError(http.StatusBadRequest, codeMissingContactData, "Incomplete "+string(b.Method)+" data.")
}

// hppView is the session as a read (and a callback) shows it.
func hppView(h *hppSession, faults faultSet) api.SessionResponseV1 {
	v := api.SessionResponseV1{SessionId: h.id, Status: h.status, UpdatedAt: h.updatedAt, ExpiresAt: h.expiresAt}
	if h.status == api.COMPLETED {
		if h.authorizationToken != "" && !faults.has(FaultCompletedMissingToken) {
			tok := h.authorizationToken
			v.AuthorizationToken = &tok
		}
		if h.orderID != "" {
			order, ref := h.orderID, h.klarnaReference
			v.OrderId, v.KlarnaReference = &order, &ref
		}
	}
	if faults.has(FaultHPPStatusLowercase) {
		v.Status = api.HppStatus(strings.ToLower(string(v.Status)))
	}
	return v
}

// changeStatusLocked moves a session (write lock held), stamps updated_at
// (never backwards) and queues the status callback. Queuing under the lock
// is what keeps one session's callbacks in the order of its changes.
func (s *Server) changeStatusLocked(h *hppSession, to api.HppStatus, now time.Time, faults faultSet) {
	h.status = to
	stamp := wireTime(now)
	switch {
	case faults.has(FaultUpdatedAtGoesBack):
		stamp = h.updatedAt.Add(-time.Minute)
	case stamp.Before(h.updatedAt):
		stamp = h.updatedAt
	}
	h.updatedAt = stamp
	if faults.has(FaultCallbackMissing) || h.urls.StatusUpdate == nil || *h.urls.StatusUpdate == "" {
		return
	}
	target := substitutePlaceholders(*h.urls.StatusUpdate, placeholderValues{sessionID: h.id}, 0)
	s.callbacks.enqueueStatus(h.id, target, hppView(h, faults))
}
