package mock

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// kcoBody is Kustom's documented create-order example (K-kco-create) with
// kpBody's lines, so its amounts add up.
var kcoBody = `{
  "purchase_country": "SE", "purchase_currency": "SEK", "locale": "en-SE",
  "order_amount": 25000, "order_tax_amount": 5000,
  "order_lines": [
    {"type": "physical", "name": "Tomatoes", "quantity": 2, "unit_price": 10000, "tax_rate": 2500, "total_amount": 20000, "total_discount_amount": 0, "total_tax_amount": 4000},
    {"name": "Shipping", "type": "shipping_fee", "quantity": 1, "unit_price": 5000, "tax_rate": 2500, "total_amount": 5000, "total_tax_amount": 1000}
  ],
  "merchant_urls": {
    "terms": "https://www.example.com/terms.html",
    "checkout": "https://www.example.com/checkout.html?order_id={checkout.order.id}",
    "confirmation": "https://www.example.com/confirmation.html?order_id={checkout.order.id}",
    "push": "https://www.example.com/api/push?order_id={checkout.order.id}"
  }
}`

func (h *harness) createKCO(body string) api.CheckoutOrder {
	h.t.Helper()
	return decoded[api.CheckoutOrder](h, "POST", "/checkout/v3/orders", body, 201)
}

func (h *harness) readKCO(id string) api.CheckoutOrder {
	h.t.Helper()
	return decoded[api.CheckoutOrder](h, "GET", "/checkout/v3/orders/"+id, "", 200)
}

// hostKCO hosts a KCO order on Kustom's playground URL; extra is merged in.
func (h *harness) hostKCO(orderID string, extra map[string]any) api.SessionCreationResponseV1 {
	h.t.Helper()
	return h.host("https://api.playground.kustom.co/checkout/v3/orders/"+orderID, extra)
}

// TestKCOOrderHostedAndPaid is issue 16's done-when: a KCO order created as
// documented is hosted; paying sends the consumer to the success URL with
// {{order_id}} filled and leaves the order checkout_complete.
func TestKCOOrderHostedAndPaid(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	o := h.createKCO(kcoBody)
	if o.Status != api.CheckoutIncomplete || o.OrderId == "" {
		t.Fatalf("created: %+v", o)
	}
	success := "https://merchant.example/done?sid={{session_id}}&order_id={{order_id}}&token={{authorization_token}}"
	hpp := h.hostKCO(o.OrderId, map[string]any{"merchant_urls": map[string]any{"success": success}})
	if s := h.readHPP(hpp.SessionId); s.Status != api.WAITING {
		t.Fatalf("new HPP session: %+v", s)
	}
	h.expect(h.openPage(hpp.SessionId), 200)
	loc := h.expect(h.action(hpp.SessionId, "pay"), 303).header.Get("Location")
	want := "https://merchant.example/done?sid=" + url.QueryEscape(hpp.SessionId) + "&order_id=" + url.QueryEscape(o.OrderId) + "&token={{authorization_token}}"
	if loc != want {
		t.Errorf("success redirect\n got %s\nwant %s", loc, want)
	}
	s := h.readHPP(hpp.SessionId)
	if s.Status != api.COMPLETED || s.OrderId == nil || *s.OrderId != o.OrderId || s.KlarnaReference == nil || *s.KlarnaReference == "" || s.AuthorizationToken != nil {
		t.Errorf("completed HPP session: %+v", s)
	}
	read := h.readKCO(o.OrderId)
	if read.Status != api.CheckoutComplete || read.CompletedAt == nil {
		t.Errorf("paid order: %+v", read)
	}
	// A complete order cannot be paid twice through a second HPP session.
	second := h.hostKCO(o.OrderId, nil)
	if s := h.pay(second.SessionId); s.Status != api.ERROR {
		t.Errorf("second payment of a complete order: %s", s.Status)
	}
}

// TestKCOExpiry: an HPP session hosting a KCO order expires one hour
// before the order (48 h, K-kco-err); an expired order reads 404 and
// cannot be hosted.
func TestKCOExpiry(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	o := h.createKCO(kcoBody)
	hpp := h.hostKCO(o.OrderId, nil)
	if got, want := hpp.ExpiresAt, o.StartedAt.Add(kcoLifetime-hppBeforeKP); !got.Equal(want) {
		t.Errorf("HPP expires_at %s, want %s", got.Format(time.RFC3339), want.Format(time.RFC3339))
	}
	h.advance("48h")
	h.expect(h.do("GET", "/checkout/v3/orders/"+o.OrderId, ""), 404)
	h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://api.playground.kustom.co/checkout/v3/orders/`+o.OrderId+`"}`), 404)
}

// TestKCOCreateRefusals: the shared amount rules and the contract's
// required fields, each refusal naming its field.
func TestKCOCreateRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	for field, body := range map[string]string{
		"order_tax_amount": strings.Replace(kcoBody, `"order_tax_amount": 5000`, `"order_tax_amount": 4000`, 1),
		"merchant_urls": kcoBody[:strings.Index(kcoBody, `,
  "merchant_urls"`)] + "}",
	} {
		e := h.expect(h.do("POST", "/checkout/v3/orders", body), 400).errorV2(t)
		if e.ErrorCode != codeBadValue || !strings.Contains(strings.Join(e.ErrorMessages, " "), field) {
			t.Errorf("%s: %+v", field, e)
		}
	}
	h.expect(h.do("GET", "/checkout/v3/orders/unknown", ""), 404)
}

// TestPaymentRefFromURL: the provider is read from the path, whatever the host.
func TestPaymentRefFromURL(t *testing.T) {
	for raw, want := range map[string]*paymentRef{
		"https://api.klarna.com/payments/v1/sessions/abc":          {id: "abc"},
		"https://api.playground.kustom.co/checkout/v3/orders/abc/": {id: "abc", kco: true},
		"https://api.klarna.com/checkout/v3/orders/":               nil,
		"https://api.klarna.com/checkout/v3/orders/abc/lines":      nil,
		"https://api.klarna.com/ordermanagement/v1/orders/abc":     nil,
		"::not a url": nil,
	} {
		got, ok := paymentRefFromURL(raw)
		if (want == nil) == ok || want != nil && got != *want {
			t.Errorf("%q: %+v %v, want %+v", raw, got, ok, want)
		}
	}
}
