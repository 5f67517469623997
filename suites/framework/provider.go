package framework

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/target"
)

// Payment providers: what an HPP session hosts. NewHPPSession hosts a KP
// session or a KCO order as the run's --payment-provider says, so every
// spec that only needs "an HPP session" runs with either; a spec whose rule
// belongs to one provider calls OnlyKP or OnlyKCO, and is skipped with the
// same reason for the other (so the run summary groups those skips).

// skipProvider is the skip message of a spec that belongs to one provider.
const skipProvider = "only with --payment-provider %s: %s (this run hosts %s)"

// Why a spec belongs to one provider, in the skip message.
const (
	// whyKPSession: the rule is about the KP session an HPP session hosts,
	// its authorization token or place_order_mode (D-hppkp), none of which
	// a KCO order has (K-hpp-create lists no {{authorization_token}}).
	whyKPSession = "the rule is about a hosted KP session (authorization token, place_order_mode, KP session status)"
	// whyKCOOrder: the rule is about the KCO order an HPP session hosts.
	whyKCOOrder = "the rule is about a hosted KCO order (order_id from the order, checkout_complete)"
)

// Provider is the run's payment provider: target.ProviderKP or
// target.ProviderKCO.
func (f *Framework) Provider() string {
	if p := f.Env.Config.PaymentProvider; p != "" {
		return p
	}
	return target.ProviderKP
}

// KCO reports whether the run's HPP sessions host KCO orders.
func (f *Framework) KCO() bool { return f.Provider() == target.ProviderKCO }

// OnlyKP skips the spec unless the run's HPP sessions host KP sessions: its
// rule is about the hosted KP session (whyKPSession says so in the skip).
func (f *Framework) OnlyKP() {
	GinkgoHelper()
	f.onlyFor(target.ProviderKP, whyKPSession)
}

// OnlyKCO skips the spec unless the run's HPP sessions host KCO orders.
func (f *Framework) OnlyKCO() {
	GinkgoHelper()
	f.onlyFor(target.ProviderKCO, whyKCOOrder)
}

// onlyFor skips the spec, saying why, unless the run hosts provider: the
// provider and its reason are one fact, so specs name neither.
func (f *Framework) onlyFor(provider, why string) {
	GinkgoHelper()
	if f.Provider() != provider {
		Skip(fmt.Sprintf(skipProvider, provider, why, f.Provider()))
	}
}

// KCOOrderRequest is a valid KCO order with the same single line as
// KPSessionRequest (100.00 SEK at 25 %), so the amounts add up, and the four
// merchant URLs every documented create-order example sends (K-kco-create).
func KCOOrderRequest(ref string) api.CheckoutOrderCreate {
	kp := KPSessionRequest(ref)
	return api.CheckoutOrderCreate{
		PurchaseCountry:    kp.PurchaseCountry,
		PurchaseCurrency:   kp.PurchaseCurrency,
		Locale:             *kp.Locale,
		OrderAmount:        kp.OrderAmount,
		OrderTaxAmount:     *kp.OrderTaxAmount,
		OrderLines:         kp.OrderLines,
		MerchantReference1: kp.MerchantReference1,
		MerchantUrls: api.CheckoutMerchantUrls{
			Terms:        "https://merchant.example/kconform/terms",
			Checkout:     "https://merchant.example/kconform/checkout?order_id={checkout.order.id}",
			Confirmation: "https://merchant.example/kconform/confirmation?order_id={checkout.order.id}",
			Push:         "https://merchant.example/kconform/push?order_id={checkout.order.id}",
		},
	}
}

// KCOOrder is a KCO order the spec created.
type KCOOrder struct {
	ID      string
	Request api.CheckoutOrderCreate
	Created api.CheckoutOrder
}

// CheckoutOrderURL is the payment_session_url of a KCO order on this target
// (S1's example, K-hpp-create: https://<environment-domain>/checkout/v3/orders/<id>).
// With --hpp-target it is the HPP API's domain, where the order was created.
func (f *Framework) CheckoutOrderURL(orderID string) string {
	base := f.Env.BaseURL
	if f.Env.HPPBaseURL != "" {
		base = f.Env.HPPBaseURL
	}
	return base + "/checkout/v3/orders/" + orderID
}

// CreateKCOOrder creates a valid KCO order (edited by edits) and expects
// 201 checkout_incomplete. It is a setup step.
func (f *Framework) CreateKCOOrder(ctx context.Context, edits ...func(*api.CheckoutOrderCreate)) KCOOrder {
	GinkgoHelper()
	ctx, done := f.setup(ctx, "create a KCO order")
	req := edited(KCOOrderRequest(f.Ref), edits)
	resp, err := f.API.CreateCheckoutOrderWithResponse(ctx, req)
	o := answered201(resp, err, "create a KCO order")
	done()
	return KCOOrder{ID: o.OrderId, Request: req, Created: o}
}

// ReadKCOOrder reads a KCO order and expects 200.
func (f *Framework) ReadKCOOrder(ctx context.Context, id string) api.CheckoutOrder {
	GinkgoHelper()
	resp, err := f.API.ReadCheckoutOrderWithResponse(ctx, id)
	return answered200(resp, err, "read KCO order "+id)
}

// HostKCOOrder creates an HPP session hosting order (edited by edits),
// expects 201, and registers the clean-up that disables it.
func (f *Framework) HostKCOOrder(ctx context.Context, order KCOOrder, edits ...func(*api.SessionCreationRequestV1)) HPPSession {
	GinkgoHelper()
	h := f.createHPP(ctx, f.CheckoutOrderURL(order.ID), edits...)
	h.Order = order
	return h
}

// PlacesOrder reports whether paying completes the session with order_id
// and klarna_reference rather than an authorization token: always for a KCO
// order (seed 004: {{order_id}} "works only for KCO or when using
// place_order_mode"), and for a KP session in PLACE_ORDER or CAPTURE_ORDER.
func (f *Framework) PlacesOrder(mode *api.OptionsV1PlaceOrderMode) bool {
	return f.KCO() || mode != nil && (*mode == api.PLACEORDER || *mode == api.CAPTUREORDER)
}

// NewPaymentURL creates what the run's HPP sessions host (a KP session or a
// KCO order) and returns its payment_session_url, for specs that build the
// HPP create request themselves.
func (f *Framework) NewPaymentURL(ctx context.Context) string {
	GinkgoHelper()
	if f.KCO() {
		return f.CheckoutOrderURL(f.CreateKCOOrder(ctx).ID)
	}
	return f.PaymentSessionURL(f.CreateKPSession(ctx).ID)
}
