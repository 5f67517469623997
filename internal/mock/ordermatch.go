package mock

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/kconform/kconform/generated/api"
)

// What a create-order body must match: the session as it was authorized.
// Klarna answers 409 BAD_VALUE "Not matching fields: [...]" naming each
// field by path (D-kperr; D-kporder "Not matching fields:
// [billing_address.postal_…"; krokedil/klarna-payments-for-woocommerce
// issue 132: "[shipping_address.organization_name]" when the order adds a
// field the authorization lacked; issue 169: "[Incorrect number of items in
// the cart. Expected: 4, Actual: 5]").

// snapshotOrder records what an order on this authorization must match.
func snapshotOrder(d *api.Session) orderSnapshot {
	var o orderSnapshot
	if d.OrderAmount != nil {
		o.amount = *d.OrderAmount
	}
	if d.PurchaseCurrency != nil {
		o.currency = *d.PurchaseCurrency
	}
	if d.PurchaseCountry != nil {
		o.country = *d.PurchaseCountry
	}
	if d.OrderLines != nil {
		o.lines = *d.OrderLines
	}
	o.taxAmount, o.locale = d.OrderTaxAmount, d.Locale
	o.billing, o.shipping, o.customer = d.BillingAddress, d.ShippingAddress, d.Customer
	return o
}

// mismatches names the fields of a create-order body that differ from the
// authorized session, in a fixed order. Codes are compared ignoring case,
// since the contract accepts both. Optional fields (order_tax_amount,
// locale, the addresses, customer) are compared when both sides have them:
// an order that leaves one out keeps the authorized one (assumption: no
// source covers an omitted object). address-mismatch-accepted compares only
// amounts, codes and lines.
func (o orderSnapshot) mismatches(b *api.CreateOrderRequest, faults faultSet) []string {
	var bad []string
	if b.OrderAmount != o.amount {
		bad = append(bad, "order_amount")
	}
	if b.OrderTaxAmount != nil && o.taxAmount != nil && *b.OrderTaxAmount != *o.taxAmount {
		bad = append(bad, "order_tax_amount")
	}
	if !strings.EqualFold(b.PurchaseCurrency, o.currency) {
		bad = append(bad, "purchase_currency")
	}
	if !strings.EqualFold(b.PurchaseCountry, o.country) {
		bad = append(bad, "purchase_country")
	}
	if len(b.OrderLines) != len(o.lines) {
		bad = append(bad, fmt.Sprintf("Incorrect number of items in the cart. Expected: %d, Actual: %d", len(o.lines), len(b.OrderLines)))
	} else {
		for i := range b.OrderLines {
			bad = append(bad, differingFields(fmt.Sprintf("order_lines[%d]", i), o.lines[i], b.OrderLines[i])...)
		}
	}
	if faults.has(FaultAddressMismatchAccepted) {
		return bad
	}
	if b.Locale != nil && o.locale != nil && !strings.EqualFold(*b.Locale, *o.locale) {
		bad = append(bad, "locale")
	}
	if b.BillingAddress != nil && o.billing != nil {
		bad = append(bad, differingFields("billing_address", *o.billing, *b.BillingAddress)...)
	}
	if b.ShippingAddress != nil && o.shipping != nil {
		bad = append(bad, differingFields("shipping_address", *o.shipping, *b.ShippingAddress)...)
	}
	if b.Customer != nil && o.customer != nil {
		bad = append(bad, differingFields("customer", *o.customer, *b.Customer)...)
	}
	return bad
}

// differingFields names, as prefix.field in the order of the field names,
// every field set on one side and not the other or set to another value.
// Nested objects (a line's product_identifiers) are named as a whole.
func differingFields(prefix string, authorized, ordered any) []string {
	a, b := fieldsOf(authorized), fieldsOf(ordered)
	names := make([]string, 0, len(a)+len(b))
	for k := range a {
		names = append(names, k)
	}
	for k := range b {
		if _, dup := a[k]; !dup {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []string
	for _, k := range names {
		if !reflect.DeepEqual(a[k], b[k]) {
			out = append(out, prefix+"."+k)
		}
	}
	return out
}

// fieldsOf is a generated struct as its JSON object; omitempty leaves the
// unset fields out. The types here always encode.
func fieldsOf(v any) map[string]any {
	raw, _ := json.Marshal(v)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}
