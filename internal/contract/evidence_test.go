package contract_test

import (
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/exchange"
)

// Exchanges the real servers accept (issue 10 §2), each with the evidence the
// contract now follows. Every one conforms by default; those resting on a
// Klarna document (documented) conform in strict mode too. Each has a near
// miss beside it that must still fail, so the widened rule can fail at all.
func TestAcceptedByRealServers(t *testing.T) {
	v := contracttest.Validator(t)
	line := func(field, value string) string {
		return strings.Replace(kpBody, `"name":"Running shoe"`, `"name":"Running shoe",`+field+`:`+value, 1)
	}
	amounts := func(n string) string {
		b := strings.Replace(kpBody, `"unit_price":2999,"total_amount":2999`, `"unit_price":`+n+`,"total_amount":`+n, 1)
		return strings.Replace(b, `"order_amount":2999`, `"order_amount":`+n, 1)
	}
	withReadCustomer := strings.Replace(readOK, `{`, `{"customer":{"date_of_birth":"1978-12-31","last_four_ssn":"string","national_identification_number":"string"},`, 1)
	long := func(n int) string { return `"` + strings.Repeat("r", n) + `"` }

	for _, c := range []struct {
		name       string
		ex         exchange.Exchange
		documented bool // conforms in strict mode as well
		// miss breaks the same rule just beyond what the evidence allows;
		// missAt is the violation it must give (default mode).
		miss   exchange.Exchange
		missAt string
	}{
		{"intent buy_and_link in a create (D-kpinit)",
			post(kpSessionURL, strings.Replace(kpBody, `{`, `{"intent":"buy_and_link",`, 1), 200, createOK), true,
			post(kpSessionURL, strings.Replace(kpBody, `{`, `{"intent":"buy_and_subscribe",`, 1), 200, createOK), "schema.enum@/intent"},
		{"intent buy_and_default_tokenize in an update (D-kpinit, Klarna's SFCC cartridge)",
			post(kpReadURL, `{"intent":"buy_and_default_tokenize"}`, 204, ""), true,
			post(kpReadURL, `{"intent":"buy_and_default"}`, 204, ""), "schema.enum@/intent"},
		{"intent buy_and_default_tokenize in the session read (D-kpinit)",
			kpRead(strings.Replace(readOK, `{`, `{"intent":"buy_and_default_tokenize",`, 1)), true,
			kpRead(strings.Replace(readOK, `{`, `{"intent":"BUY_AND_LINK",`, 1)), "schema.enum@/intent"},
		{"unit_price and total_amount at the 2024 maximum (S2-2024)",
			post(kpSessionURL, amounts("200000000"), 200, createOK), true,
			post(kpSessionURL, amounts("200000001"), 200, createOK), "schema.maximum@/order_lines/0/total_amount,schema.maximum@/order_lines/0/unit_price"},
		{"merchant_urls.app_return_url on a KP session (D-mobile-hpp)",
			post(kpSessionURL, strings.Replace(kpBody, `{`, `{"merchant_urls":{"confirmation":"https://shop.example/ok","app_return_url":"myapp://klarna-return"},`, 1), 200, createOK), true,
			post(kpSessionURL, strings.Replace(kpBody, `{`, `{"merchant_urls":{"app_return_url":7},`, 1), 200, createOK), "schema.type@/merchant_urls/app_return_url"},
		{"empty asset_urls in a create answer (S2: no format)",
			post(kpSessionURL, kpBody, 200, strings.Replace(createOK, `}`, `,"payment_method_categories":[{"identifier":"pay_later","name":"Pay later","asset_urls":{"descriptive":"","standard":"https://x.klarnacdn.net/b.svg"}}]}`, 1)), true,
			post(kpSessionURL, kpBody, 200, strings.Replace(createOK, `}`, `,"payment_method_categories":[{"asset_urls":{"descriptive":7}}]}`, 1)), "schema.type@/payment_method_categories/0/asset_urls/descriptive"},
		{"last_four_ssn and national_identification_number in the session read (seed 003)",
			kpRead(withReadCustomer), true,
			kpRead(strings.Replace(withReadCustomer, `"last_four_ssn":"string"`, `"last_four_ssn":1234`, 1)), "schema.type@/customer/last_four_ssn"},
		{"order line reference of 64 characters, the live limit",
			post(kpSessionURL, line(`"reference"`, long(64)), 200, createOK), true,
			post(kpSessionURL, line(`"reference"`, long(256)), 200, createOK), "schema.maxLength@/order_lines/0/reference"},
		{"order line reference of 255 characters accepted (S2's limit)",
			post(kpSessionURL, line(`"reference"`, long(255)), 200, createOK), true,
			exchange.Exchange{}, ""},
		{"order line reference of 65 characters refused as the live API does",
			refused(post(kpSessionURL, line(`"reference"`, long(65)), 400, ""), "Bad value: order_lines[0].reference (size must be between 0 and 64)"), true,
			exchange.Exchange{}, ""},
		{"read-only session fields echoed in a create order (REC-nebulab)",
			post(kpOrderURL, strings.Replace(kpBody, `{`, `{"status":"complete","authorization_token":"cfbb0ccf","payment_method_categories":[]`+`,`, 1), 200, orderOK), false,
			exchange.Exchange{}, ""},
		{"intended_use in lower case (REC-nebulab)",
			post(kpTokenURL, strings.Replace(tokenBody, `"SUBSCRIPTION"`, `"subscription"`, 1), 200, tokenOK), false,
			exchange.Exchange{}, ""},
		{"null image_url in an order line (REC-solidus-null)",
			post(kpSessionURL, line(`"image_url"`, `null`), 200, createOK), false,
			post(kpSessionURL, line(`"image_url"`, `17`), 200, createOK), "schema.type@/order_lines/0/image_url"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if r := v.Validate(c.ex, contract.Default); !r.OK() {
				t.Errorf("default: %v", issues(r))
			}
			if strict := v.Validate(c.ex, contract.Strict); strict.OK() != c.documented {
				t.Errorf("strict: conforms %v, want %v: %v", strict.OK(), c.documented, issues(strict))
			}
			if c.missAt == "" {
				return
			}
			miss := v.Validate(c.miss, contract.Default)
			if strings.Join(pointers(miss, contract.Violation), ",") != c.missAt {
				t.Errorf("near miss: violations %v, want [%s]", pointers(miss, contract.Violation), c.missAt)
			}
		})
	}
}

// refused turns ex into the 400 the live API answers, with its message.
func refused(ex exchange.Exchange, message string) exchange.Exchange {
	ex.ResponseHeader = jsonHeader()
	ex.ResponseHeader.Set("Klarna-Correlation-Id", correlation)
	ex.ResponseBody = []byte(`{"correlation_id":"` + correlation + `","error_code":"BAD_VALUE","error_messages":["` + message + `"]}`)
	return ex
}
