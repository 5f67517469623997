package contract_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/openapi"
)

const (
	waitingSession = `{"session_id":"39a1c773-bafd-754d-af1f-b30c592f1267","status":"WAITING",` +
		`"updated_at":"2019-05-13T14:51:46.288Z","expires_at":"2019-05-15T13:51:43.507Z"}`
	hppReadURL = "https://api.playground.klarna.com/hpp/v1/sessions/39a1c773-bafd-754d-af1f-b30c592f1267"
)

func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json;charset=utf-8"}} }

func hppRead(status int, body string) exchange.Exchange {
	return exchange.Exchange{Method: "GET", URL: hppReadURL, Status: status, ResponseHeader: jsonHeader(), ResponseBody: []byte(body)}
}

// pointers lists "rule@pointer" of the result's issues of one severity.
func pointers(r contract.Result, sev contract.Severity) []string {
	var out []string
	for _, i := range r.Issues {
		if i.Severity == sev {
			out = append(out, i.Rule+"@"+i.Pointer)
		}
	}
	return out
}

func TestFindMatchesAnyHostAndPrefix(t *testing.T) {
	v := contracttest.Validator(t)
	cases := []struct{ method, url, op, param string }{
		{"GET", "https://api.playground.klarna.com/hpp/v1/sessions/abc", "getSessionById", "abc"},
		{"GET", "https://api-oc.klarna.com/hpp/v1/sessions/abc", "getSessionById", "abc"},
		{"get", "http://127.0.0.1:8080/hpp/v1/sessions/abc?x=1", "getSessionById", "abc"},
		{"GET", "http://localhost:9/mocks/klarna/hpp/v1/sessions/a%2Fb", "getSessionById", "a/b"},
		{"POST", "http://[::1]:1/hpp/v1/sessions/abc/distribution", "distributeHppSession", "abc"},
		{"POST", "https://example.test/payments/v1/authorizations/tok/order", "createOrder", ""},
		{"DELETE", "https://example.test/payments/v1/authorizations/tok", "cancelAuthorization", ""},
		{"POST", "https://example.test/payments/v1/sessions", "createCreditSession", ""},
	}
	for _, c := range cases {
		op, params, err := v.Find(c.method, c.url)
		if err != nil {
			t.Errorf("%s %s: %v", c.method, c.url, err)
			continue
		}
		if op.ID != c.op {
			t.Errorf("%s %s matched %s, want %s", c.method, c.url, op.ID, c.op)
		}
		if c.param != "" && params["session_id"] != c.param {
			t.Errorf("%s %s: session_id = %q, want %q", c.method, c.url, params["session_id"], c.param)
		}
	}
	if _, _, err := v.Find("PUT", "https://api.klarna.com/hpp/v1/sessions/abc"); err != contract.ErrMethodNotAllowed {
		t.Errorf("PUT on a session: err = %v, want ErrMethodNotAllowed", err)
	}
	if _, _, err := v.Find("GET", "https://api.klarna.com/ordermanagement/v1/orders/abc"); err != contract.ErrNoOperation {
		t.Errorf("order management path: err = %v, want ErrNoOperation", err)
	}
}

// The four ways kin-openapi's defaults are lenient, each shown on kin-openapi
// alone (so the test documents why the fix exists) and then on ours.

func TestLeniencyClosedRoutingIgnoresServers(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:8080/hpp/v1/sessions/abc", nil)
	if _, _, err := router.FindRoute(req); err == nil {
		t.Fatalf("kin-openapi's router now matches hosts outside servers; revisit contract.Find")
	}
	op, _, err := contracttest.Validator(t).Find("GET", "http://127.0.0.1:8080/hpp/v1/sessions/abc")
	if err != nil || op.ID != "getSessionById" {
		t.Fatalf("contract.Find on a loopback host: op=%v err=%v", op, err)
	}
}

func TestLeniencyClosedUndocumentedStatus(t *testing.T) {
	v := contracttest.Validator(t)
	op, params, _ := v.Find("GET", hppReadURL)
	doc := v.Document()
	route := mustRoute(t, doc, "/hpp/v1/sessions/{session_id}", "GET")
	req, _ := http.NewRequest("GET", hppReadURL, nil)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 418,
		Header:                 jsonHeader(),
		Options:                &openapi3filter.Options{},
	}
	in.SetBodyBytes([]byte(`{}`))
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Fatalf("kin-openapi now rejects undocumented statuses by default (%v); revisit", err)
	}
	_ = op

	def := v.ValidateResponse(hppRead(418, `{}`), contract.Default)
	if got := pointers(def, contract.Warning); len(got) != 1 || got[0] != contract.RuleUndocumentedStatus+"@418" {
		t.Errorf("default mode: warnings %v, want one %s", got, contract.RuleUndocumentedStatus)
	}
	strict := v.ValidateResponse(hppRead(418, `{}`), contract.Strict)
	if strict.OK() {
		t.Errorf("strict mode accepted an undocumented 418")
	}
}

func TestLeniencyClosedFormats(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	uriSchema := doc.Components.Schemas["SessionCreationResponseV1"].Value.Properties["session_url"].Value
	if err := uriSchema.VisitJSON("not a url"); err != nil {
		t.Fatalf("kin-openapi now checks format uri by default (%v); revisit", err)
	}

	v := contracttest.Validator(t)
	cases := []struct{ op, body, pointer string }{
		{"createHppSession", `{"session_id":"s","session_url":"not a url","distribution_url":"https://a.test/d","expires_at":"2038-01-19T03:14:07Z"}`, "/session_url"},
		{"createHppSession", `{"session_id":"s","session_url":"/relative/only","distribution_url":"https://a.test/d","expires_at":"2038-01-19T03:14:07Z"}`, "/session_url"},
	}
	for _, c := range cases {
		r, err := v.ValidateBody(c.op, contract.Response, 201, "application/json", []byte(c.body), contract.Default)
		if err != nil {
			t.Fatal(err)
		}
		if got := pointers(r, contract.Violation); len(got) != 1 || got[0] != "schema.format@"+c.pointer {
			t.Errorf("%s: violations %v, want schema.format@%s", c.body, got, c.pointer)
		}
	}
	email := `{"method":"email","contact_information":{"email":"no-at-sign"}}`
	r, _ := v.ValidateBody("distributeHppSession", contract.Request, 0, "application/json", []byte(email), contract.Default)
	if got := pointers(r, contract.Violation); len(got) != 1 || got[0] != "schema.format@/contact_information/email" {
		t.Errorf("bad e-mail: violations %v", got)
	}
}

func TestLeniencyClosedUnknownFields(t *testing.T) {
	body := strings.Replace(waitingSession, `"status"`, `"auth_token":"x","status"`, 1)
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var value any = map[string]any{"auth_token": "x"}
	if err := doc.Components.Schemas["CustomerV1"].Value.VisitJSON(value); err != nil {
		t.Fatalf("kin-openapi now rejects unknown fields on open objects (%v); revisit", err)
	}

	v := contracttest.Validator(t)
	def := v.ValidateResponse(hppRead(200, body), contract.Default)
	if !def.OK() || strings.Join(pointers(def, contract.Warning), ",") != contract.RuleUnknownField+"@/auth_token" {
		t.Errorf("default mode: ok=%v warnings=%v, want one unknown-field warning at /auth_token", def.OK(), pointers(def, contract.Warning))
	}
	strict := v.ValidateResponse(hppRead(200, body), contract.Strict)
	if strict.OK() || strings.Join(pointers(strict, contract.Violation), ",") != contract.RuleUnknownField+"@/auth_token" {
		t.Errorf("strict mode: violations=%v, want one at /auth_token", pointers(strict, contract.Violation))
	}
	// ErrorV2 is declared open (additionalProperties: true): extra fields are not even warnings.
	errBody := `{"correlation_id":"c","error_code":"BAD_VALUE","error_messages":[],"fraud_status":"REJECTED"}`
	r := v.ValidateResponse(exchange.Exchange{Method: "GET", URL: hppReadURL, Status: 404,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Klarna-Correlation-Id": {"c"}},
		ResponseBody:   []byte(errBody)}, contract.Strict)
	if len(r.Issues) != 0 {
		t.Errorf("open error body: %v", r.Issues)
	}
}

func mustRoute(t *testing.T, doc *openapi3.T, path, method string) *routers.Route {
	t.Helper()
	item := doc.Paths.Value(path)
	return &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: item.GetOperation(method)}
}

func TestEveryViolationIsReported(t *testing.T) {
	body := `{"session_id":"","status":"COMPLETE","updated_at":"2019-05-13 14:51:46","expires_at":"yesterday"}`
	r := contracttest.Validator(t).ValidateResponse(hppRead(200, body), contract.Default)
	got := strings.Join(pointers(r, contract.Violation), " ")
	for _, want := range []string{"schema.minLength@/session_id", "schema.enum@/status", "schema.format@/updated_at", "schema.format@/expires_at"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
}

func TestCompletedSessionShapeDependsOnMode(t *testing.T) {
	v := contracttest.Validator(t)
	base := `"session_id":"s","updated_at":"2019-05-13T14:54:04.675Z","expires_at":"2019-05-15T13:51:43.507Z"`
	cases := []struct {
		name, body string
		ok         bool
	}{
		{"default mode: token", `{` + base + `,"status":"COMPLETED","authorization_token":"t"}`, true},
		{"place order: order and reference", `{` + base + `,"status":"COMPLETED","order_id":"o","klarna_reference":"X438HG0Q"}`, true},
		{"neither token nor order", `{` + base + `,"status":"COMPLETED"}`, false},
		{"both token and order", `{` + base + `,"status":"COMPLETED","authorization_token":"t","order_id":"o","klarna_reference":"k"}`, false},
		{"order without reference", `{` + base + `,"status":"COMPLETED","order_id":"o"}`, false},
		{"waiting with a token", `{` + base + `,"status":"WAITING","authorization_token":"t"}`, false},
		{"failed, plain", `{` + base + `,"status":"FAILED"}`, true},
	}
	for _, c := range cases {
		r := v.ValidateResponse(hppRead(200, c.body), contract.Strict)
		if r.OK() != c.ok {
			t.Errorf("%s: ok=%v, want %v; issues %v", c.name, r.OK(), c.ok, r.Issues)
		}
		if !c.ok && !strings.Contains(strings.Join(pointers(r, contract.Violation), " "), "schema.oneOf@") {
			t.Errorf("%s: want a oneOf violation naming the shapes, got %v", c.name, r.Issues)
		}
	}
}

func TestEmptyAndNonJSONBodiesWhereRealServersSendThem(t *testing.T) {
	v := contracttest.Validator(t)
	kpRead := "https://api.playground.klarna.com/payments/v1/sessions/s"
	cases := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		violation string
	}{
		{"empty 429 with no content type (envoy)", 429, http.Header{}, "", ""},
		{"HTML 401 from the edge proxy", 401, http.Header{"Content-Type": {"text/html"}}, "<html>401 Authorization Required</html>", ""},
		{"empty 401", 401, http.Header{}, "", ""},
		{"empty 404 is not allowed", 404, http.Header{"Klarna-Correlation-Id": {"c"}}, "", contract.RuleBodyMissing + "@"},
		{"404 without correlation header", 404, http.Header{"Content-Type": {"application/json"}},
			`{"correlation_id":"c","error_code":"NOT_FOUND","error_messages":["Invalid session id"]}`, contract.RuleHeaderMissing + "@Klarna-Correlation-Id"},
		{"404 as text/plain", 404, http.Header{"Content-Type": {"text/plain"}, "Klarna-Correlation-Id": {"c"}}, "not found", contract.RuleContentType + "@"},
		{"404 with broken JSON", 404, http.Header{"Content-Type": {"application/json"}, "Klarna-Correlation-Id": {"c"}}, `{"correlation_id":`, contract.RuleBodyMalformed + "@"},
		{"404 correlation ids differ", 404, http.Header{"Content-Type": {"application/json"}, "Klarna-Correlation-Id": {"a"}},
			`{"correlation_id":"b","error_code":"NOT_FOUND","error_messages":[]}`, contract.RuleCorrelationMismatch + "@/correlation_id"},
	}
	for _, c := range cases {
		r := v.ValidateResponse(exchange.Exchange{Method: "GET", URL: kpRead, Status: c.status, ResponseHeader: c.header, ResponseBody: []byte(c.body)}, contract.Strict)
		got := strings.Join(pointers(r, contract.Violation), " ")
		if got != c.violation {
			t.Errorf("%s: violations %q, want %q", c.name, got, c.violation)
		}
	}
}

func TestRejectedBadRequestConforms(t *testing.T) {
	// The real solidus capture: an empty KP create body answered 400 BAD_VALUE.
	ex := exchange.Exchange{
		Method: "POST", URL: "https://api-na.playground.klarna.com/payments/v1/sessions",
		RequestHeader: http.Header{"Content-Type": {"application/json"}}, RequestBody: []byte(`{}`),
		Status:         400,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Klarna-Correlation-Id": {"c"}},
		ResponseBody:   []byte(`{"correlation_id":"c","error_code":"BAD_VALUE","error_messages":["Bad value: purchase_currency, purchase_country"]}`),
	}
	v := contracttest.Validator(t)
	r := v.Validate(ex, contract.Strict)
	if !r.OK() {
		t.Fatalf("a correct 400 for a bad request must conform: %v", r.Issues)
	}
	if len(r.Warnings()) == 0 {
		t.Errorf("the bad request's issues should still be reported as warnings")
	}
	// The same bad request answered 200 is a violation of the request half.
	ex.Status, ex.ResponseBody = 200, []byte(`{"session_id":"s","client_token":"t"}`)
	if r := v.Validate(ex, contract.Default); r.OK() {
		t.Errorf("a bad request that was accepted must not conform")
	}
}

func TestRequestChecks(t *testing.T) {
	v := contracttest.Validator(t)
	del := exchange.Exchange{Method: "DELETE", URL: "https://api.klarna.com/hpp/v1/sessions/s",
		RequestHeader: http.Header{"Content-Type": {"application/json"}}, Status: 204}
	if r := v.Validate(del, contract.Strict); !r.OK() || len(r.Issues) != 0 {
		t.Errorf("empty-body DELETE with a JSON content type: %v", r.Issues)
	}
	nullOptions := `{"purchase_country":"US","purchase_currency":"USD","order_amount":1,"options":null,` +
		`"order_lines":[{"name":"n","quantity":1,"total_amount":1,"unit_price":1}],"locale":"EN"}`
	r, _ := v.ValidateBody("createCreditSession", contract.Request, 0, "application/json", []byte(nullOptions), contract.Strict)
	if len(r.Issues) != 0 {
		t.Errorf(`"options": null and locale "EN" must be accepted: %v`, r.Issues)
	}
	missing := exchange.Exchange{Method: "POST", URL: "https://api.klarna.com/hpp/v1/sessions",
		RequestHeader: http.Header{"Content-Type": {"application/json"}}}
	if got := pointers(v.ValidateRequest(missing, contract.Default), contract.Violation); strings.Join(got, ",") != contract.RuleBodyMissing+"@" {
		t.Errorf("missing required body: %v", got)
	}
	bothCategories := `{"payment_session_url":"https://api.klarna.com/payments/v1/sessions/k",` +
		`"options":{"payment_method_category":"PAY_NOW","payment_method_categories":["PAY_NOW"]}}`
	r, _ = v.ValidateBody("createHppSession", contract.Request, 0, "application/json", []byte(bothCategories), contract.Default)
	if got := pointers(r, contract.Violation); strings.Join(got, ",") != "schema.not@/options" {
		t.Errorf("both category fields: %v", got)
	}
}

func TestMessagesNeverEchoValues(t *testing.T) {
	secret := "s3cr3t-Value-that-must-not-leak"
	bodies := []string{
		`{"session_id":"s","status":"` + secret + `","updated_at":"x` + secret + `","expires_at":"2019-05-15T13:51:43.507Z"}`,
		`{"session_id":"s","status":"COMPLETED","authorization_token":"` + secret + `","order_id":"o","klarna_reference":"k","updated_at":"2019-05-13T14:54:04.675Z","expires_at":"2019-05-15T13:51:43.507Z"}`,
	}
	for _, b := range bodies {
		r := contracttest.Validator(t).ValidateResponse(hppRead(200, b), contract.Strict)
		if r.OK() {
			t.Fatalf("expected violations for %s", b)
		}
		for _, i := range r.Issues {
			if strings.Contains(i.String(), secret) {
				t.Errorf("issue echoes the value: %s", i)
			}
		}
	}
}

func TestCallbackBodies(t *testing.T) {
	v := contracttest.Validator(t)
	good := `{"event_id":"270b2adc-9a2d-4b4c-8b2f-8b6a4f0a9c11","session":` + waitingSession + `}`
	if r, err := v.ValidateCallback("hppStatusUpdateCallback", "application/json", []byte(good), contract.Strict); err != nil || !r.OK() {
		t.Errorf("good callback: %v %v", err, r.Issues)
	}
	bad := `{"session":{"session_id":"s","status":"TIMEOUT","updated_at":"2019-05-13T14:51:46.288Z","expires_at":"2019-05-15T13:51:43.507Z"}}`
	r, _ := v.ValidateCallback("hppStatusUpdateCallback", "application/json", []byte(bad), contract.Default)
	got := strings.Join(pointers(r, contract.Violation), " ")
	for _, want := range []string{"schema.required@/event_id", "schema.enum@/session/status"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	if _, err := v.ValidateCallback("getSessionById", "application/json", nil, contract.Default); err == nil {
		t.Errorf("a normal operation is not a callback")
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]contract.Mode{"": contract.Default, "default": contract.Default, "STRICT": contract.Strict} {
		if got, err := contract.ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := contract.ParseMode("lenient"); err == nil || !strings.Contains(err.Error(), "lenient") {
		t.Errorf("ParseMode(lenient) error must name the value: %v", err)
	}
}

// A duplicate key and a number no float64 holds are violations at their
// pointer, in the user's terms (issue 11, items 6 and 7).
func TestDuplicateKeysAndNumbersOutOfRange(t *testing.T) {
	v := contracttest.Validator(t)
	hppRead := "https://api.klarna.com/hpp/v1/sessions/s1"
	waiting := `"session_id":"s1","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z"`
	for _, tt := range []struct {
		body, want string
	}{
		{`{` + waiting + `}`, ""},
		// First-wins readers see WAITING, last-wins ones COMPLETED.
		{`{` + waiting + `,"status":"COMPLETED"}`, contract.RuleBodyDuplicateKey + "@/status"},
	} {
		r := v.ValidateResponse(exchange.Exchange{Method: "GET", URL: hppRead, Status: 200,
			ResponseHeader: http.Header{"Content-Type": {"application/json"}}, ResponseBody: []byte(tt.body)}, contract.Default)
		// The last COMPLETED has no authorization_token: oneOf fails too.
		got := pointers(r, contract.Violation)
		if tt.want == "" && len(got) != 0 || tt.want != "" && !slices.Contains(got, tt.want) {
			t.Errorf("%s: violations %v; want %q", tt.body, got, tt.want)
		}
	}
	kpCreate := "https://api.klarna.com/payments/v1/sessions"
	r := v.ValidateRequest(exchange.Exchange{Method: "POST", URL: kpCreate,
		RequestHeader: http.Header{"Content-Type": {"application/json"}},
		RequestBody:   []byte(`{"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","order_amount":1e400,"order_lines":[]}`)}, contract.Default)
	got := pointers(r, contract.Violation)
	// The empty order_lines is reported too: the number does not hide it.
	if strings.Join(got, " ") != contract.RuleNumberOutOfRange+"@/order_amount schema.minItems@/order_lines" {
		t.Errorf("1e400: violations %v", got)
	}
	for _, i := range r.Issues {
		if strings.Contains(i.Message, "float64") || strings.Contains(i.Message, "unmarshal") {
			t.Errorf("message in Go terms: %s", i)
		}
	}
}
