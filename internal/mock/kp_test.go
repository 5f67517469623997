package mock

import (
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
)

func TestKPSessionReadUpdateAndOrder(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)

	var s api.SessionRead
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &s)
	if *s.Status != api.Incomplete || *s.Intent != api.Buy || *s.OrderAmount != 25000 || len(*s.OrderLines) != 2 {
		t.Fatalf("read after create: %+v", s)
	}
	if s.ExpiresAt == nil || s.ClientToken == nil {
		t.Fatalf("read lacks expires_at or client_token: %+v", s)
	}

	h.expect(h.do("POST", "/payments/v1/sessions/"+kpID, `{"merchant_reference1":"order-42"}`), 204)
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &s)
	if s.MerchantReference1 == nil || *s.MerchantReference1 != "order-42" || *s.OrderAmount != 25000 {
		t.Fatalf("update not merged: %+v", s)
	}

	token := h.authorize(kpID)
	var order api.Order
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 200).json(t, &order)
	if order.OrderId == "" {
		t.Fatal("no order_id")
	}
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &s)
	if *s.Status != api.Complete {
		t.Fatalf("KP status after order = %s, want complete", *s.Status)
	}

	// A consumed token; a completed session.
	e := h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 403).errorV2(t)
	if e.ErrorCode != "INVALID_OPERATION" || e.ErrorMessages[0] != "Authorization token already consumed" {
		t.Errorf("second order: %+v", e)
	}
	e = h.expect(h.do("POST", "/payments/v1/sessions/"+kpID, `{"merchant_reference1":"x"}`), 404).errorV2(t)
	if e.ErrorCode != "SESSION_COMPLETED" {
		t.Errorf("update after order: %+v", e)
	}
	// Cancelling a used authorization is refused.
	h.expect(h.do("DELETE", "/payments/v1/authorizations/"+token, ""), 404)
}

func TestKPUnknownAndExpiredSession(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	e := h.expect(h.do("GET", "/payments/v1/sessions/nope", ""), 404).errorV2(t)
	if e.ErrorCode != "NOT_FOUND" || e.ErrorMessages[0] != "Invalid session id" {
		t.Errorf("unknown: %+v", e)
	}
	h.expect(h.do("POST", "/payments/v1/sessions/nope", `{}`), 404)

	kpID := h.createKP(kpBody)
	h.advance("47h59m")
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200)
	h.advance("1m")
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 404)
	h.expect(h.do("POST", "/payments/v1/sessions/"+kpID, `{"locale":"en-US"}`), 404)
}

func TestKPSessionLivesFortyEightHoursFromCreation(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	kpID := h.createKP(kpBody)
	var s api.SessionRead
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &s)
	var now struct{ Now time.Time }
	h.expect(h.send("GET", "/_kconform/clock", "", nil), 200).json(t, &now)
	if d := s.ExpiresAt.Sub(now.Now); d < 47*time.Hour+59*time.Minute || d > 48*time.Hour {
		t.Errorf("expires_at is %v after now, want 48h", d)
	}
	// An update does not extend it.
	h.advance("24h")
	h.expect(h.do("POST", "/payments/v1/sessions/"+kpID, `{"locale":"en-GB"}`), 204)
	h.advance("24h")
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 404)
}

func TestCreateOrderMismatch(t *testing.T) {
	h := newHarness(t, Options{})
	token := h.authorize(h.createKP(kpBody))
	// Amounts that add up but differ from the session: 409, not 400.
	body := strings.Replace(orderBody, `"order_amount": 25000, "order_tax_amount": 5000`, `"order_amount": 24000, "order_tax_amount": 4800`, 1)
	body = strings.Replace(body, `"unit_price": 5000, "tax_rate": 2500, "total_amount": 5000, "total_tax_amount": 1000`, `"unit_price": 4000, "tax_rate": 2500, "total_amount": 4000, "total_tax_amount": 800`, 1)
	body = strings.Replace(body, `"purchase_currency": "SEK"`, `"purchase_currency": "EUR"`, 1)
	e := h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", body), 409).errorV2(t)
	want := "Not matching fields: [order_amount, order_tax_amount, purchase_currency, order_lines[1].total_amount, order_lines[1].total_tax_amount, order_lines[1].unit_price]"
	if e.ErrorCode != "BAD_VALUE" || e.ErrorMessages[0] != want {
		t.Errorf("mismatch: %+v\nwant %s", e, want)
	}
	lines := strings.Replace(orderBody, `"name": "Tomatoes"`, `"name": "Potatoes"`, 1)
	e = h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", lines), 409).errorV2(t)
	if e.ErrorMessages[0] != "Not matching fields: [order_lines[0].name]" {
		t.Errorf("lines mismatch: %+v", e)
	}
	// Codes differ only in case: they match.
	lower := strings.Replace(orderBody, `"purchase_currency": "SEK"`, `"purchase_currency": "sek"`, 1)
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", lower), 200)
}

func TestTokenExpiresAfterSixtyMinutes(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	kpID := h.createKP(kpBody)
	token := h.authorize(kpID)
	h.advance("59m")
	tokenB := h.authorize(kpID) // a second authorization of the same session
	h.advance("1m")
	e := h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 404).errorV2(t)
	if e.ErrorCode != "NOT_FOUND" || e.ErrorMessages[0] != "Invalid authorization token" {
		t.Errorf("expired token: %+v", e)
	}
	h.expect(h.do("DELETE", "/payments/v1/authorizations/"+token, ""), 404)
	// The second one is still good, once.
	h.expect(h.do("POST", "/payments/v1/authorizations/"+tokenB+"/order", orderBody), 200)
}

func TestSecondAuthorizationAfterOrderIsSessionCompleted(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)
	a, b := h.authorize(kpID), h.authorize(kpID)
	h.expect(h.do("POST", "/payments/v1/authorizations/"+a+"/order", orderBody), 200)
	e := h.expect(h.do("POST", "/payments/v1/authorizations/"+b+"/order", orderBody), 404).errorV2(t)
	if e.ErrorCode != "SESSION_COMPLETED" {
		t.Errorf("second authorization: %+v", e)
	}
}

func TestCancelAuthorization(t *testing.T) {
	h := newHarness(t, Options{})
	token := h.authorize(h.createKP(kpBody))
	h.expect(h.do("DELETE", "/payments/v1/authorizations/"+token, ""), 204)
	e := h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 404).errorV2(t)
	if e.ErrorMessages[0] != "Invalid authorization token" {
		t.Errorf("order after cancel: %+v", e)
	}
	h.expect(h.do("DELETE", "/payments/v1/authorizations/"+token, ""), 404)
	h.expect(h.do("DELETE", "/payments/v1/authorizations/unknown", ""), 404)
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/customer-token", customerTokenBody), 404)
}

const customerTokenBody = `{"description":"Monthly box","intended_use":"SUBSCRIPTION","locale":"sv-SE","purchase_country":"SE","purchase_currency":"SEK"}`

func TestCustomerToken(t *testing.T) {
	h := newHarness(t, Options{})
	buy := h.authorize(h.createKP(kpBody))
	e := h.expect(h.do("POST", "/payments/v1/authorizations/"+buy+"/customer-token", customerTokenBody), 403).errorV2(t)
	if e.ErrorCode != "INVALID_OPERATION" || e.ErrorMessages[0] != "Not allowed to create customer token for intent buy" {
		t.Errorf("intent buy: %+v", e)
	}

	tokenize := strings.Replace(kpBody, `"locale": "sv-SE"`, `"locale": "sv-SE", "intent": "buy_and_tokenize"`, 1)
	token := h.authorize(h.createKP(tokenize))
	var ct api.CustomerTokenCreationResponse
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/customer-token", customerTokenBody), 200).json(t, &ct)
	if ct.TokenId == "" {
		t.Error("no token_id")
	}
	// buy_and_tokenize: the same authorization also places the order.
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 200)

	other := strings.Replace(customerTokenBody, `"purchase_currency":"SEK"`, `"purchase_currency":"NOK"`, 1)
	e = h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/customer-token", other), 409).errorV2(t)
	if e.ErrorMessages[0] != "Not matching fields: [purchase_currency]" {
		t.Errorf("mismatch: %+v", e)
	}
	h.expect(h.do("POST", "/payments/v1/authorizations/unknown/customer-token", customerTokenBody), 404)
}
