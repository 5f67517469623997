package contract_test

import (
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
)

// BenchmarkValidateResponse measures how many small HPP/KP responses (a read
// session body, as recorded traffic is mostly made of) one core validates per
// second. Run: go test -run '^$' -bench ValidateResponse -cpu 1 ./internal/contract/
func BenchmarkValidateResponse(b *testing.B) {
	completed := `{"session_id":"39a1c773-bafd-754d-af1f-b30c592f1267","status":"COMPLETED",` +
		`"authorization_token":"a1a8f727-2756-6058-bd3c-40069be0994b",` +
		`"updated_at":"2019-05-13T14:54:04.675Z","expires_at":"2019-05-15T13:51:43.507Z"}`
	kpRead := `{"status":"incomplete","purchase_country":"SE","purchase_currency":"SEK","locale":"en-SE",` +
		`"order_amount":10000,"order_tax_amount":2000,"expires_at":"2038-01-19T03:14:07.000Z",` +
		`"order_lines":[{"name":"Item","quantity":1,"unit_price":10000,"total_amount":10000,"tax_rate":2500,"total_tax_amount":2000}]}`
	cases := []struct {
		name string
		ex   exchange.Exchange
	}{
		{"hpp-read-waiting", hppRead(200, waitingSession)},
		{"hpp-read-completed", hppRead(200, completed)},
		{"kp-read", exchange.Exchange{Method: "GET", URL: "https://api.klarna.com/payments/v1/sessions/s",
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(kpRead)}},
	}
	v := contracttest.Validator(b)
	for _, c := range cases {
		for _, mode := range []contract.Mode{contract.Default, contract.Strict} {
			b.Run(c.name+"/"+mode.String(), func(b *testing.B) {
				if r := v.ValidateResponse(c.ex, mode); len(r.Issues) != 0 {
					b.Fatalf("benchmark input must be valid: %v", r.Issues)
				}
				b.SetBytes(int64(len(c.ex.ResponseBody)))
				b.ReportAllocs()
				for b.Loop() {
					v.ValidateResponse(c.ex, mode)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
			})
		}
	}
}

// BenchmarkValidateRequest measures a KP create-session request, the body the
// request leniency walk (lenient.go) visits in full before the schema check.
// Run: go test -run '^$' -bench ValidateRequest -cpu 1 ./internal/contract/
func BenchmarkValidateRequest(b *testing.B) {
	line := `{"name":"Item","reference":"sku-1","quantity":1,"unit_price":10000,"total_amount":10000,"tax_rate":2500,"total_tax_amount":2000,"image_url":"https://shop.example/i.png"}`
	body := `{"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","intent":"buy",` +
		`"order_amount":30000,"order_tax_amount":6000,"merchant_urls":{"confirmation":"https://shop.example/ok"},` +
		`"billing_address":{"given_name":"Testperson","family_name":"Approved","email":"t@example.com","country":"SE"},` +
		`"order_lines":[` + line + `,` + line + `,` + line + `]}`
	ex := exchange.Exchange{Method: "POST", URL: "https://api.klarna.com/payments/v1/sessions",
		RequestHeader: jsonHeader(), RequestBody: []byte(body)}
	v := contracttest.Validator(b)
	if r := v.ValidateRequest(ex, contract.Default); len(r.Issues) != 0 {
		b.Fatalf("benchmark input must be valid: %v", r.Issues)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		v.ValidateRequest(ex, contract.Default)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}
