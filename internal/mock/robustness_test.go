package mock

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// garbageBodies are bodies no client should send; none may crash the mock
// or get a 5xx, and every answer to a contract operation is on contract.
var garbageBodies = []string{
	"", "null", "true", "0", `""`, "[]", "{", "}", `{"a":`, "\x00\x01\x02", "\xff\xfe",
	`{"order_amount":1e999}`, `{"order_amount":-1}`, `{"order_amount":9223372036854775808}`,
	`{"order_lines":null,"purchase_country":null}`, `{"order_lines":[null]}`, `{"order_lines":[{}]}`,
	`{"payment_session_url":null}`, `{"payment_session_url":"https://x/payments/v1/sessions/%zz"}`,
	`{"payment_session_url":"https://x/payments/v1/sessions/` + strings.Repeat("a", 5000) + `"}`,
	`{"merchant_urls":{"success":null,"status_update":"http://[::1"}}`,
	`{"method":"email","contact_information":null}`, `{"method":null}`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	`{"customer":{"type":"robot"},"options":{"color_text":"red"}}`,
	`{"description":"","intended_use":"SUBSCRIPTION","locale":"x","purchase_country":"SE","purchase_currency":"SEK"}`,
	kpBody + "trailing", `{"a":1}{"b":2}`,
}

func TestGarbageNeverCrashes(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)
	hppID := h.createHPP(kpID, nil).SessionId
	token := h.authorize(h.createKP(kpBody))
	paths := []string{
		"/payments/v1/sessions", "/payments/v1/sessions/" + kpID, "/payments/v1/sessions/unknown",
		"/payments/v1/authorizations/" + token + "/order", "/payments/v1/authorizations/" + token + "/customer-token",
		"/hpp/v1/sessions", "/hpp/v1/sessions/" + hppID + "/distribution", "/hpp/v1/sessions/unknown/distribution",
	}
	for _, p := range paths {
		for _, body := range garbageBodies {
			r := h.do("POST", p, body)
			if r.status >= 500 {
				t.Errorf("POST %s %.40q: %d %s", p, body, r.status, r.body)
			}
		}
	}
}

func TestGarbagePathsAndMethods(t *testing.T) {
	h := newHarness(t, Options{})
	rng := rand.New(rand.NewPCG(1, 2))
	segments := []string{"hpp", "v1", "sessions", "payments", "authorizations", "order", "customer-token",
		"distribution", "pay", "_kconform", "clock", "..", ".", "%00", "%2F", "%zz", "x", "", strings.Repeat("z", 300), "{session_id}"}
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}
	for range 600 {
		n := 1 + rng.IntN(5)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = segments[rng.IntN(len(segments))]
		}
		raw := "/" + strings.Join(parts, "/")
		if _, err := url.ParseRequestURI(raw); err != nil {
			continue
		}
		method := methods[rng.IntN(len(methods))]
		r := h.do(method, raw, garbageBodies[rng.IntN(len(garbageBodies))])
		if r.status >= 500 {
			t.Errorf("%s %s: %d %s", method, raw, r.status, r.body)
		}
	}
	// A hostile Host header is not echoed into the URLs the mock hands out.
	r := h.send("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://a/payments/v1/sessions/`+h.createKP(kpBody)+`"}`, func(r *http.Request) {
		r.SetBasicAuth(DefaultUsername, DefaultPassword)
		r.Host = "evil.example/<script>"
	})
	if r.status != 201 || strings.Contains(string(r.body), "evil") {
		t.Errorf("bad Host: %d %s", r.status, r.body)
	}
	// A body over the limit.
	big := `{"purchase_country":"SE","merchant_data":"` + strings.Repeat("x", maxRequestBody) + `"}`
	h.expect(h.do("POST", "/payments/v1/sessions", big), 400)
}

// FuzzKPCreate: `go test -fuzz FuzzKPCreate ./internal/mock/` explores
// further; the seeds run with every go test.
func FuzzKPCreate(f *testing.F) {
	for _, b := range garbageBodies {
		f.Add(b)
	}
	f.Add(kpBody)
	srv := newMock(f, Options{})
	defer srv.Close()
	handler := srv.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/payments/v1/sessions", "/hpp/v1/sessions"} {
			req, _ := http.NewRequest("POST", "http://127.0.0.1"+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.SetBasicAuth(DefaultUsername, DefaultPassword)
			w := newRecorder()
			handler.ServeHTTP(w, req)
			if w.status >= 500 {
				t.Fatalf("POST %s %q: %d", path, body, w.status)
			}
		}
	})
}

// recorder is a minimal ResponseWriter (httptest's would do as well).
type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.body.Write(b)
}

// FuzzMockRequest: any method, path, content type and body, with and
// without credentials, through the whole handler (control plane included):
// never a 5xx, never a panic.
//
//	go test -run '^$' -fuzz FuzzMockRequest -fuzztime 30s ./internal/mock/
func FuzzMockRequest(f *testing.F) {
	f.Add("POST", "/payments/v1/sessions", "application/json", kpBody, true)
	f.Add("POST", "/payments/v1/sessions", "application/json", strings.Replace(kpBody, "25000", "2.5e4", 1), true)
	f.Add("GET", "/hpp/v1/sessions/x", "", "", true)
	f.Add("DELETE", "/hpp/v1/sessions/%2e%2e", "application/json", "", true)
	f.Add("POST", "/hpp/v1/sessions", "application/json; charset=utf-8", `{"payment_session_url":"https://a/payments/v1/sessions/x","a":1,"a":2}`, false)
	f.Add("POST", "/payments/v1/authorizations/t/order", "text/plain", `{"order_amount":1e400}`, true)
	f.Add("GET", "/pay/x", "", "", false)
	f.Add("GET", "/_kconform/faults", "", "", false)
	srv := newMock(f, Options{})
	defer srv.Close()
	handler := srv.Handler()
	f.Fuzz(func(t *testing.T, method, path, contentType, body string, auth bool) {
		if strings.HasPrefix(path, "/_kconform/") && method != http.MethodGet {
			return // the control plane changes the mock itself (resets, faults) by design
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if auth {
			req.SetBasicAuth(DefaultUsername, DefaultPassword)
		}
		w := newRecorder()
		handler.ServeHTTP(w, req)
		if w.status >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, w.status, w.body.String())
		}
	})
}
