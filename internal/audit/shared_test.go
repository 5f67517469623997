package audit

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/groundtruth"
	"github.com/kconform/kconform/internal/recording"
)

// sharedFile is a file of the shared recordings, beside the repository.
func sharedFile(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(sharedDir(t), name)
}

// sharedDir is the shared recordings: a test calls it before its subtests,
// so that a missing folder is one line, not one per file.
func sharedDir(t *testing.T) string {
	t.Helper()
	return groundtruth.Path(t, "recordings")
}

// realCaptures are what Klarna's playground answered: the contract must
// accept every one of them in default mode. warnings lists what default mode
// reports (a 4xx demotes request issues to warnings; the request leniency
// classes are warnings too); strict lists the violations strict mode reports
// instead: the departures the real server accepted (read-only fields, an enum
// value in another case, fields outside the contract).
var realCaptures = []struct {
	file      string
	operation string
	status    int
	warnings  []string
	strict    []string
}{
	{"saleor-app-payment-klarna__kp_create_session_Checkout_recording.har", "createCreditSession", 200, nil, nil},
	{"saleor-app-payment-klarna__kp_create_session_Order_recording.har", "createCreditSession", 200, nil, nil},
	{"solidus_klarna_payments__payment_methods_controller_passing_valid_credentials.yml", "createCreditSession", 400, missingKPFields, nil},
	{"solidus_klarna_payments__payment_methods_controller_passing_invalid_credentials.yml", "createCreditSession", 401, missingKPFields, nil},
	// nebulab/klarna_proxy, api-na playground, 2021 (REC-nebulab).
	{nebulab + "create_session_returns_a_response_object.yml", "createCreditSession", 200, nil, nil},
	{nebulab + "create_session_returns_a_success_response_passing_the_correct_arguments.yml", "createCreditSession", 200, nil, nil},
	{nebulab + "create_session_returns_an_error_response_passing_the_wrong_arguments.yml", "createCreditSession", 400, missingKPFields, nil},
	{nebulab + "customer_token_returns_a_response_object.yml", "purchaseToken", 200, lowerCaseIntendedUse, lowerCaseIntendedUse},
	{nebulab + "customer_token_returns_a_success_response_passing_the_correct_arguments.yml", "purchaseToken", 200, lowerCaseIntendedUse, lowerCaseIntendedUse},
	{nebulab + "customer_token_returns_an_error_response_passing_the_wrong_arguments.yml", "purchaseToken", 400, []string{
		"warning schema.required@/description", "warning schema.required@/intended_use", "warning schema.required@/locale",
		"warning schema.required@/purchase_country", "warning schema.required@/purchase_currency",
	}, nil},
	{nebulab + "place_order_returns_a_response_object.yml", "createOrder", 200, sessionEchoedInOrder, sessionEchoedInOrder},
	{nebulab + "place_order_returns_a_success_response_passing_the_correct_arguments.yml", "createOrder", 200, sessionEchoedInOrder, sessionEchoedInOrder},
	{nebulab + "place_order_returns_an_error_response_passing_the_wrong_arguments.yml", "createOrder", 400, missingKPFields, nil},
	// An update of the session id "session_id" answered 204: the gem may
	// have replaced the real id when recording; the exchange conforms either way.
	{nebulab + "update_session_returns_a_response_object.yml", "updateCreditSession", 204, nil, nil},
	{nebulab + "update_session_returns_a_success_response_passing_the_correct_arguments.yml", "updateCreditSession", 204, nil, nil},
	{nebulab + "update_session_returns_an_error_response_passing_the_wrong_arguments.yml", "updateCreditSession", 204, nil, nil},
}

const nebulab = "nebulab-klarna_proxy__Klarna_Payment_"

var (
	missingKPFields = []string{
		"warning schema.required@/order_amount", "warning schema.required@/order_lines",
		"warning schema.required@/purchase_country", "warning schema.required@/purchase_currency",
	}
	// "intended_use": "subscription", answered 200.
	lowerCaseIntendedUse = []string{"schema.enum@/intended_use"}
	// A create-order body carrying the whole session, read-only fields and
	// session-only fields included, answered 200.
	sessionEchoedInOrder = []string{
		"body.unknown-field@/acquiring_channel", "body.unknown-field@/attachment",
		"body.unknown-field@/client_token", "body.unknown-field@/design",
		"body.unknown-field@/expires_at", "body.unknown-field@/options",
		"schema.readOnly@/authorization_token", "schema.readOnly@/payment_method_categories", "schema.readOnly@/status",
	}
)

// withSeverity prefixes rule@pointer items with a severity, as rules() lists them.
func withSeverity(sev string, items []string) []string {
	if len(items) > 0 && strings.HasPrefix(items[0], "warning ") {
		return items
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = sev + " " + it
	}
	return out
}

func TestRealCapturesConform(t *testing.T) {
	sharedDir(t)
	for _, strict := range []bool{false, true} {
		for _, tt := range realCaptures {
			t.Run(tt.file, func(t *testing.T) {
				c, sum := run(t, Options{Strict: strict}, sharedFile(t, tt.file))
				if len(c.entries) != 1 || len(c.errs) != 0 {
					t.Fatalf("%d entries, errors %v", len(c.entries), c.errs)
				}
				e := c.entries[0]
				if e.Operation != tt.operation || e.Status != tt.status {
					t.Errorf("%s %d; want %s %d", e.Operation, e.Status, tt.operation, tt.status)
				}
				if !strict {
					if e.Verdict != Conforms || e.Violations() != 0 || sum.ExitCode() != ExitConforms {
						t.Errorf("default: %s, violations %v, exit %d", e.Verdict, violations(e), sum.ExitCode())
					}
					if got, want := rules(e), withSeverity("warning", tt.warnings); strings.Join(got, ",") != strings.Join(want, ",") {
						t.Errorf("warnings %v; want %v", got, want)
					}
					return
				}
				if got := violations(e); strings.Join(got, ",") != strings.Join(tt.strict, ",") {
					t.Errorf("strict: violations %v; want %v", got, tt.strict)
				}
				if (e.Verdict == Conforms) != (len(tt.strict) == 0) {
					t.Errorf("strict: verdict %s with violations %v", e.Verdict, tt.strict)
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
	// Its lower-case option values differ from the enums only in case: a
	// request leniency class, a warning by default.
	{"kco_rest_dotnet__HostedPaymentPageCreateSessionRequest.json", "createHppSession:request", Violates,
		[]string{"schema.format@/options/background_images/0/url", "schema.minimum@/options/background_images/0/width"},
		[]string{"body.unknown-field@/merchant_urls/privacy_policy", "body.unknown-field@/merchant_urls/terms",
			"schema.enum@/options/payment_method_category", "schema.enum@/options/purchase_type"}},
	{"kco_rest_dotnet__HostedPaymentPageDistributeLinkToSessionRequest.json", "distributeHppSession:request", Conforms, nil, nil},
	{"kco_rest_dotnet__PaymentCreateNewSessionResponse.json", "createCreditSession:response:200", Conforms, nil, nil},
	{"kco_rest_dotnet__PaymentCreateOrderResponse.json", "createOrder:response:200", Conforms, nil, nil},
	{"kco_rest_dotnet__PaymentReadExistingCreditSessionResponse.json", "readCreditSession:response:200", Violates,
		[]string{"schema.enum@/acquiring_channel"},
		// customer.last_four_ssn and national_identification_number are in
		// the read schema since seed 003 showed them.
		[]string{"body.unknown-field@/options/color_button", "body.unknown-field@/options/color_button_text",
			"body.unknown-field@/options/color_checkbox", "body.unknown-field@/options/color_checkbox_checkmark",
			"body.unknown-field@/options/color_header", "body.unknown-field@/options/color_link",
			"body.unknown-field@/options/color_text_secondary"}},
	// HAND: `days` where the contract (S2) says number_of_days.
	{"commerce_klarna_payments__create-order-authorization.json", "createOrder:response:200", Conforms, nil,
		[]string{"body.unknown-field@/authorized_payment_method/days"}},
	{"commerce_klarna_payments__create-credit-session.json", "createCreditSession:response:200", Conforms, nil, nil},
}

func TestSharedFixtures(t *testing.T) {
	sharedDir(t)
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
	dir := sharedDir(t)
	listed := map[string]bool{}
	for _, tt := range sharedTable {
		listed[tt.file] = true
	}
	for _, tt := range realCaptures {
		listed[tt.file] = true
	}
	for _, f := range recording.Discover([]string{dir}) {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s is in neither realCaptures nor sharedTable", filepath.Base(f))
		}
	}
}

// Without --as the folder as a whole: the files that do not say what they
// are are listed outside the contract, not failed.
func TestSharedFolderWithoutTarget(t *testing.T) {
	dir := sharedDir(t)
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
	// And the four nebulab captures whose accepted departures strict mode reports.
	if sum.Outside != 0 || sum.Violating != 2+13+4 {
		t.Errorf("strict summary %+v", sum)
	}
}
