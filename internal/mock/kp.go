package mock

import (
	"encoding/base64"
	"strings"

	"github.com/kconform/kconform/generated/api"
)

// kpAssetURL is Klarna's public badge; the mock only names it, never fetches it.
const kpAssetURL = "https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg"

// paymentMethodCategories is what every session offers: one category, as a
// merchant with a single Klarna method sees it. Shared and never modified.
var paymentMethodCategories = func() *[]api.PaymentMethodCategory {
	id, name, url := "klarna", "Pay with Klarna", kpAssetURL
	return &[]api.PaymentMethodCategory{{
		Identifier: &id, Name: &name,
		AssetUrls: &api.AssetUrls{Descriptive: &url, Standard: &url},
	}}
}()

// clientToken looks like Klarna's (a JWT the JS SDK reads) but is unsigned:
// nothing verifies it.
func clientToken(sessionID string) string {
	return unsignedJWT(`{"session_id":"` + sessionID + `","issuer":"kconform-mock"}`)
}

// unsignedJWT is a JWT with alg none around claims (a JSON object).
func unsignedJWT(claims string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(claims)) + "."
}

func (s *Server) createKP(body *api.SessionCreate) (api.MerchantSession, *apiError) {
	now, faults := s.clock.Now(), s.faults.load()
	if e := checkAmounts(orderAmounts(&body.OrderAmount, body.OrderTaxAmount, &body.OrderLines), faults); e != nil {
		return api.MerchantSession{}, e
	}
	k := &kpSession{id: newUUID(), expiresAt: wireTime(now.Add(kpLifetime)), data: sessionFromCreate(body)}
	k.clientToken = clientToken(k.id)

	s.store.mu.Lock()
	s.store.sweepLocked(now, faults)
	s.store.kp[k.id] = k
	s.store.mu.Unlock()

	return api.MerchantSession{ClientToken: k.clientToken, SessionId: k.id, PaymentMethodCategories: paymentMethodCategories}, nil
}

func (s *Server) readKP(id string) (api.SessionRead, *apiError) {
	now := s.clock.Now()
	s.store.mu.RLock()
	k := s.store.kp[id]
	if k == nil || k.expired(now) {
		s.store.mu.RUnlock()
		return api.SessionRead{}, errInvalidSession
	}
	// Field values are never modified in place (updates replace them), so a
	// copy of the struct is safe to encode after unlocking.
	d, complete, token, expires, intent := k.data, k.complete, k.clientToken, k.expiresAt, k.intent()
	s.store.mu.RUnlock()

	status := api.Incomplete
	if complete {
		status = api.Complete
	}
	return api.SessionRead{
		AcquiringChannel:        d.AcquiringChannel,
		Attachment:              d.Attachment,
		BillingAddress:          d.BillingAddress,
		ClientToken:             &token,
		CustomPaymentMethodIds:  d.CustomPaymentMethodIds,
		Customer:                customerRead(d.Customer),
		Design:                  d.Design,
		ExpiresAt:               &expires,
		Intent:                  &intent,
		Locale:                  d.Locale,
		MerchantData:            d.MerchantData,
		MerchantReference1:      d.MerchantReference1,
		MerchantReference2:      d.MerchantReference2,
		MerchantUrls:            d.MerchantUrls,
		Options:                 d.Options,
		OrderAmount:             d.OrderAmount,
		OrderLines:              d.OrderLines,
		OrderTaxAmount:          d.OrderTaxAmount,
		PaymentMethodCategories: paymentMethodCategories,
		PurchaseCountry:         d.PurchaseCountry,
		PurchaseCurrency:        d.PurchaseCurrency,
		ShippingAddress:         d.ShippingAddress,
		Status:                  &status,
	}, nil
}

func (s *Server) updateKP(id string, body *api.Session) *apiError {
	now, faults := s.clock.Now(), s.faults.load()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	k := s.store.kp[id]
	switch {
	case k == nil || k.expired(now):
		return errInvalidSession
	case k.complete:
		return errSessionCompleted
	}
	// The session after the update must add up (an update may change the
	// lines but not order_amount); a refused update changes nothing.
	merged := k.data
	mergeSession(&merged, body)
	if e := checkAmounts(orderAmounts(merged.OrderAmount, merged.OrderTaxAmount, merged.OrderLines), faults); e != nil {
		return e
	}
	k.data = merged
	return nil
}

func (s *Server) createOrder(token string, body *api.CreateOrderRequest) (api.Order, *apiError) {
	now, faults := s.clock.Now(), s.faults.load()
	orderID := newUUID()
	if e := checkAmounts(orderAmounts(&body.OrderAmount, body.OrderTaxAmount, &body.OrderLines), faults); e != nil {
		return api.Order{}, e
	}

	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	t := s.store.tokens[token]
	if t == nil || t.cancelled {
		return api.Order{}, errInvalidToken
	}
	reuse := t.consumed && faults.has(FaultTokenReusable)
	if t.consumed && !reuse {
		return api.Order{}, errTokenConsumed
	}
	if t.expired(now) && !faults.has(FaultTokenNeverExpires) {
		return api.Order{}, errInvalidToken
	}
	k := s.store.kp[t.kpID]
	if k == nil || k.expired(now) {
		return api.Order{}, errInvalidToken
	}
	// Another authorization of the same session already placed its order.
	// With token-reusable the session was completed by this very token.
	if k.complete && !reuse {
		return api.Order{}, errSessionCompleted
	}
	if bad := t.order.mismatches(body, faults); len(bad) > 0 && !faults.has(FaultOrderMismatchAccepted) {
		return api.Order{}, notMatching(bad)
	}
	t.consumed = true
	if !faults.has(FaultKPStatusNotCompleted) {
		k.complete = true
	}
	fraud := "ACCEPTED"
	return api.Order{
		OrderId:                 orderID,
		FraudStatus:             &fraud,
		AuthorizedPaymentMethod: &api.AuthorizedPaymentMethod{Type: api.Invoice},
	}, nil
}

func (s *Server) cancelAuthorization(token string) *apiError {
	now := s.clock.Now()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	t := s.store.tokens[token]
	switch {
	case t == nil || t.cancelled || t.expired(now):
		return errInvalidToken
	case t.consumed:
		return errTokenNotDeletable
	}
	t.cancelled = true
	return nil
}

func (s *Server) createCustomerToken(token string, body *api.CustomerTokenCreationRequest) (api.CustomerTokenCreationResponse, *apiError) {
	now := s.clock.Now()
	tokenID := newUUID()

	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	t := s.store.tokens[token]
	if t == nil || t.cancelled || t.expired(now) {
		return api.CustomerTokenCreationResponse{}, errInvalidToken
	}
	k := s.store.kp[t.kpID]
	if k == nil || k.expired(now) {
		return api.CustomerTokenCreationResponse{}, errInvalidToken
	}
	if k.intent() == api.Buy {
		return api.CustomerTokenCreationResponse{}, errIntentBuy
	}
	var bad []string
	if !strings.EqualFold(body.PurchaseCurrency, t.order.currency) {
		bad = append(bad, "purchase_currency")
	}
	if !strings.EqualFold(body.PurchaseCountry, t.order.country) {
		bad = append(bad, "purchase_country")
	}
	if len(bad) > 0 {
		return api.CustomerTokenCreationResponse{}, notMatching(bad)
	}
	billing := body.BillingAddress
	if billing == nil {
		billing = k.data.BillingAddress
	}
	return api.CustomerTokenCreationResponse{TokenId: tokenID, BillingAddress: billing}, nil
}

// sessionFromCreate keeps what the merchant may set; the read-only fields of
// the schema (status, client_token, ...) are the mock's to fill.
func sessionFromCreate(b *api.SessionCreate) api.Session {
	d := api.Session{
		AcquiringChannel:       b.AcquiringChannel,
		Attachment:             b.Attachment,
		BillingAddress:         b.BillingAddress,
		CustomPaymentMethodIds: b.CustomPaymentMethodIds,
		Customer:               b.Customer,
		Design:                 b.Design,
		Intent:                 b.Intent,
		Locale:                 b.Locale,
		MerchantData:           b.MerchantData,
		MerchantReference1:     b.MerchantReference1,
		MerchantReference2:     b.MerchantReference2,
		MerchantUrls:           b.MerchantUrls,
		Options:                b.Options,
		OrderAmount:            &b.OrderAmount,
		OrderTaxAmount:         b.OrderTaxAmount,
		PurchaseCountry:        &b.PurchaseCountry,
		PurchaseCurrency:       &b.PurchaseCurrency,
		ShippingAddress:        b.ShippingAddress,
	}
	if b.OrderLines != nil {
		d.OrderLines = &b.OrderLines
	}
	return d
}

// mergeSession applies an update: every field the body sets replaces the
// stored one; the read-only fields are ignored.
func mergeSession(dst, src *api.Session) {
	set(&dst.AcquiringChannel, src.AcquiringChannel)
	set(&dst.Attachment, src.Attachment)
	set(&dst.BillingAddress, src.BillingAddress)
	set(&dst.CustomPaymentMethodIds, src.CustomPaymentMethodIds)
	set(&dst.Customer, src.Customer)
	set(&dst.Design, src.Design)
	set(&dst.Intent, src.Intent)
	set(&dst.Locale, src.Locale)
	set(&dst.MerchantData, src.MerchantData)
	set(&dst.MerchantReference1, src.MerchantReference1)
	set(&dst.MerchantReference2, src.MerchantReference2)
	set(&dst.MerchantUrls, src.MerchantUrls)
	set(&dst.Options, src.Options)
	set(&dst.OrderAmount, src.OrderAmount)
	set(&dst.OrderLines, src.OrderLines)
	set(&dst.OrderTaxAmount, src.OrderTaxAmount)
	set(&dst.PurchaseCountry, src.PurchaseCountry)
	set(&dst.PurchaseCurrency, src.PurchaseCurrency)
	set(&dst.ShippingAddress, src.ShippingAddress)
}

func set[T any](dst **T, src *T) {
	if src != nil {
		*dst = src
	}
}

// customerRead drops what S2's customer_read leaves out of a read.
func customerRead(c *api.Customer) *api.CustomerRead {
	if c == nil {
		return nil
	}
	return &api.CustomerRead{
		DateOfBirth:                c.DateOfBirth,
		Gender:                     c.Gender,
		OrganizationEntityType:     c.OrganizationEntityType,
		OrganizationRegistrationId: c.OrganizationRegistrationId,
		Title:                      c.Title,
		Type:                       c.Type,
		VatId:                      c.VatId,
	}
}
