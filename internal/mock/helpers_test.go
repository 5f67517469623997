package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
)

// kpLines are two order lines adding up, as the playground wants, with
// their totals: what kpBody and orderBody share.
const kpLines = `"order_amount": 25000, "order_tax_amount": 5000,
  "order_lines": [
    {"name": "Tomatoes", "quantity": 2, "unit_price": 10000, "tax_rate": 2500, "total_amount": 20000, "total_tax_amount": 4000},
    {"name": "Shipping", "type": "shipping_fee", "quantity": 1, "unit_price": 5000, "tax_rate": 2500, "total_amount": 5000, "total_tax_amount": 1000}
  ]`

// kpBody is a valid KP session.
const kpBody = `{
  "purchase_country": "SE", "purchase_currency": "SEK", "locale": "sv-SE",
  ` + kpLines + `
}`

// orderBody matches kpBody.
const orderBody = `{
  "purchase_country": "SE", "purchase_currency": "SEK", ` + kpLines + `
}`

// newMock is New, failing the test on an error.
func newMock(tb testing.TB, opts Options) *Server {
	tb.Helper()
	srv, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

// startMock is a new mock listening on a loopback port, and its base URL.
// Closing it is the caller's: tests check different things of Close.
func startMock(tb testing.TB, opts Options) (*Server, string) {
	tb.Helper()
	srv := newMock(tb, opts)
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return srv, base
}

// harness is a mock started on loopback and a client that checks every API
// response it gets against the contract in strict mode.
type harness struct {
	t      *testing.T
	srv    *Server
	base   string
	client *http.Client
	v      *contract.Validator
	// offContract lets a test that switched a fault on receive responses
	// that break the contract.
	mu          sync.Mutex
	offContract bool
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	if opts.CallbackTimeout == 0 {
		opts.CallbackTimeout = 500 * time.Millisecond
	}
	if opts.CallbackRetryDelay == 0 {
		opts.CallbackRetryDelay = 20 * time.Millisecond
	}
	srv, base := startMock(t, opts)
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: srv, base: base, v: v}
	h.client = &http.Client{
		Transport:     &strictTransport{h: h, next: http.DefaultTransport},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if n := srv.callbacks.pending(); n != 0 {
			t.Errorf("Close left %d callback goroutines", n)
		}
	})
	return h
}

func (h *harness) allowOffContract(on bool) {
	h.mu.Lock()
	h.offContract = on
	h.mu.Unlock()
}

// strictTransport validates each response of a contract operation.
type strictTransport struct {
	h    *harness
	next http.RoundTripper
}

func (st *strictTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := st.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if _, _, ferr := st.h.v.Find(req.Method, req.URL.String()); ferr != nil {
		return resp, nil // not an operation of the contract: /pay, /_kconform, unknown paths
	}
	st.h.mu.Lock()
	off := st.h.offContract
	st.h.mu.Unlock()
	if off {
		return resp, nil
	}
	ex := exchange.Exchange{
		Method: req.Method, URL: req.URL.String(), RequestHeader: req.Header, RequestBody: reqBody,
		Status: resp.StatusCode, ResponseHeader: resp.Header, ResponseBody: respBody,
	}
	if res := st.h.v.ValidateResponse(ex, contract.Strict); len(res.Issues) > 0 {
		for _, is := range res.Issues {
			st.h.t.Errorf("off-contract response to %s %s (%d): %s\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, is, respBody)
		}
	}
	return resp, nil
}

// response is what a test looks at.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r response) errorV2(t *testing.T) api.ErrorV2 {
	t.Helper()
	var e api.ErrorV2
	r.json(t, &e)
	if e.CorrelationId == "" || e.CorrelationId != r.header.Get("Klarna-Correlation-Id") {
		t.Errorf("correlation_id %q, header %q", e.CorrelationId, r.header.Get("Klarna-Correlation-Id"))
	}
	return e
}

// do sends an authenticated API request (a body is sent as JSON).
func (h *harness) do(method, path, body string) response {
	h.t.Helper()
	return h.send(method, path, body, func(r *http.Request) { r.SetBasicAuth(DefaultUsername, DefaultPassword) })
}

func (h *harness) send(method, path, body string, edit func(*http.Request)) response {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = h.base + path
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if edit != nil {
		edit(req)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (h *harness) expect(r response, status int) response {
	h.t.Helper()
	if r.status != status {
		h.t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// eachCase checks a table: f(in) is want for every case.
func eachCase[I, O comparable](t *testing.T, name string, f func(I) O, cases map[I]O) {
	t.Helper()
	for in, want := range cases {
		if got := f(in); got != want {
			t.Errorf("%s(%#v) = %#v, want %#v", name, in, got, want)
		}
	}
}

// decoded sends a request, expects status and decodes the answer as T.
func decoded[T any](h *harness, method, path, body string, status int) T {
	h.t.Helper()
	var v T
	h.expect(h.do(method, path, body), status).json(h.t, &v)
	return v
}

func (h *harness) createKP(body string) string {
	h.t.Helper()
	return decoded[api.MerchantSession](h, "POST", "/payments/v1/sessions", body, 200).SessionId
}

// createHPP hosts a KP session; extra is merged into the request object.
func (h *harness) createHPP(kpID string, extra map[string]any) api.SessionCreationResponseV1 {
	h.t.Helper()
	return h.host("https://api.playground.klarna.com/payments/v1/sessions/"+kpID, extra)
}

// host creates an HPP session for paymentURL; extra is merged into the
// request object.
func (h *harness) host(paymentURL string, extra map[string]any) api.SessionCreationResponseV1 {
	h.t.Helper()
	req := map[string]any{"payment_session_url": paymentURL}
	for k, v := range extra {
		req[k] = v
	}
	b, _ := json.Marshal(req)
	return decoded[api.SessionCreationResponseV1](h, "POST", "/hpp/v1/sessions", string(b), 201)
}

func (h *harness) readHPP(id string) api.SessionResponseV1 {
	h.t.Helper()
	return decoded[api.SessionResponseV1](h, "GET", "/hpp/v1/sessions/"+id, "", 200)
}

func (h *harness) openPage(id string) response {
	h.t.Helper()
	return h.send("GET", "/pay/"+id, "", nil)
}

func (h *harness) action(id, action string) response {
	h.t.Helper()
	return h.send("POST", "/pay/"+id+"/"+action, "", func(r *http.Request) {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	})
}

// pay opens the page and pays; it returns the completed session.
func (h *harness) pay(id string) api.SessionResponseV1 {
	h.t.Helper()
	h.expect(h.openPage(id), 200)
	h.expect(h.action(id, "pay"), 303)
	return h.readHPP(id)
}

// authorize runs a KP session through an HPP payment and returns the token.
func (h *harness) authorize(kpID string) string {
	h.t.Helper()
	hpp := h.createHPP(kpID, nil)
	s := h.pay(hpp.SessionId)
	if s.AuthorizationToken == nil {
		h.t.Fatalf("no authorization token after pay: %+v", s)
	}
	return *s.AuthorizationToken
}

func (h *harness) advance(by string) {
	h.t.Helper()
	h.expect(h.send("POST", "/_kconform/clock/advance", `{"by":"`+by+`"}`, nil), 200)
}

func (h *harness) setFaults(names ...string) {
	h.t.Helper()
	b, _ := json.Marshal(map[string]any{"active": names})
	h.expect(h.send("PUT", "/_kconform/faults", string(b), nil), 204)
	h.allowOffContract(len(names) > 0)
}

// receiver is a local callback endpoint.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	calls  []call
	notify chan struct{}
	// answer decides the n-th call's (1-based) status and delay.
	answer func(n int) (int, time.Duration)
}

type call struct {
	path string
	body []byte
	at   time.Time
}

func newReceiver(t *testing.T, answer func(n int) (int, time.Duration)) *receiver {
	rc := &receiver{t: t, notify: make(chan struct{}, 1000), answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.calls = append(rc.calls, call{path: r.URL.RequestURI(), body: b, at: time.Now()})
		n := len(rc.calls)
		rc.mu.Unlock()
		rc.notify <- struct{}{}
		status, delay := http.StatusOK, time.Duration(0)
		if rc.answer != nil {
			status, delay = rc.answer(n)
		}
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
			}
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// wait blocks until n calls have arrived.
func (rc *receiver) wait(n int) []call {
	rc.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		rc.mu.Lock()
		got := len(rc.calls)
		rc.mu.Unlock()
		if got >= n {
			break
		}
		select {
		case <-rc.notify:
		case <-deadline:
			rc.t.Fatalf("waited for %d callbacks, got %d", n, got)
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]call(nil), rc.calls...)
}

// staysAt checks that, after quiet with no more calls due, the receiver has
// had exactly n: the mock neither lost nor repeated a delivery.
func (rc *receiver) staysAt(n int, quiet time.Duration) {
	rc.t.Helper()
	time.Sleep(quiet)
	if got := rc.count(); got != n {
		rc.t.Errorf("%d calls, want %d", got, n)
	}
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.calls)
}

// statusEvent decodes and strictly validates an HPP status callback body.
func (h *harness) statusEvent(c call) api.StatusUpdateEventV1 {
	h.t.Helper()
	res, err := h.v.ValidateCallback("hppStatusUpdateCallback", "application/json", c.body, contract.Strict)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, is := range res.Issues {
		h.t.Errorf("off-contract callback: %s\nbody: %s", is, c.body)
	}
	var ev api.StatusUpdateEventV1
	if err := json.Unmarshal(c.body, &ev); err != nil {
		h.t.Fatal(err)
	}
	return ev
}

func strp(s string) *string { return &s }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
