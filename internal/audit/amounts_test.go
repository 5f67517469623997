package audit

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/recording"
	"github.com/kconform/kconform/internal/testkit"
)

const goodSession = `{"purchase_country":"SE","purchase_currency":"SEK","order_amount":25000,"order_tax_amount":5000,
"order_lines":[{"name":"x","quantity":2,"unit_price":12500,"tax_rate":2500,"total_amount":25000,"total_tax_amount":5000}]}`

func kpCreate(reqBody string, status int, respBody string) harEntry {
	return harEntry{
		Method: "POST", URL: "https://api.playground.klarna.com/payments/v1/sessions",
		ReqHeaders: map[string]string{"Content-Type": "application/json"}, ReqBody: reqBody,
		Status:      status,
		RespHeaders: map[string]string{"Content-Type": "application/json", "Klarna-Correlation-Id": "37ca03fe-975a-4def-b7c7-01c4e0c96270"},
		RespBody:    respBody,
	}
}

// A 2xx answer to a request whose amounts do not add up breaks Klarna's
// rule; a 400 is what the rule asks.
func TestAmountsInRecordings(t *testing.T) {
	bad := strings.Replace(goodSession, `"total_tax_amount":5000`, `"total_tax_amount":6250`, 1)
	bad = strings.Replace(bad, `"order_tax_amount":5000`, `"order_tax_amount":6250`, 1)
	created := `{"session_id":"0b1d9815-165e-42e2-8867-35bc03789e00","client_token":"eyJ"}`
	refused := `{"correlation_id":"37ca03fe-975a-4def-b7c7-01c4e0c96270","error_code":"BAD_VALUE","error_messages":["Bad value: order_lines[0].total_tax_amount"]}`
	dir := t.TempDir()
	path := writeFile(t, dir, "amounts.har", har(
		kpCreate(goodSession, 200, created),
		kpCreate(bad, 200, created),
		kpCreate(bad, 400, refused),
	))
	c, _ := run(t, Options{}, path)
	if len(c.entries) != 3 {
		t.Fatalf("%d entries", len(c.entries))
	}
	if r := rules(c.entries[0]); len(r) != 0 {
		t.Errorf("amounts that add up: %v", r)
	}
	e := c.entries[1]
	if got := strings.Join(rules(e), ","); got != "violation amounts.line-tax@/order_lines/0/total_tax_amount" || e.Verdict != Violates {
		t.Errorf("2xx to bad amounts: %s %s", e.Verdict, got)
	}
	if msg := e.Issues[0].Message; !strings.Contains(msg, "order_lines[0].total_tax_amount is 6250, expected 5000 ±1") || !strings.Contains(msg, "the recording shows 200") {
		t.Errorf("message: %s", msg)
	}
	e = c.entries[2]
	if got := strings.Join(rules(e), ","); got != "warning amounts.line-tax@/order_lines/0/total_tax_amount" || e.Verdict != Conforms {
		t.Errorf("400 to bad amounts: %s %s", e.Verdict, got)
	}
}

// Every shared recording passes the amount rules: a real request Klarna
// accepted that broke them would mean the rule is wrong. The check does
// reach them: the woocommerce snapshot with one tax amount changed fails.
func TestSharedRecordingsAddUp(t *testing.T) {
	dir := sharedDir(t)
	c, _ := run(t, Options{}, recording.Discover([]string{dir})...)
	for _, e := range c.entries {
		for _, is := range e.Issues {
			if strings.HasPrefix(is.Rule, "amounts.") {
				t.Errorf("%s #%d: %s", filepath.Base(e.File), e.Index, is)
			}
		}
	}
	for _, name := range []string{"klarna-payments-for-woocommerce__session-se-b2c.json", "klarna-payments-for-woocommerce__session-us-sales-tax.json"} {
		raw := testkit.ReadFile(t, filepath.Join(dir, name))
		broken := strings.Replace(string(raw), `"order_tax_amount": `, `"order_tax_amount": 9`, 1)
		c, _ := run(t, Options{}, writeFile(t, t.TempDir(), name, broken))
		if got := strings.Join(violations(c.entries[0]), ","); got != "amounts.order-tax@/order_tax_amount" {
			t.Errorf("%s with order_tax_amount changed: %v", name, got)
		}
	}
}
