package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
)

const (
	kpBase       = "https://api-na.playground.klarna.com/payments/v1"
	kpSessionURL = kpBase + "/sessions"
	kpReadURL    = kpBase + "/sessions/0b1d9815-165e-42e2-8867-35bc03789e00"
	kpOrderURL   = kpBase + "/authorizations/5ab38828-3664-3246-9785-31d37f75978c/order"
	kpTokenURL   = kpBase + "/authorizations/3fbd1fac-a764-3851-b35e-3a58a7aa52be/customer-token"
	correlation  = "65bcf209-a598-42a0-94bb-b953b61693d9"

	orderLine = `{"name":"Running shoe","quantity":1,"unit_price":2999,"total_amount":2999}`
	kpBody    = `{"purchase_country":"US","purchase_currency":"USD","locale":"en-US","order_amount":2999,"order_lines":[` + orderLine + `]}`
	orderOK   = `{"order_id":"25b8d321-bae8-3251-9c49-5422ade735c0","fraud_status":"ACCEPTED","authorized_payment_method":{"type":"invoice"}}`
	tokenBody = `{"description":"Gym membership","intended_use":"SUBSCRIPTION","locale":"en-US","purchase_country":"US","purchase_currency":"USD"}`
	tokenOK   = `{"token_id":"b0ec0bbd-534c-4b1c-b28a-628bf33c3324","redirect_url":"https://credit.klarna.com/v1/sessions/x/redirect"}`
	createOK  = `{"session_id":"0b1d9815-165e-42e2-8867-35bc03789e00","client_token":"eyJhbGciOiJub25lIn0.e30."}`
	readOK    = `{"status":"incomplete","purchase_country":"US","purchase_currency":"USD","order_amount":2999,"order_lines":[` + orderLine + `]}`
)

// post is an accepted POST exchange: the request and a 2xx answer.
func post(url, reqBody string, status int, respBody string) exchange.Exchange {
	h := jsonHeader()
	h.Set("Klarna-Correlation-Id", correlation)
	ex := exchange.Exchange{
		Method: "POST", URL: url, Status: status,
		RequestHeader: http.Header{"Content-Type": {"application/json"}}, RequestBody: []byte(reqBody),
		ResponseHeader: h,
	}
	if respBody != "" {
		ex.ResponseBody = []byte(respBody)
	} else {
		ex.ResponseHeader = http.Header{"Klarna-Correlation-Id": {correlation}}
	}
	return ex
}

func kpRead(body string) exchange.Exchange {
	h := jsonHeader()
	h.Set("Klarna-Correlation-Id", correlation)
	return exchange.Exchange{Method: "GET", URL: kpReadURL, Status: 200, ResponseHeader: h, ResponseBody: []byte(body)}
}

// issues lists "severity rule@pointer" of every issue, in order.
func issues(r contract.Result) []string {
	var out []string
	for _, i := range r.Issues {
		out = append(out, string(i.Severity)+" "+i.Rule+"@"+i.Pointer)
	}
	return out
}

func expectIssues(t *testing.T, what string, r contract.Result, want ...string) {
	t.Helper()
	if got := issues(r); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("%s: issues %v, want %v", what, got, want)
	}
}

// Each leniency class: in a request a real server accepted it is a warning
// by default and a violation in strict mode; the same departure in a
// response (or in a callback, which Klarna sends) stays a violation.
func TestRequestLeniencyClasses(t *testing.T) {
	v := contracttest.Validator(t)
	cases := []struct {
		name    string
		request exchange.Exchange
		pointer string
		rule    string
		// response is the same departure where the server is the sender,
		// and where it is in that body.
		response   exchange.Exchange
		responseAt string
	}{
		{
			name: "read-only field in a request (REC-nebulab create order)",
			request: post(kpOrderURL, strings.Replace(kpBody, `{`, `{"status":"complete","authorization_token":"cfbb0ccf","payment_method_categories":[{"identifier":"pay_later"}],`, 1),
				200, orderOK),
			pointer: "/authorization_token,/payment_method_categories,/status", rule: contract.RuleReadOnly,
		},
		{
			name:       "enum value differing only in case (REC-nebulab intended_use)",
			request:    post(kpTokenURL, strings.Replace(tokenBody, `"SUBSCRIPTION"`, `"subscription"`, 1), 200, tokenOK),
			pointer:    "/intended_use",
			rule:       contract.RuleEnum,
			response:   kpRead(strings.Replace(readOK, `"incomplete"`, `"Incomplete"`, 1)),
			responseAt: "/status",
		},
		{
			name: "null in an optional field (REC-solidus-null image_url)",
			request: post(kpSessionURL, strings.Replace(kpBody, `"name":"Running shoe"`, `"name":"Running shoe","image_url":null`, 1),
				200, createOK),
			pointer:    "/order_lines/0/image_url",
			rule:       contract.RuleNullable,
			response:   kpRead(strings.Replace(readOK, `"name":"Running shoe"`, `"name":"Running shoe","image_url":null`, 1)),
			responseAt: "/order_lines/0/image_url",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for _, p := range strings.Split(c.pointer, ",") {
				want = append(want, c.rule+"@"+p)
			}
			def := v.Validate(c.request, contract.Default)
			if !def.OK() || strings.Join(pointers(def, contract.Warning), ",") != strings.Join(want, ",") {
				t.Errorf("default: ok %v, issues %v; want only warnings %v", def.OK(), issues(def), want)
			}
			strict := v.Validate(c.request, contract.Strict)
			if strict.OK() || strings.Join(pointers(strict, contract.Violation), ",") != strings.Join(want, ",") {
				t.Errorf("strict: ok %v, issues %v; want violations %v", strict.OK(), issues(strict), want)
			}
			for _, is := range def.Issues {
				if strings.Contains(is.Message, "cfbb0ccf") || strings.Contains(is.Message, "subscription") {
					t.Errorf("message echoes the value: %s", is.Message)
				}
			}
			if c.response.Method == "" {
				return // a read-only field in a response is what read-only means
			}
			res := v.Validate(c.response, contract.Default)
			expectIssues(t, "response", res, "violation "+c.rule+"@"+c.responseAt)
		})
	}
}

// The classes are narrow: what lies outside them stays a violation.
func TestRequestLeniencyLimits(t *testing.T) {
	v := contracttest.Validator(t)
	for _, c := range []struct {
		name string
		ex   exchange.Exchange
		want []string
	}{
		{"not a case variant", post(kpTokenURL, strings.Replace(tokenBody, `"SUBSCRIPTION"`, `"SUBSCRIPTIONS"`, 1), 200, tokenOK),
			[]string{"violation schema.enum@/intended_use"}},
		{"null in a required field", post(kpSessionURL, strings.Replace(kpBody, `"purchase_country":"US"`, `"purchase_country":null`, 1), 200, createOK),
			[]string{"violation schema.nullable@/purchase_country"}},
		{"null in a required field of an array item", post(kpSessionURL, strings.Replace(kpBody, `"quantity":1`, `"quantity":null`, 1), 200, createOK),
			[]string{"violation schema.nullable@/order_lines/0/quantity"}},
		{"null in a nullable field is no departure", post(kpSessionURL, strings.Replace(kpBody, `{`, `{"options":null,`, 1), 200, createOK),
			nil},
		// A callback is sent by Klarna: held to the contract like a response.
	} {
		expectIssues(t, c.name, v.Validate(c.ex, contract.Default), c.want...)
	}
	cb := `{"event_id":"e1","session":{"session_id":"39a1c773-bafd-754d-af1f-b30c592f1267","status":"waiting",` +
		`"updated_at":"2019-05-13T14:51:46.288Z","expires_at":"2019-05-15T13:51:43.507Z"}}`
	res, err := v.ValidateCallback("hppStatusUpdateCallback", "application/json", []byte(cb), contract.Default)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() {
		t.Errorf("a callback's status in lower case must be a violation: %v", issues(res))
	}
	for _, is := range res.Issues {
		if is.Severity == contract.Warning && is.Rule == contract.RuleEnum {
			t.Errorf("a callback got the request leniency: %v", is)
		}
	}
}
