package coverage_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/coverage"
	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/internal/transport"
)

const kpSession = `{"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","order_amount":20000,"order_tax_amount":4000,
"order_lines":[{"name":"Tomatoes","quantity":2,"unit_price":10000,"tax_rate":2500,"total_amount":20000,"total_tax_amount":4000}]}`

// Real records of the reference mock, as the suites make them, come out as
// the coverage the brief describes: one session paid through the page.
func TestCoverageOfAPaidSessionOnTheMock(t *testing.T) {
	srv, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	v := contracttest.Validator(t)
	rec := &transport.Recorder{}
	client := transport.NewHTTPClient()
	apiDoer := &transport.Doer{Kind: transport.API, Client: client, Timeout: 5 * time.Second, Recorder: rec, Validator: v}
	pageDoer := &transport.Doer{Kind: transport.Page, Client: client, Timeout: 5 * time.Second, Recorder: rec}

	do := func(d *transport.Doer, method, url, body string) *http.Response {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if d.Kind == transport.API {
			req.SetBasicAuth("kconform", "kconform-secret")
		}
		resp, err := d.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
		return resp
	}
	decode := func(resp *http.Response, out any) {
		t.Helper()
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	var kp struct {
		SessionID string `json:"session_id"`
	}
	decode(do(apiDoer, http.MethodPost, base+"/payments/v1/sessions", kpSession), &kp)
	var hpp struct {
		SessionID   string `json:"session_id"`
		RedirectURL string `json:"redirect_url"`
	}
	decode(do(apiDoer, http.MethodPost, base+"/hpp/v1/sessions", `{"payment_session_url":"`+base+`/payments/v1/sessions/`+kp.SessionID+
		`","merchant_urls":{"success":"https://merchant.example/ok?sid={{session_id}}&token={{authorization_token}}&order={{order_id}}"}}`), &hpp)
	read := base + "/hpp/v1/sessions/" + hpp.SessionID
	do(apiDoer, http.MethodGet, read, "")
	do(pageDoer, http.MethodGet, hpp.RedirectURL, "")
	do(apiDoer, http.MethodGet, read, "")
	if resp := do(pageDoer, http.MethodPost, hpp.RedirectURL+"/pay", ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay answered %d, want 303", resp.StatusCode)
	}
	do(apiDoer, http.MethodGet, read, "")

	c := coverage.NewCollector()
	for _, r := range rec.Records() {
		c.Observe(r)
	}
	cov, err := c.Coverage(v)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, tr := range cov.Transitions {
		seen[tr.From+"→"+tr.To] = tr.Seen
	}
	for _, e := range []string{"[*]→WAITING", "WAITING→IN_PROGRESS", "IN_PROGRESS→COMPLETED"} {
		if seen[e] != 1 {
			t.Errorf("%s seen %d times, want 1 (transitions: %v)", e, seen[e], seen)
		}
	}
	for _, p := range cov.Placeholders {
		want := map[string][2]int{"{{session_id}}": {1, 1}, "{{authorization_token}}": {1, 1}, "{{order_id}}": {1, 0}}[p.Name]
		if p.Sent != want[0] || p.Substituted != want[1] {
			t.Errorf("%s: sent %d, substituted %d, want %v", p.Name, p.Sent, p.Substituted, want)
		}
	}
	for _, r := range cov.Responses {
		if r.Operation == "getSessionById" && r.Status == 200 && (r.Seen != 3 || r.Conforming != 3) {
			t.Errorf("getSessionById 200: seen %d, conforming %d, want 3 and 3", r.Seen, r.Conforming)
		}
	}
}
