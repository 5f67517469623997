package audit

import (
	"slices"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
)

// An exchange in kconform's JSON format that names its operation instead of
// giving method and url is checked on both sides, as the same exchange with
// method and url is: the operation names the exchange, not one side of it.
// (Before, "operation" with a response made the entry a response alone and
// its request was never checked: a bad request "conformed".)
func TestExchangeFormatChecksBothSides(t *testing.T) {
	const (
		badRequest = `{"purchase_country":123,"order_amount":"many"}`
		created    = `{"session_id":"0b1d9815-165e-42e2-8867-35bc03789e00","client_token":"eyJ"}`
		reqMsg     = `"request":{"headers":{"Content-Type":"application/json"},"body":` + badRequest + `}`
		respMsg    = `"response":{"headers":{"Content-Type":"application/json"},"body":` + created + `}`
	)
	forms := map[string]string{
		"method and url": `{"method":"POST","url":"https://api.playground.klarna.com/payments/v1/sessions","status":200,` + reqMsg + `,` + respMsg + `}`,
		"operation":      `{"operation":"createCreditSession","status":200,` + reqMsg + `,` + respMsg + `}`,
		"both":           `{"operation":"createCreditSession","method":"POST","url":"https://api.playground.klarna.com/payments/v1/sessions","status":200,` + reqMsg + `,` + respMsg + `}`,
	}
	want := []string{
		"violation schema.required@/order_lines",
		"violation schema.required@/purchase_currency",
		"violation schema.type@/order_amount",
		"violation schema.type@/purchase_country",
	}
	for name, data := range forms {
		path := writeFile(t, t.TempDir(), "x.json", data)
		c, sum := run(t, Options{}, path)
		if len(c.entries) != 1 {
			t.Fatalf("%s: %d entries", name, len(c.entries))
		}
		e := c.entries[0]
		got := rules(e)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v; want %v", name, got, want)
		}
		for _, i := range e.Issues {
			if strings.HasPrefix(i.Pointer, "/purchase_country") && i.Side != contract.Request {
				t.Errorf("%s: request issue on side %s", name, i.Side)
			}
		}
		if e.Operation != "createCreditSession" || e.Verdict != Violates || sum.ExitCode() != 1 {
			t.Errorf("%s: operation %q verdict %s exit %d", name, e.Operation, e.Verdict, sum.ExitCode())
		}
	}
}

// Answered 4xx, the request's issues are warnings in the operation form too:
// the server refused the bad request, as the contract asks.
func TestExchangeFormatNamedRefusalWarns(t *testing.T) {
	data := `{"operation":"createCreditSession","status":400,
	  "request":{"headers":{"Content-Type":"application/json"},"body":{"purchase_country":123}},
	  "response":{"headers":{"Content-Type":"application/json","Klarna-Correlation-Id":"c"},"body":{"error_code":"BAD_VALUE","error_messages":["Bad value: purchase_country"],"correlation_id":"c"}}}`
	c, _ := run(t, Options{}, writeFile(t, t.TempDir(), "x.json", data))
	if len(c.entries) != 1 {
		t.Fatalf("%d entries", len(c.entries))
	}
	e := c.entries[0]
	if got := rules(e); !slices.Contains(got, "warning schema.type@/purchase_country") || e.Verdict != Conforms {
		t.Errorf("%s %v", e.Verdict, got)
	}
}
