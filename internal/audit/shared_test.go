package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/recording"
)

// sharedRecordings is the shared folder as CI lays it out: cloned beside
// the repository.
const sharedRecordings = "../../../shared/recordings"

func sharedFile(t *testing.T, name string) string {
	t.Helper()
	if _, err := os.Stat(sharedRecordings); err != nil {
		t.Skipf("shared recordings not found at %s (CI clones shared/ beside the repository): %v", sharedRecordings, err)
	}
	return filepath.Join(sharedRecordings, name)
}

// The REAL captures are what Klarna's playground answered: the contract must
// accept every one of them, in default and in strict mode.
func TestRealCapturesConform(t *testing.T) {
	real := []struct {
		file      string
		operation string
		status    int
		warnings  []string // default mode; a 4xx demotes request issues to warnings
	}{
		{"saleor-app-payment-klarna__kp_create_session_Checkout_recording.har", "createCreditSession", 200, nil},
		{"saleor-app-payment-klarna__kp_create_session_Order_recording.har", "createCreditSession", 200, nil},
		{"solidus_klarna_payments__payment_methods_controller_passing_valid_credentials.yml", "createCreditSession", 400, []string{
			"warning schema.required@/order_amount", "warning schema.required@/order_lines",
			"warning schema.required@/purchase_country", "warning schema.required@/purchase_currency",
		}},
		{"solidus_klarna_payments__payment_methods_controller_passing_invalid_credentials.yml", "createCreditSession", 401, []string{
			"warning schema.required@/order_amount", "warning schema.required@/order_lines",
			"warning schema.required@/purchase_country", "warning schema.required@/purchase_currency",
		}},
	}
	for _, strict := range []bool{false, true} {
		for _, tt := range real {
			t.Run(tt.file, func(t *testing.T) {
				c, sum := run(t, Options{Strict: strict}, sharedFile(t, tt.file))
				if len(c.entries) != 1 || len(c.errs) != 0 {
					t.Fatalf("%d entries, errors %v", len(c.entries), c.errs)
				}
				e := c.entries[0]
				if e.Verdict != Conforms || e.Operation != tt.operation || e.Status != tt.status || e.Violations() != 0 {
					t.Errorf("strict=%v: %s %s %d, violations %v", strict, e.Verdict, e.Operation, e.Status, violations(e))
				}
				if !strict && strings.Join(rules(e), ",") != strings.Join(tt.warnings, ",") {
					t.Errorf("warnings %v; want %v", rules(e), tt.warnings)
				}
				if sum.ExitCode() != ExitConforms {
					t.Errorf("exit %d", sum.ExitCode())
				}
			})
		}
	}
}

// What each of the other shared files is, said explicitly: the bare bodies
// and the raw responses do not name their operation, so the test does (as
// `kconform validate --as` would). want lists the violations in default
// mode, strict the ones strict mode adds.
var sharedTable = []struct {
	file    string
	as      string
	verdict Verdict
	want    []string
	strict  []string
}{
	// HAND (docs example): the docs' placeholder "string" is no URI.
	{"Umbraco.Commerce.PaymentProviders.Klarna__hpp_create_response.json", "", Violates,
		[]string{"schema.format@/distribution_module/generation_url"}, nil},
	// HAND: a COMPLETED session with authorization_token and order_id both,
	// which the contract's oneOf forbids.
	{"Umbraco.Commerce.PaymentProviders.Klarna__hpp_status_update_callback.json", "", Violates,
		[]string{"schema.oneOf@/session"}, nil},
	// CLIENT request snapshots: accepted ("options": null, a sales_tax line).
	{"klarna-payments-for-woocommerce__session-se-b2c.json", "", Conforms, nil, nil},
	{"klarna-payments-for-woocommerce__session-us-sales-tax.json", "", Conforms, nil, nil},
	// Real headers, edited bodies: the edited correlation_id no longer
	// matches the header.
	{"omnipay-klarna-eqxDev__AuthorizeSuccess.txt", "createCreditSession", Conforms, nil, nil},
	{"omnipay-klarna-eqxDev__AuthorizeFailure.txt", "createCreditSession", Violates,
		[]string{"error.correlation-id-mismatch@/correlation_id"}, nil},
	{"omnipay-klarna-eqxDev__PurchaseSuccess.txt", "createOrder", Conforms, nil, nil},
	{"omnipay-klarna-eqxDev__PurchaseFailure.txt", "createOrder", Violates,
		[]string{"error.correlation-id-mismatch@/correlation_id"}, nil},
	// HAND, outdated (2019-20 SDK fixtures).
	{"kco_rest_dotnet__HostedPaymentPageGetSessionStatusResponse.json", "getSessionById:response:200", Violates,
		// auth_token is the outdated name of authorization_token: unknown, and
		// without authorization_token a COMPLETED session matches no shape.
		[]string{"schema.oneOf@", "schema.required@/expires_at", "schema.required@/session_id"},
		[]string{"body.unknown-field@/auth_token"}},
	{"kco_rest_dotnet__HostedPaymentPageCreateSessionResponse.json", "createHppSession:response:201", Violates,
		[]string{"schema.required@/expires_at", "schema.required@/session_id", "schema.required@/session_url"}, nil},
	{"kco_rest_dotnet__HostedPaymentPageCreateSessionRequest.json", "createHppSession:request", Violates,
		[]string{"schema.enum@/options/payment_method_category", "schema.enum@/options/purchase_type",
			"schema.format@/options/background_images/0/url", "schema.minimum@/options/background_images/0/width"},
		[]string{"body.unknown-field@/merchant_urls/privacy_policy", "body.unknown-field@/merchant_urls/terms"}},
	{"kco_rest_dotnet__HostedPaymentPageDistributeLinkToSessionRequest.json", "distributeHppSession:request", Conforms, nil, nil},
	{"kco_rest_dotnet__PaymentCreateNewSessionResponse.json", "createCreditSession:response:200", Conforms, nil, nil},
	{"kco_rest_dotnet__PaymentCreateOrderResponse.json", "createOrder:response:200", Conforms, nil, nil},
	{"kco_rest_dotnet__PaymentReadExistingCreditSessionResponse.json", "readCreditSession:response:200", Violates,
		[]string{"schema.enum@/acquiring_channel"},
		[]string{"body.unknown-field@/customer/last_four_ssn", "body.unknown-field@/customer/national_identification_number",
			"body.unknown-field@/options/color_button", "body.unknown-field@/options/color_button_text",
			"body.unknown-field@/options/color_checkbox", "body.unknown-field@/options/color_checkbox_checkmark",
			"body.unknown-field@/options/color_header", "body.unknown-field@/options/color_link",
			"body.unknown-field@/options/color_text_secondary"}},
	// HAND: `days` where the contract (S2) says number_of_days.
	{"commerce_klarna_payments__create-order-authorization.json", "createOrder:response:200", Conforms, nil,
		[]string{"body.unknown-field@/authorized_payment_method/days"}},
	{"commerce_klarna_payments__create-credit-session.json", "createCreditSession:response:200", Conforms, nil, nil},
}

func TestSharedFixtures(t *testing.T) {
	for _, tt := range sharedTable {
		t.Run(tt.file, func(t *testing.T) {
			path := sharedFile(t, tt.file)
			var opts Options
			if tt.as != "" {
				target, err := ParseTarget(tt.as)
				if err != nil {
					t.Fatal(err)
				}
				opts.As = &target
			}
			c, _ := run(t, opts, path)
			if len(c.entries) != 1 {
				t.Fatalf("%d entries", len(c.entries))
			}
			e := c.entries[0]
			if e.Verdict != tt.verdict || strings.Join(violations(e), ",") != strings.Join(tt.want, ",") {
				t.Errorf("default: %s %v; want %s %v", e.Verdict, violations(e), tt.verdict, tt.want)
			}
			// What strict adds is reported as a warning by default.
			opts.Strict = true
			c, _ = run(t, opts, path)
			want := append(append([]string(nil), tt.want...), tt.strict...)
			sortStrings(want)
			if got := violations(c.entries[0]); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("strict: %v; want %v", got, want)
			}
		})
	}
}

// The table covers every file of the shared folder, so a new recording
// cannot go unchecked.
func TestSharedTableComplete(t *testing.T) {
	dir := filepath.Dir(sharedFile(t, "x"))
	listed := map[string]bool{}
	for _, tt := range sharedTable {
		listed[tt.file] = true
	}
	for _, name := range []string{
		"saleor-app-payment-klarna__kp_create_session_Checkout_recording.har",
		"saleor-app-payment-klarna__kp_create_session_Order_recording.har",
		"solidus_klarna_payments__payment_methods_controller_passing_valid_credentials.yml",
		"solidus_klarna_payments__payment_methods_controller_passing_invalid_credentials.yml",
	} {
		listed[name] = true
	}
	for _, f := range recording.Discover([]string{dir}) {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s is in neither TestRealCapturesConform nor sharedTable", filepath.Base(f))
		}
	}
}

// Without --as the folder as a whole: the files that do not say what they
// are are listed outside the contract, not failed.
func TestSharedFolderWithoutTarget(t *testing.T) {
	dir := filepath.Dir(sharedFile(t, "x"))
	c, sum := run(t, Options{}, recording.Discover([]string{dir})...)
	outside := 0
	for _, e := range c.entries {
		if e.Verdict == Outside {
			outside++
			if r := rules(e); len(r) != 1 || r[0] != "warning "+RuleOperationNotRecorded+"@" {
				t.Errorf("%s: %v", e.File, r)
			}
		}
	}
	// 9 bare kco_rest_dotnet/commerce bodies and 4 omnipay responses.
	if outside != 13 || sum.Outside != 13 {
		t.Errorf("%d outside (summary %d); want 13", outside, sum.Outside)
	}
	if sum.Violating != 2 || sum.ExitCode() != ExitViolations {
		t.Errorf("summary %+v", sum)
	}
	// Strict: those are violations too.
	_, sum = run(t, Options{Strict: true}, recording.Discover([]string{dir})...)
	if sum.Outside != 0 || sum.Violating != 2+13 {
		t.Errorf("strict summary %+v", sum)
	}
}
