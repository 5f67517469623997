package mock

import (
	"strings"
	"testing"

	"github.com/kconform/kconform/generated/api"
)

// withAddress adds a billing address with postal code to a KP body.
func withAddress(body, postalCode string) string {
	return strings.Replace(body, `"purchase_country": "SE",`,
		`"purchase_country": "SE", "billing_address": {"given_name": "Karl", "postal_code": "`+postalCode+`", "country": "SE"},`, 1)
}

// The amount rules refuse with Klarna's 400 BAD_VALUE on create, update and
// create order; the rules themselves are tested in internal/amounts.
func TestAmountsRefused(t *testing.T) {
	h := newHarness(t, Options{})
	badTax := strings.Replace(kpBody, `"total_tax_amount": 1000`, `"total_tax_amount": 1100`, 1)
	badTax = strings.Replace(badTax, `"order_tax_amount": 5000`, `"order_tax_amount": 5100`, 1)
	e := h.expect(h.do("POST", "/payments/v1/sessions", badTax), 400).errorV2(t)
	if e.ErrorCode != "BAD_VALUE" || strings.Join(e.ErrorMessages, "|") != "Bad value: order_lines[1].total_tax_amount differs from the calculated value [1000] by more than [1]" {
		t.Errorf("create: %+v", e)
	}

	kpID := h.createKP(kpBody)
	// An update that changes the lines but not order_amount does not add up;
	// it is refused and changes nothing.
	update := `{"order_lines": [{"name": "Tomatoes", "quantity": 3, "unit_price": 10000, "tax_rate": 2500, "total_amount": 30000, "total_tax_amount": 6000}]}`
	e = h.expect(h.do("POST", "/payments/v1/sessions/"+kpID, update), 400).errorV2(t)
	if strings.Join(e.ErrorMessages, "|") != "Bad value: order_amount|Bad value: order_tax_amount" {
		t.Errorf("update: %+v", e)
	}
	var s api.SessionRead
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &s)
	if len(*s.OrderLines) != 2 {
		t.Errorf("a refused update changed the lines: %+v", *s.OrderLines)
	}
	fixed := strings.Replace(update, `{"order_lines"`, `{"order_amount": 30000, "order_tax_amount": 6000, "order_lines"`, 1)
	h.expect(h.do("POST", "/payments/v1/sessions/"+kpID, fixed), 204)

	token := h.authorize(h.createKP(kpBody))
	badTotal := strings.Replace(orderBody, `"quantity": 2`, `"quantity": 3`, 1)
	e = h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", badTotal), 400).errorV2(t)
	if strings.Join(e.ErrorMessages, "|") != "Bad value: order_lines[0].total_amount" {
		t.Errorf("order: %+v", e)
	}
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 200)
}

// The US model: the tax is a sales_tax line and every tax_rate is 0
// (klarna-payments-for-woocommerce session-us-sales-tax).
func TestAmountsUSModelAccepted(t *testing.T) {
	h := newHarness(t, Options{})
	h.expect(h.do("POST", "/payments/v1/sessions", `{"purchase_country": "US", "purchase_currency": "USD", "locale": "en-US",
	  "order_amount": 21700, "order_tax_amount": 1700, "order_lines": [
	    {"name": "Klarna Test Product", "quantity": 2, "unit_price": 10000, "tax_rate": 0, "total_amount": 20000, "total_discount_amount": 0, "total_tax_amount": 0, "type": "physical"},
	    {"name": "Sales Tax", "quantity": 1, "unit_price": 1700, "tax_rate": 0, "total_amount": 1700, "total_discount_amount": 0, "total_tax_amount": 0, "type": "sales_tax"}]}`), 200)
}

func TestCreateOrderAddressMismatch(t *testing.T) {
	h := newHarness(t, Options{})
	token := h.authorize(h.createKP(withAddress(kpBody, "41106")))
	order := withAddress(orderBody, "41107")
	order = strings.Replace(order, `"given_name": "Karl",`, `"given_name": "Karl", "organization_name": "Karl AB",`, 1)
	e := h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", order), 409).errorV2(t)
	if e.ErrorMessages[0] != "Not matching fields: [billing_address.organization_name, billing_address.postal_code]" {
		t.Errorf("address mismatch: %+v", e)
	}
	moreLines := strings.Replace(orderBody, `"order_lines": [`, `"order_lines": [{"name": "Extra", "quantity": 1, "unit_price": 0, "total_amount": 0},`, 1)
	e = h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", moreLines), 409).errorV2(t)
	if e.ErrorMessages[0] != "Not matching fields: [Incorrect number of items in the cart. Expected: 2, Actual: 3]" {
		t.Errorf("line count: %+v", e)
	}
	// An order that leaves the address out keeps the authorized one.
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 200)
}
