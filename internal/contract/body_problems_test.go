package contract_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
)

// A number out of range or a duplicate key is reported at its pointer, and
// the rest of the body is still checked: before, 1e400 hid every other
// problem of its body (only body.number-out-of-range was reported).
func TestBodyProblemsDoNotHideTheRest(t *testing.T) {
	v := contracttest.Validator(t)
	kpCreate := "https://api.klarna.com/payments/v1/sessions"
	for _, tt := range []struct {
		body string
		want []string
	}{
		{`{"purchase_country":123,"order_amount":1e400}`, []string{
			contract.RuleNumberOutOfRange + "@/order_amount",
			"schema.required@/order_lines",
			"schema.required@/purchase_currency",
			"schema.type@/purchase_country",
		}},
		// In an array, negative, and next to a field of the wrong type.
		{`{"purchase_country":"SE","purchase_currency":"SEK","order_amount":100,"order_lines":[{"name":"x","quantity":-1e400,"unit_price":"100","total_amount":100}]}`, []string{
			contract.RuleNumberOutOfRange + "@/order_lines/0/quantity",
			"schema.type@/order_lines/0/unit_price",
		}},
		// The number is the only problem: nothing else is reported, not
		// even at its own pointer (its schema cannot judge a value it
		// cannot hold).
		{`{"purchase_country":"SE","purchase_currency":"SEK","order_amount":1e400,"order_lines":[{"name":"x","quantity":1,"unit_price":100,"total_amount":100}]}`, []string{
			contract.RuleNumberOutOfRange + "@/order_amount",
		}},
		// A duplicate key: reported, and the rest is checked; what its
		// last value breaks is the duplicate's doing, counted in it.
		{`{"purchase_country":"SE","purchase_country":7,"order_amount":"x"}`, []string{
			contract.RuleBodyDuplicateKey + "@/purchase_country",
			"schema.required@/order_lines",
			"schema.required@/purchase_currency",
			"schema.type@/order_amount",
		}},
	} {
		r := v.ValidateRequest(exchange.Exchange{Method: "POST", URL: kpCreate,
			RequestHeader: http.Header{"Content-Type": {"application/json"}}, RequestBody: []byte(tt.body)}, contract.Default)
		got := pointers(r, contract.Violation)
		slices.Sort(got)
		slices.Sort(tt.want)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s:\n got %v\nwant %v", tt.body, got, tt.want)
		}
	}
}

// A body that starts with a byte order mark says so, in words: it once read
// "invalid character 'ï' looking for beginning of value", Go's rendering of
// the BOM's first byte.
func TestBodyWithAByteOrderMarkSaysSo(t *testing.T) {
	v := contracttest.Validator(t)
	r := v.ValidateRequest(exchange.Exchange{Method: "POST", URL: "https://api.klarna.com/payments/v1/sessions",
		RequestHeader: http.Header{"Content-Type": {"application/json"}}, RequestBody: []byte("\ufeff{}")}, contract.Default)
	msg := ""
	for _, i := range r.Issues {
		if i.Rule == contract.RuleBodyMalformed {
			msg = i.Message
		}
	}
	if !strings.Contains(msg, "byte order mark") || strings.Contains(msg, "ï") {
		t.Errorf("%s message %q; want it to name the byte order mark", contract.RuleBodyMalformed, msg)
	}
}

// One key twice in a body is one defect: the violations that follow from
// the value kept (its enum, the shape of the object it decides) are named
// in the duplicate-key issue, not counted apart; a violation elsewhere in
// the body still is. Before, a status given as "WAITING" then "COMPLETE"
// counted 3 violations.
func TestDuplicateKeyIsOneViolation(t *testing.T) {
	v := contracttest.Validator(t)
	for _, tt := range []struct {
		body, folded string
		want         []string
	}{
		{strings.Replace(waitingSession, `"status":"WAITING"`, `"status":"WAITING","status":"COMPLETE"`, 1),
			"/status [schema.enum], (root) [schema.oneOf]", []string{contract.RuleBodyDuplicateKey + "@/status"}},
		{strings.Replace(waitingSession, `"status":"WAITING"`, `"status":"WAITING","status":"COMPLETED"`, 1),
			"(root) [schema.oneOf]", []string{contract.RuleBodyDuplicateKey + "@/status"}},
		{strings.Replace(strings.Replace(waitingSession, `"status":"WAITING"`, `"status":"WAITING","status":"COMPLETE"`, 1), `"session_id":"39a1c773-bafd-754d-af1f-b30c592f1267"`, `"session_id":""`, 1),
			"/status [schema.enum]", []string{contract.RuleBodyDuplicateKey + "@/status", "schema.minLength@/session_id"}},
	} {
		r := v.ValidateResponse(hppRead(200, tt.body), contract.Default)
		got := pointers(r, contract.Violation)
		slices.Sort(got)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s:\n got %v\nwant %v", tt.body, got, tt.want)
		}
		if msg := issueAt(r, contract.RuleBodyDuplicateKey, "/status"); !strings.Contains(msg, "also fails "+tt.folded) {
			t.Errorf("%s: the duplicate key says %q, want it to name %s", tt.body, msg, tt.folded)
		}
	}
}
