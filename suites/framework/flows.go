package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
)

// KPSessionRequest is a valid KP session for Sweden: one line of 100.00 SEK
// at 25 % tax, so every amount adds up (order_line total_tax_amount =
// total_amount - total_amount*10000/(10000+tax_rate)).
func KPSessionRequest(ref string) api.SessionCreate {
	return api.SessionCreate{
		PurchaseCountry:    "SE",
		PurchaseCurrency:   "SEK",
		Locale:             ptr("sv-SE"),
		OrderAmount:        10000,
		OrderTaxAmount:     ptr[int64](2000),
		MerchantReference1: ptr(ref),
		Intent:             ptr(api.Buy),
		OrderLines: []api.OrderLine{{
			Name:           "kconform test item",
			Reference:      ptr("kconform-1"),
			Quantity:       1,
			UnitPrice:      10000,
			TotalAmount:    10000,
			TaxRate:        ptr[int64](2500),
			TotalTaxAmount: ptr[int64](2000),
		}},
	}
}

// OrderRequest is the create-order body that matches a KP session request.
func OrderRequest(s api.SessionCreate) api.CreateOrderRequest {
	return api.CreateOrderRequest{
		PurchaseCountry:    s.PurchaseCountry,
		PurchaseCurrency:   s.PurchaseCurrency,
		Locale:             s.Locale,
		OrderAmount:        s.OrderAmount,
		OrderTaxAmount:     s.OrderTaxAmount,
		OrderLines:         s.OrderLines,
		MerchantReference1: s.MerchantReference1,
	}
}

// KPSession is a KP session the spec created.
type KPSession struct {
	ID      string
	Request api.SessionCreate
}

// HPPSession is an HPP session the spec created, with the KP session or
// the KCO order it hosts (the other is zero).
type HPPSession struct {
	KP      KPSession
	Order   KCOOrder
	ID      string
	Request api.SessionCreationRequestV1
	Created api.SessionCreationResponseV1
}

// RedirectURL is where the consumer goes; empty when the target gave none.
func (h HPPSession) RedirectURL() string {
	if h.Created.RedirectUrl == nil {
		return ""
	}
	return *h.Created.RedirectUrl
}

// PaymentSessionURL is the payment_session_url of a KP session on this
// target: "the same environment domain you created the KP session on".
func (f *Framework) PaymentSessionURL(kpID string) string {
	return f.Env.BaseURL + "/payments/v1/sessions/" + kpID
}

// CreateKPSession creates a valid KP session (edited by edits) and expects
// 200. It is a setup step: a spec about createCreditSession says so with
// About.
func (f *Framework) CreateKPSession(ctx context.Context, edits ...func(*api.SessionCreate)) KPSession {
	GinkgoHelper()
	ctx, done := f.setup(ctx, "create a KP session")
	req := edited(KPSessionRequest(f.Ref), edits)
	resp, err := f.API.CreateCreditSessionWithResponse(ctx, req)
	s := answered200(resp, err, "create a KP session")
	done()
	return KPSession{ID: s.SessionId, Request: req}
}

// edited is req changed by each of edits in turn: the valid request a spec
// breaks or extends.
func edited[T any](req T, edits []func(*T)) T {
	for _, e := range edits {
		e(&req)
	}
	return req
}

// with200 and with201 are the generated responses that decode a JSON body
// for that status.
type with200[B any] interface {
	Response
	GetJSON200() *B
}
type with201[B any] interface {
	Response
	GetJSON201() *B
}

// answered200 expects a generated call to have answered 200 with a JSON
// body, and returns that body; what names the call in each failure.
func answered200[B any, R with200[B]](resp R, err error, what string) B {
	GinkgoHelper()
	expectAnswered(resp, err, http.StatusOK, what)
	return expectBody(resp.GetJSON200(), what)
}

// answered201 is answered200 for a call that creates: 201.
func answered201[B any, R with201[B]](resp R, err error, what string) B {
	GinkgoHelper()
	expectAnswered(resp, err, http.StatusCreated, what)
	return expectBody(resp.GetJSON201(), what)
}

// expectAnswered expects a generated call to have got an answer with
// status; what names the call in each failure.
func expectAnswered(resp Response, err error, status int, what string) {
	GinkgoHelper()
	Expect(err).NotTo(HaveOccurred(), what)
	Expect(resp).To(HaveStatus(status), what)
}

// expectBody expects the answer's decoded JSON body, and returns it.
func expectBody[B any](body *B, what string) B {
	GinkgoHelper()
	Expect(body).NotTo(BeNil(), what+": no JSON body")
	return *body
}

// ReadKPSession reads a KP session and expects 200.
func (f *Framework) ReadKPSession(ctx context.Context, id string) api.SessionRead {
	GinkgoHelper()
	resp, err := f.API.ReadCreditSessionWithResponse(ctx, id)
	return answered200(resp, err, "read KP session "+id)
}

// HPPRequest is a create-HPP-session body for a KP session, without
// merchant URLs or options.
func (f *Framework) HPPRequest(kpID string) api.SessionCreationRequestV1 {
	return api.SessionCreationRequestV1{PaymentSessionUrl: f.PaymentSessionURL(kpID)}
}

// CreateHPPSession creates an HPP session hosting kp (edited by edits),
// expects 201, and registers a cleanup that disables it. It is a setup
// step: a spec about createHppSession says so with About.
func (f *Framework) CreateHPPSession(ctx context.Context, kp KPSession, edits ...func(*api.SessionCreationRequestV1)) HPPSession {
	GinkgoHelper()
	h := f.createHPP(ctx, f.PaymentSessionURL(kp.ID), edits...)
	h.KP = kp
	return h
}

// createHPP creates an HPP session hosting paymentURL (a KP session or a
// KCO order), expects 201, and registers the clean-up that disables it.
func (f *Framework) createHPP(ctx context.Context, paymentURL string, edits ...func(*api.SessionCreationRequestV1)) HPPSession {
	GinkgoHelper()
	ctx, done := f.setup(ctx, "create an HPP session")
	req := edited(api.SessionCreationRequestV1{PaymentSessionUrl: paymentURL}, edits)
	resp, err := f.API.CreateHppSessionWithResponse(ctx, nil, req)
	created := answered201(resp, err, "create an HPP session")
	h := HPPSession{ID: created.SessionId, Request: req, Created: created}
	DeferCleanup(f.disableQuietly, h.ID)
	done()
	return h
}

// NewHPPSession creates a KP session, or a KCO order with
// --payment-provider kco, and an HPP session hosting it.
func (f *Framework) NewHPPSession(ctx context.Context, edits ...func(*api.SessionCreationRequestV1)) HPPSession {
	GinkgoHelper()
	if f.KCO() {
		return f.HostKCOOrder(ctx, f.CreateKCOOrder(ctx), edits...)
	}
	return f.CreateHPPSession(ctx, f.CreateKPSession(ctx), edits...)
}

// disableQuietly is the cleanup of an HPP session: a DELETE whose status is
// not asserted (the session may be completed, expired or disabled already);
// the exchange is still contract-checked.
func (f *Framework) disableQuietly(ctx context.Context, id string) {
	_, _ = f.API.DisableHppSessionWithResponse(ctx, id)
}

// ReadHPPSession reads an HPP session and expects 200.
func (f *Framework) ReadHPPSession(ctx context.Context, id string) api.SessionResponseV1 {
	GinkgoHelper()
	resp, err := f.API.GetSessionByIdWithResponse(ctx, id)
	return answered200(resp, err, "read HPP session "+id)
}

// ExpectHPPStatus reads an HPP session and expects status.
func (f *Framework) ExpectHPPStatus(ctx context.Context, id string, status api.HppStatus) api.SessionResponseV1 {
	GinkgoHelper()
	s := f.ReadHPPSession(ctx, id)
	Expect(s.Status).To(Equal(status), "status of HPP session %s", id)
	return s
}

// DisableHPPSession sends DELETE and expects want.
func (f *Framework) DisableHPPSession(ctx context.Context, id string, want int) *api.DisableHppSessionResponse {
	GinkgoHelper()
	resp, err := f.API.DisableHppSessionWithResponse(ctx, id)
	expectAnswered(resp, err, want, "disable HPP session "+id)
	return resp
}

// CreateOrder places an order with token and expects 200. It is a setup
// step: a spec about createOrder says so with About.
func (f *Framework) CreateOrder(ctx context.Context, token string, body api.CreateOrderRequest) api.Order {
	GinkgoHelper()
	ctx, done := f.setup(ctx, "create an order")
	resp, err := f.API.CreateOrderWithResponse(ctx, token, body)
	order := answered200(resp, err, "create an order")
	done()
	return order
}

// JSON marshals v for the *WithBody client methods (deliberately broken
// bodies start from a valid one turned into a map).
func JSON(v any) *bytes.Reader {
	GinkgoHelper()
	b, err := json.Marshal(v)
	Expect(err).NotTo(HaveOccurred())
	return bytes.NewReader(b)
}

// AsMap turns a typed body into a map to break it on purpose.
func AsMap(v any) map[string]any {
	GinkgoHelper()
	b, err := json.Marshal(v)
	Expect(err).NotTo(HaveOccurred())
	var m map[string]any
	Expect(json.Unmarshal(b, &m)).To(Succeed())
	return m
}

// Eventually with the run's async timeout and poll interval.
func (f *Framework) Eventually(ctx context.Context, fn any) AsyncAssertion {
	return Eventually(ctx, fn).WithTimeout(f.Env.Timeouts.Async).WithPolling(f.Env.Timeouts.Poll)
}

// Consistently over d with the run's poll interval.
func (f *Framework) Consistently(ctx context.Context, fn any, d time.Duration) AsyncAssertion {
	return Consistently(ctx, fn).WithTimeout(d).WithPolling(f.Env.Timeouts.Poll)
}

func ptr[T any](v T) *T { return &v }

// Ptr returns a pointer to v, for optional fields of generated types.
func Ptr[T any](v T) *T { return &v }

// WithMode sets options.place_order_mode (nil leaves it out: NONE by default).
func WithMode(mode *api.OptionsV1PlaceOrderMode) func(*api.SessionCreationRequestV1) {
	return func(r *api.SessionCreationRequestV1) {
		if mode == nil {
			return
		}
		if r.Options == nil {
			r.Options = &api.OptionsV1{}
		}
		r.Options.PlaceOrderMode = mode
	}
}

// WithMerchantURLs sets merchant_urls.
func WithMerchantURLs(u api.MerchantUrlsV1) func(*api.SessionCreationRequestV1) {
	return func(r *api.SessionCreationRequestV1) { r.MerchantUrls = &u }
}

// Mode returns a pointer to a place_order_mode, for tables.
func Mode(m api.OptionsV1PlaceOrderMode) *api.OptionsV1PlaceOrderMode { return &m }

// Authorize creates an HPP session in mode NONE, has the consumer pay, and
// returns the session and its authorization token.
//
// It is a setup step of the KP rules that need a token.
func (f *Framework) Authorize(ctx context.Context, kpEdits ...func(*api.SessionCreate)) (HPPSession, string) {
	GinkgoHelper()
	f.OnlyKP()
	h := f.CreateHPPSession(ctx, f.CreateKPSession(ctx, kpEdits...))
	ctx, done := f.setup(ctx, "authorize a payment on the hosted page")
	f.OpensAndDoes(ctx, h, Pay)
	// The step needs a completed payment, not the status's spelling: a
	// status in the wrong case is a contract finding of getSessionById
	// already (it breaks the rules about that operation), and must not
	// block every rule that only needs a payment authorized.
	s := f.ReadHPPSession(ctx, h.ID)
	Expect(strings.ToUpper(string(s.Status))).To(Equal(string(api.COMPLETED)), "status of HPP session %s", h.ID)
	Expect(s.AuthorizationToken).To(HaveValue(Not(BeEmpty())), "a COMPLETED session in mode NONE carries authorization_token")
	done()
	return h, *s.AuthorizationToken
}

// WithIntent sets the KP session's intent (buy, tokenize or
// buy_and_tokenize), for Authorize and CreateKPSession.
func WithIntent(intent api.Intent) func(*api.SessionCreate) {
	return func(s *api.SessionCreate) { s.Intent = &intent }
}

// CustomerTokenRequest is the customer-token body that matches a KP session
// request: a subscription in the session's country, currency and locale.
func CustomerTokenRequest(s api.SessionCreate) api.CustomerTokenCreationRequest {
	locale := "en-US"
	if s.Locale != nil {
		locale = *s.Locale
	}
	return api.CustomerTokenCreationRequest{
		Description:      "kconform subscription",
		IntendedUse:      api.SUBSCRIPTION,
		Locale:           locale,
		PurchaseCountry:  s.PurchaseCountry,
		PurchaseCurrency: s.PurchaseCurrency,
	}
}
