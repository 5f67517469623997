package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega/gbytes"
)

// TestMockLogsNeverShowTheCredentials: a merchant URL that carries the
// mock's own credentials (in its path, where the log keeps it) is logged
// with them scrubbed.
func TestMockLogsNeverShowTheCredentials(t *testing.T) {
	const user, password = "shop", "log-secret-91"
	pair := user + ":" + password
	b64 := base64.StdEncoding.EncodeToString([]byte(pair))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
	done := make(chan int, 1)
	go func() {
		done <- runMock(ctx, []string{"--addr", "127.0.0.1:0", "--username", user, "--password", password}, noEnv, out, errOut)
	}()
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		base = strings.TrimSpace(string(out.Contents()))
	}
	if base == "" {
		t.Fatalf("no base URL (stderr %s)", string(errOut.Contents()))
	}
	send := func(method, path, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.SetBasicAuth(user, password)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := send("POST", "/payments/v1/sessions", `{"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","order_amount":100,"order_tax_amount":0,
		"order_lines":[{"name":"x","quantity":1,"unit_price":100,"tax_rate":0,"total_amount":100,"total_tax_amount":0}]}`)
	var kp struct {
		SessionID string `json:"session_id"`
	}
	if err := decodeJSON(resp, &kp); err != nil || kp.SessionID == "" {
		t.Fatalf("create KP session: %v %d", err, resp.StatusCode)
	}
	// Not a loopback host: the mock refuses the callback and logs where it
	// was meant to go.
	hook := "http://192.0.2.1/hook/" + url.PathEscape(pair) + "/" + b64 + "/" + password
	resp = send("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://api.playground.klarna.com/payments/v1/sessions/`+kp.SessionID+
		`","merchant_urls":{"status_update":"`+hook+`"}}`)
	var hpp struct {
		SessionID string `json:"session_id"`
	}
	if err := decodeJSON(resp, &hpp); err != nil || hpp.SessionID == "" {
		t.Fatalf("create HPP session: %v %d", err, resp.StatusCode)
	}
	if r, err := http.Get(base + "/pay/" + hpp.SessionID); err == nil { // a status change: a callback is due
		r.Body.Close()
	}
	cancel()
	<-done
	logs := string(errOut.Contents())
	if !strings.Contains(logs, "callback not sent") || !strings.Contains(logs, "[REDACTED]") {
		t.Fatalf("the refused callback was not logged with its target scrubbed:\n%s", logs)
	}
	for _, s := range []string{password, pair, b64} {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q:\n%s", s, logs)
		}
	}
}

func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}
