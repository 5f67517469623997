package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/brokentarget"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
)

func newDoer(t *testing.T, kind Kind) (*Doer, *Recorder) {
	t.Helper()
	v := contracttest.Validator(t)
	rec := &Recorder{}
	return &Doer{Kind: kind, Client: NewHTTPClient(), Timeout: 300 * time.Millisecond, Recorder: rec, Validator: v, Mode: contract.Default}, rec
}

func get(t *testing.T, d *Doer, ctx context.Context, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("user", "hunter2")
	return d.Do(req)
}

// readViolation serves body as a session read and returns the message of
// the ViolationError the API GET of it must end with, its URL and the
// recorder.
func readViolation(t *testing.T, body string) (msg, url string, rec *Recorder) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	d, rec := newDoer(t, API)
	url = srv.URL + "/hpp/v1/sessions/s1"
	_, err := get(t, d, t.Context(), url)
	var ve *ViolationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a ViolationError, got %v", err)
	}
	return err.Error(), url, rec
}

func TestViolationIsAnErrorWithPointerStatusAndRedactedAuth(t *testing.T) {
	msg, url, rec := readViolation(t, `{"session_id":"s1","status":"completed","updated_at":"2024-01-01T00:00:00Z"}`)
	for _, want := range []string{"GET " + url + " → 200", "getSessionById", "/expires_at", "/status", `"status":"completed"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "hunter2") || strings.Contains(msg, "dXNlcjpodW50ZXIy") {
		t.Errorf("credentials leaked:\n%s", msg)
	}
	recs := rec.Records()
	if len(recs) != 1 || recs[0].OK() || recs[0].Exchange.RequestHeader.Get("Authorization") != "[REDACTED]" {
		t.Errorf("record: %+v", recs)
	}
}

func TestRejectionIgnoresTheRequestHalfOnly(t *testing.T) {
	status := http.StatusBadRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Klarna-Correlation-Id", "c1")
		w.WriteHeader(status)
		if status == http.StatusBadRequest {
			_, _ = w.Write([]byte(`{"correlation_id":"c1","error_code":"BAD_VALUE","error_messages":["Bad value: purchase_currency"]}`))
			return
		}
		_, _ = w.Write([]byte(`{"session_id":"k1","client_token":"t"}`))
	}))
	defer srv.Close()
	d, rec := newDoer(t, API)
	post := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/payments/v1/sessions", bytes.NewReader([]byte(`{"order_amount":"x"}`)))
		req.Header.Set("Content-Type", "application/json")
		_, err := d.Do(req)
		return err
	}
	if err := post(ExpectRejection(t.Context())); err != nil {
		t.Errorf("a 400 to a deliberately invalid request conforms: %v", err)
	}
	status = http.StatusOK
	if err := post(ExpectRejection(t.Context())); err != nil {
		t.Errorf("request half of a deliberately invalid request must not fail (the spec's status check does): %v", err)
	}
	if err := post(t.Context()); err == nil {
		t.Errorf("an unmarked invalid request that gets 200 must be reported")
	}
	if n := len(rec.Failing()); n != 1 {
		t.Errorf("want 1 failing record, got %d", n)
	}
}

func TestHangingResettingAndGarbageTargets(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // else the server never notices the client leave
		<-r.Context().Done()
	}))
	defer hang.Close()
	d, _ := newDoer(t, API)
	start := time.Now()
	_, err := get(t, d, t.Context(), hang.URL+"/hpp/v1/sessions/x")
	if err == nil || !strings.Contains(err.Error(), "request timeout of 300ms") || time.Since(start) > 3*time.Second {
		t.Errorf("hanging target: %v after %s", err, time.Since(start))
	}

	_, err = get(t, d, t.Context(), brokentarget.Resetting(t)+"/hpp/v1/sessions/x")
	if err == nil || !(strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "closed the connection")) {
		t.Errorf("resetting target: %v", err)
	}
	// the kind alone, never the connection's ephemeral port
	if err != nil && strings.Contains(err.Error(), "->") {
		t.Errorf("resetting target: %v names the connection's addresses", err)
	}

	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("\x00\xffnot json"))
	}))
	defer garbage.Close()
	_, err = get(t, d, t.Context(), garbage.URL+"/hpp/v1/sessions/x")
	if err == nil || !strings.Contains(err.Error(), "body.malformed-json") {
		t.Errorf("garbage target: %v", err)
	}
}

func TestSpecContextEndsTheRequest(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	d, _ := newDoer(t, Page)
	d.Timeout = time.Minute
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := get(t, d, ctx, hang.URL+"/pay/x")
	if err == nil || !strings.Contains(err.Error(), "spec's time ran out") {
		t.Errorf("want the spec context to end the request: %v", err)
	}
}

func TestPageKindIsRecordedNotValidatedAndRedirectsAreNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://merchant.example/ok?x={{y}}", http.StatusSeeOther)
	}))
	defer srv.Close()
	d, rec := newDoer(t, Page)
	resp, err := get(t, d, t.Context(), srv.URL+"/pay/x/pay")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "https://merchant.example/ok?x={{y}}" {
		t.Errorf("redirect must not be followed: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if r := rec.Records(); len(r) != 1 || r[0].Result != nil || r[0].Kind != Page {
		t.Errorf("page record: %+v", r)
	}
}

func TestBreakerFailsFastThenProbes(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	d, _ := newDoer(t, API)
	d.Timeout = 50 * time.Millisecond
	d.Breaker = &Breaker{Threshold: 2, Cooldown: time.Hour}
	for range 2 {
		if _, err := get(t, d, t.Context(), hang.URL+"/hpp/v1/sessions/x"); err == nil || !strings.Contains(err.Error(), "request timeout") {
			t.Fatalf("want a timeout, got %v", err)
		}
	}
	start := time.Now()
	_, err := get(t, d, t.Context(), hang.URL+"/hpp/v1/sessions/x")
	if err == nil || !strings.Contains(err.Error(), "failed the last 2 requests") || time.Since(start) > 40*time.Millisecond {
		t.Errorf("want a fast failure naming the cause, got %v after %s", err, time.Since(start))
	}
	d.Breaker.Cooldown = 0
	if _, err := get(t, d, t.Context(), hang.URL+"/hpp/v1/sessions/x"); err == nil || !strings.Contains(err.Error(), "request timeout") {
		t.Errorf("after the cooldown one request goes through: %v", err)
	}
}

// TestObserveSeesEveryRecord: Observe sees each record as it is added.
func TestObserveSeesEveryRecord(t *testing.T) {
	var seen []string
	r := &Recorder{Observe: func(r Record) { seen = append(seen, r.Exchange.URL) }}
	r.Add(Record{Exchange: exchange.Exchange{URL: "1"}})
	r.Add(Record{Exchange: exchange.Exchange{URL: "2"}})
	if strings.Join(seen, ",") != "1,2" {
		t.Errorf("Observe saw %v, want [1 2]", seen)
	}
}

// The run checks bodies with the validator's decoding: a response with a
// key twice fails at its pointer (issue 11, item 6).
func TestDuplicateKeyInAResponseIsAViolation(t *testing.T) {
	msg, _, _ := readViolation(t, `{"session_id":"s1","status":"WAITING","updated_at":"2024-01-01T00:00:00Z",`+
		`"expires_at":"2024-01-02T00:00:00Z","status":"WAITING"}`)
	if !strings.Contains(msg, contract.RuleBodyDuplicateKey) || !strings.Contains(msg, "/status") {
		t.Errorf("message lacks %s at /status:\n%s", contract.RuleBodyDuplicateKey, msg)
	}
}

// TestTooLargeAnswerIsRecordedWithItsOperation: a body past MaxBody is an
// error for the spec, but the target did answer: the record keeps the
// status, headers and the first MaxBody bytes (marked truncated) and the
// operation it was, so a step of the rule's own operation breaks the rule
// and --record captures the exchange.
func TestTooLargeAnswerIsRecordedWithItsOperation(t *testing.T) {
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for range MaxBody/len(chunk) + 2 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer big.Close()
	d, rec := newDoer(t, API)
	d.Timeout = 10 * time.Second
	_, err := get(t, d, t.Context(), big.URL+"/hpp/v1/sessions/x")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err %v, want the body too large", err)
	}
	recs := rec.Records()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Exchange.Status != http.StatusOK || !r.Truncated || len(r.Exchange.ResponseBody) != MaxBody || r.Result == nil || r.Result.Operation != "getSessionById" {
		t.Errorf("record: status %d truncated %v body %d bytes result %+v; want 200, truncated, %d bytes, getSessionById",
			r.Exchange.Status, r.Truncated, len(r.Exchange.ResponseBody), r.Result, MaxBody)
	}
}
