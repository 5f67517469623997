package mock

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/groundtruth"
	"github.com/kconform/kconform/internal/recording"
)

func TestInvalidRequestsGetBadValue(t *testing.T) {
	h := newHarness(t, Options{})
	for _, tc := range []struct {
		name, body, message string
	}{
		{"currency", strings.Replace(kpBody, `"SEK"`, `"SE"`, 1), "Bad value: purchase_currency"},
		{"line name", strings.Replace(kpBody, `"Tomatoes"`, `""`, 1), "Bad value: order_lines[0].name"},
		{"nested index", strings.Replace(kpBody, `"tax_rate": 2500, "total_amount": 5000`, `"tax_rate": 20000, "total_amount": 5000`, 1), "Bad value: order_lines[1].tax_rate"},
		{"several", `{"order_lines":[]}`, "Bad value: order_amount, purchase_country, purchase_currency, order_lines"},
		{"enum not a case variant", strings.Replace(kpBody, `"locale"`, `"acquiring_channel": "online", "locale"`, 1), "Bad value: acquiring_channel"},
		{"null in a required field", strings.Replace(kpBody, `"quantity": 2`, `"quantity": null`, 1), "Bad value: order_lines[0].quantity"},
		{"malformed", `{"purchase_country":`, "Bad value: body"},
		{"not an object", `[1,2]`, "Bad value: body"},
		{"wrong type", strings.Replace(kpBody, `"order_amount": 25000`, `"order_amount": "25000"`, 1), "Bad value: order_amount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := h.expect(h.do("POST", "/payments/v1/sessions", tc.body), 400).errorV2(t)
			if e.ErrorCode != "BAD_VALUE" || len(e.ErrorMessages) != 1 {
				t.Fatalf("%+v", e)
			}
			if got := e.ErrorMessages[0]; !sameFields(got, tc.message) {
				t.Errorf("message %q, want %q", got, tc.message)
			}
		})
	}
	e := h.expect(h.send("POST", "/payments/v1/sessions", kpBody, func(r *http.Request) {
		r.SetBasicAuth(DefaultUsername, DefaultPassword)
		r.Header.Del("Content-Type")
	}), 400).errorV2(t)
	if e.ErrorMessages[0] != "Bad value: Content-Type" {
		t.Errorf("no content type: %+v", e)
	}
	h.expect(h.do("POST", "/payments/v1/sessions", ""), 400)
	h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"not a url"}`), 400)
	h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://a/payments/v1/sessions/x","options":{"payment_method_category":"KLARNA","payment_method_categories":["PAY_NOW"]}}`), 400)
}

// sameFields compares "Bad value: a, b" messages ignoring the order of the fields.
func sameFields(got, want string) bool {
	split := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, f := range strings.Split(strings.TrimPrefix(s, "Bad value: "), ", ") {
			m[f] = true
		}
		return m
	}
	g, w := split(got), split(want)
	if !strings.HasPrefix(got, "Bad value: ") || len(g) != len(w) {
		return false
	}
	for f := range w {
		if !g[f] {
			return false
		}
	}
	return true
}

func TestPointerToField(t *testing.T) {
	eachCase(t, "pointerToField", pointerToField, map[string]string{
		"":                         "body",
		"/purchase_currency":       "purchase_currency",
		"/order_lines/0/name":      "order_lines[0].name",
		"/billing_address/country": "billing_address.country",
		"/a~1b/c~0d":               "a/b.c~d",
		"/0":                       "0",
	})
}

func TestRequestsKlarnaAcceptsAreAccepted(t *testing.T) {
	h := newHarness(t, Options{})
	// "options": null, locale "EN", unknown fields at every depth.
	body := strings.Replace(kpBody, `"locale": "sv-SE"`, `"locale": "EN", "options": null, "brand_new_field": {"x": 1}`, 1)
	body = strings.Replace(body, `"name": "Tomatoes"`, `"name": "Tomatoes", "colour": "red"`, 1)
	kpID := h.createKP(body)
	var s api.SessionRead
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &s)
	if *s.Locale != "EN" || s.Options != nil {
		t.Errorf("read back: locale %v options %v", *s.Locale, s.Options)
	}
	hpp := h.createHPP(kpID, map[string]any{"unknown": true, "options": map[string]any{"page_title": "Hi", "payment_fallback": true}})
	// The DELETE real clients send: Content-Type set, no body.
	h.expect(h.send("DELETE", "/hpp/v1/sessions/"+hpp.SessionId, "", func(r *http.Request) {
		r.SetBasicAuth(DefaultUsername, DefaultPassword)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Cache-Control", "no-cache")
	}), 204)
}

// Klarna's playground accepted read-only fields, enum values in another case
// and nulls in optional fields (contract/lenient.go); so does the mock, and
// what it stores and echoes is the contract's: the session's own status and
// token, the enum value in the contract's case, no null.
func TestLenientRequestsAreReadAsKlarnaReadsThem(t *testing.T) {
	h := newHarness(t, Options{})
	body := strings.Replace(kpBody, `"locale"`, `"status": "complete", "client_token": "forged", "acquiring_channel": "ecommerce", "intent": "BUY_AND_TOKENIZE", "design": null, "locale"`, 1)
	body = strings.Replace(body, `"name": "Tomatoes"`, `"name": "Tomatoes", "image_url": null`, 1)
	kpID := h.createKP(body)
	var s api.SessionRead
	r := h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200)
	r.json(t, &s)
	if *s.Status != api.Incomplete || *s.ClientToken == "forged" || *s.AcquiringChannel != api.ECOMMERCE || *s.Intent != api.BuyAndTokenize {
		t.Errorf("read back: status %v, acquiring_channel %v, intent %v", *s.Status, *s.AcquiringChannel, *s.Intent)
	}
	if strings.Contains(string(r.body), "null") {
		t.Errorf("a null was stored and echoed: %s", r.body)
	}
	// A customer token needs a tokenizing intent: the case variant counted.
	token := h.authorize(kpID)
	h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/customer-token",
		`{"description":"Gym","intended_use":"subscription","locale":"sv-SE","purchase_country":"SE","purchase_currency":"SEK"}`), 200)
}

func TestResponseHeaders(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.expect(h.do("POST", "/payments/v1/sessions", kpBody), 200)
	if ct := r.header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
		t.Errorf("success content type %q", ct)
	}
	if r.header.Get("Klarna-Correlation-Id") == "" {
		t.Error("no correlation id on a success")
	}
	a := h.expect(h.do("GET", "/payments/v1/sessions/x", ""), 404)
	b := h.expect(h.do("GET", "/payments/v1/sessions/x", ""), 404)
	if a.errorV2(t).CorrelationId == b.errorV2(t).CorrelationId {
		t.Error("correlation id reused")
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error content type %q", ct)
	}
}

func TestUnknownEndpoints(t *testing.T) {
	h := newHarness(t, Options{})
	// A path the API does not have is a router's plain 404, not Klarna's
	// error shape, whatever its method: under a prefix, with a trailing
	// slash, or not at all. 405 only where the path itself exists. (The
	// harness's contract check finds operations leniently, under prefixes.)
	h.allowOffContract(true)
	for _, c := range []struct{ method, path string }{
		{"GET", "/payments/v1/nothing"},
		{"POST", "/klarna/payments/v1/sessions"},
		{"GET", "/klarna/hpp/v1/sessions/x"},
		{"GET", "/hpp/v1/sessions/x/"},
		{"GET", "/"},
	} {
		r := h.expect(h.do(c.method, c.path, ""), 404)
		if r.header.Get("Allow") != "" || strings.Contains(string(r.body), "error_code") {
			t.Errorf("%s %s: Allow %q, body %q; want a plain 404", c.method, c.path, r.header.Get("Allow"), r.body)
		}
	}
	h.allowOffContract(false)
	r := h.expect(h.do("PUT", "/hpp/v1/sessions/x", `{}`), 405)
	if r.header.Get("Allow") != "GET, DELETE" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	r.errorV2(t)
}

func TestAuthentication(t *testing.T) {
	h := newHarness(t, Options{Username: "merchant", Password: "pa55"})
	for name, edit := range map[string]func(*http.Request){
		"none":           nil,
		"wrong password": func(r *http.Request) { r.SetBasicAuth("merchant", "nope") },
		"wrong user":     func(r *http.Request) { r.SetBasicAuth("someone", "pa55") },
		"defaults":       func(r *http.Request) { r.SetBasicAuth(DefaultUsername, DefaultPassword) },
		"bearer":         func(r *http.Request) { r.Header.Set("Authorization", "Bearer pa55") },
	} {
		r := h.expect(h.send("GET", "/payments/v1/sessions/x", "", edit), 401)
		if r.header.Get("WWW-Authenticate") != `Basic realm="kconform mock"` {
			t.Errorf("%s: WWW-Authenticate %q", name, r.header.Get("WWW-Authenticate"))
		}
		if strings.Contains(string(r.body), "pa55") {
			t.Errorf("%s: the body echoes the credential", name)
		}
		if r.header.Get("Content-Type") != "text/html" || string(r.body) != unauthorizedPage {
			t.Errorf("%s: %s %q, want the recorded HTML page", name, r.header.Get("Content-Type"), r.body)
		}
	}
	h.expect(h.send("GET", "/payments/v1/sessions/x", "", func(r *http.Request) { r.SetBasicAuth("merchant", "pa55") }), 404)
	// The consumer page and the control plane are public.
	h.expect(h.send("GET", "/pay/unknown", "", nil), 404)
	h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200)
}

// recordingsDir is the shared folder of public Klarna traffic, beside the repository.
func recordingsDir(t *testing.T) string {
	t.Helper()
	return groundtruth.Path(t, "recordings")
}

// TestRecordedRequestsAreAccepted replays the REAL and CLIENT requests of
// shared/recordings and expects the status Klarna gave (200 where none was
// recorded).
func TestRecordedRequestsAreAccepted(t *testing.T) {
	dir := recordingsDir(t)
	h := newHarness(t, Options{})
	type replay struct {
		file, method, url, body string
		want                    int
		auth                    bool
	}
	var replays []replay

	clients, _ := filepath.Glob(filepath.Join(dir, "klarna-payments-for-woocommerce__session-*.json"))
	for _, f := range clients {
		var rec struct {
			Method string          `json:"method"`
			Path   string          `json:"path"`
			Body   json.RawMessage `json:"body"`
		}
		readJSON(t, f, &rec)
		replays = append(replays, replay{filepath.Base(f), rec.Method, rec.Path, string(rec.Body), 200, true})
	}
	hars, _ := filepath.Glob(filepath.Join(dir, "saleor-app-payment-klarna__*.har"))
	for _, f := range hars {
		var har struct {
			Log struct {
				Entries []struct {
					Request struct {
						Method   string `json:"method"`
						URL      string `json:"url"`
						PostData struct {
							Text json.RawMessage `json:"text"` // Polly stores the parsed object
						} `json:"postData"`
					} `json:"request"`
					Response struct {
						Status int `json:"status"`
					} `json:"response"`
				} `json:"entries"`
			} `json:"log"`
		}
		readJSON(t, f, &har)
		for _, e := range har.Log.Entries {
			body := string(e.Request.PostData.Text)
			if unquoted, err := strconv.Unquote(body); err == nil {
				body = unquoted // a standard HAR: text is a string
			}
			replays = append(replays, replay{filepath.Base(f), e.Request.Method, e.Request.URL, body, e.Response.Status, true})
		}
	}
	for _, name := range []string{
		"solidus_klarna_payments__payment_methods_controller_passing_valid_credentials.yml",
		"solidus_klarna_payments__payment_methods_controller_passing_invalid_credentials.yml",
	} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		uri := regexp.MustCompile(`uri: (\S+)`).FindSubmatch(raw)
		body := regexp.MustCompile(`string: "(.*)"`).FindSubmatch(raw)
		code := regexp.MustCompile(`code: (\d+)`).FindSubmatch(raw)
		if uri == nil || body == nil || code == nil {
			t.Fatalf("%s: cannot read the cassette", name)
		}
		status, _ := strconv.Atoi(string(code[1]))
		replays = append(replays, replay{name, "POST", string(uri[1]), string(body[1]), status, status != 401})
	}
	if len(replays) < 5 {
		t.Fatalf("found only %d recorded requests", len(replays))
	}
	for _, rp := range replays {
		path := rp.url[strings.Index(rp.url, "/payments/"):]
		r := h.send(rp.method, path, rp.body, func(r *http.Request) {
			if rp.auth {
				r.SetBasicAuth(DefaultUsername, DefaultPassword)
			}
		})
		if r.status != rp.want {
			t.Errorf("%s: %s %s answered %d, Klarna answered %d: %s", rp.file, rp.method, path, r.status, rp.want, r.body)
		}
		if rp.want == 400 {
			// Klarna: "Bad value: purchase_currency, purchase_country".
			e := r.errorV2(t)
			if !strings.Contains(e.ErrorMessages[0], "purchase_currency") || !strings.Contains(e.ErrorMessages[0], "purchase_country") {
				t.Errorf("%s: %+v", rp.file, e)
			}
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// nebulabRequest reads the one request of a nebulab/klarna_proxy cassette.
func nebulabRequest(t *testing.T, name string) (exchange.Exchange, int) {
	t.Helper()
	f, err := recording.Open(filepath.Join(recordingsDir(t), "nebulab-klarna_proxy__Klarna_Payment_"+name+".yml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := f.Next()
	if err != nil || rec.Err != nil {
		t.Fatalf("%s: %v %v", name, err, rec.Err)
	}
	return rec.Exchange, rec.Exchange.Status
}

// The REAL nebulab captures, replayed: the mock answers what the playground
// answered, including the create-order body that echoes the whole session
// (read-only and session-only fields) and the customer token requested with
// intended_use "subscription".
func TestNebulabCapturesReplayed(t *testing.T) {
	h := newHarness(t, Options{})
	auth := func(r *http.Request) { r.SetBasicAuth(DefaultUsername, DefaultPassword) }
	for _, name := range []string{
		"create_session_returns_a_response_object",
		"create_session_returns_a_success_response_passing_the_correct_arguments",
		"create_session_returns_an_error_response_passing_the_wrong_arguments",
	} {
		ex, status := nebulabRequest(t, name)
		if r := h.send("POST", "/payments/v1/sessions", string(ex.RequestBody), auth); r.status != status {
			t.Errorf("%s: %d, the playground answered %d: %s", name, r.status, status, r.body)
		}
	}

	// The order body doubles as the session it was authorized for: create
	// that session from it (its read-only fields are left out as Klarna
	// does), pay, then send the order body as recorded.
	order, status := nebulabRequest(t, "place_order_returns_a_success_response_passing_the_correct_arguments")
	kpID := h.createKP(string(order.RequestBody))
	token := h.authorize(kpID)
	if r := h.send("POST", "/payments/v1/authorizations/"+token+"/order", string(order.RequestBody), auth); r.status != status {
		t.Errorf("create order: %d, the playground answered %d: %s", r.status, status, r.body)
	}

	tokenReq, status := nebulabRequest(t, "customer_token_returns_a_success_response_passing_the_correct_arguments")
	var where struct {
		Country  string `json:"purchase_country"`
		Currency string `json:"purchase_currency"`
	}
	if err := json.Unmarshal(tokenReq.RequestBody, &where); err != nil {
		t.Fatal(err)
	}
	// A tokenizing session in the token request's country and currency.
	body := strings.Replace(kpBody, `"purchase_country": "SE", "purchase_currency": "SEK"`,
		`"purchase_country": "`+where.Country+`", "purchase_currency": "`+where.Currency+`", "intent": "tokenize"`, 1)
	tokenKP := h.createKP(body)
	if r := h.send("POST", "/payments/v1/authorizations/"+h.authorize(tokenKP)+"/customer-token", string(tokenReq.RequestBody), auth); r.status != status {
		t.Errorf("customer token: %d, the playground answered %d: %s", r.status, status, r.body)
	}
}

// JSON has one number type: 25000.0 and 2.5e4 are the integer 25000 to
// the contract, so the mock must accept them where the contract does, and
// name the field when it refuses (issue 11, item 7). It answered
// "Bad value: body".
func TestEveryNumberFormTheContractAcceptsIsAccepted(t *testing.T) {
	h := newHarness(t, Options{})
	for _, amount := range []string{"25000", "25000.0", "25000.00", "2.5e4", "2.5E+4", "250000e-1"} {
		body := strings.Replace(kpBody, `"order_amount": 25000`, `"order_amount": `+amount, 1)
		body = strings.Replace(body, `"quantity": 2,`, `"quantity": 2.0,`, 1)
		res := h.v.ValidateRequest(exchange.Exchange{Method: "POST", URL: "/payments/v1/sessions",
			RequestHeader: http.Header{"Content-Type": {"application/json"}}, RequestBody: []byte(body)}, contract.Default)
		if !res.OK() {
			t.Fatalf("order_amount %s: the contract refuses it: %v", amount, res.Violations())
		}
		if resp := h.do("POST", "/payments/v1/sessions", body); resp.status != 200 {
			t.Errorf("order_amount %s: %d %s", amount, resp.status, resp.body)
		}
	}
	// The contract sets no maximum: a whole number too large for the mock's
	// integers is refused by name, not as the whole body.
	body := strings.Replace(kpBody, `"order_amount": 25000`, `"order_amount": 1e30`, 1)
	e := h.expect(h.do("POST", "/payments/v1/sessions", body), 400).errorV2(t)
	if len(e.ErrorMessages) != 1 || e.ErrorMessages[0] != "Bad value: order_amount" {
		t.Errorf("1e30: %v; want Bad value: order_amount", e.ErrorMessages)
	}
}

func TestIntegralNumbers(t *testing.T) {
	eachCase(t, "integralNumbers", func(in string) string { return string(integralNumbers([]byte(in))) }, map[string]string{
		`{"a":1.0,"b":"1.0","c":[2e3,-3.0E0,1.5,0.0,-0.0],"d":"x\"1.0"}`: `{"a":1,"b":"1.0","c":[2000,-3,1.5,0,0],"d":"x\"1.0"}`,
		`{"a":1,"b":1e300}`:    `{"a":1,"b":1e300}`,
		`[9007199254740992.0]`: `[9007199254740992]`,
	})
}
