package mock

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
)

// JSON has one number type: 25000.0 and 2.5e4 are the integer 25000 to
// the contract, so the mock must accept them where the contract does, and
// name the field when it refuses (issue 11, item 7). It answered
// "Bad value: body".
func TestEveryNumberFormTheContractAcceptsIsAccepted(t *testing.T) {
	h := newHarness(t, Options{})
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	for _, amount := range []string{"25000", "25000.0", "25000.00", "2.5e4", "2.5E+4", "250000e-1"} {
		body := strings.Replace(kpBody, `"order_amount": 25000`, `"order_amount": `+amount, 1)
		body = strings.Replace(body, `"quantity": 2,`, `"quantity": 2.0,`, 1)
		res := v.ValidateRequest(exchange.Exchange{Method: "POST", URL: "/payments/v1/sessions",
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
