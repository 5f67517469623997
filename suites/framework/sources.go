package framework

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/labels"
)

// Evidence classes. Every spec has exactly one, and it comes from what the
// spec cites (Cites), never from a label written by hand: CheckSpecs
// refuses a class label its citations do not give, so the two cannot
// disagree.
//
//   - documented: a Klarna or Kustom page or document says so;
//   - recorded: a real capture in shared/recordings shows it (a recorded
//     spec may cite documents too);
//   - assumption: no public source says so; a broken assumption is a
//     finding, not a proven breach.
//
// The report (internal/runreport) reads them back; the names live in
// internal/labels.
const (
	Documented = labels.Documented
	Recorded   = labels.Recorded
	// Assumption is declared with the labels (labels.go).
)

// source is one entry of the evidence registry.
type source struct {
	class string
	// what: for a document, where it is; for a recording, the file(s) in
	// shared/recordings; for an assumption, why it is one.
	what string
}

// sources is the evidence registry: every id a spec may cite. Document ids
// are those of reference/klarna-api.md §0 (K- ids: Kustom's copies, §8;
// N- ids: public evidence newer than §0 — a Klarna page, or the live API's
// answer quoted in a public bug tracker — each naming its address);
// recordings are shared/recordings files; assumptions say why no source
// backs them. A spec citing an id not listed here stops the run at start.
var sources = map[string]source{
	// Documents.
	"S1":         {Documented, "Klarna HPP OpenAPI document v1.1 (docs.klarna.com/api/hpp-merchant; Kustom's copy docs.kustom.co/contents/api/hosted-payment-page)"},
	"S2":         {Documented, "Klarna Payments API V1 OpenAPI export of 2023-08-14 (saleor/saleor-app-payment-klarna klarna-payments.json)"},
	"D-create":   {Documented, "docs.klarna.com …/integrate-via-hpp/api-documentation/create-session"},
	"D-disable":  {Documented, "docs.klarna.com …/integrate-via-hpp/api-documentation/disable-session"},
	"D-dist":     {Documented, "docs.klarna.com/hosted-payment-page/api-documentation/distribute-session (error table partly readable)"},
	"D-cb":       {Documented, "docs.klarna.com …/integrate-via-hpp/api-documentation/status-callbacks"},
	"K-cb":       {Documented, "docs.kustom.co/contents/checkout/hosted-payment-page/api-documentation/status-callbacks"},
	"D-track":    {Documented, "docs.klarna.com/hosted-payment-page/get-started/tracking-session-status"},
	"D-hppapi":   {Documented, "docs.klarna.com …/integrate-via-hpp/api-documentation (objects, lifetimes)"},
	"D-hppkp":    {Documented, "docs.klarna.com …/integrate-via-hpp/before-you-start/accept-klarna-payments-using-hosted-payment-page"},
	"D-kperr":    {Documented, "docs.klarna.com/resources/developer-tools/error-handling/error-codes-and-messages-for-klarna-payments"},
	"D-kporder":  {Documented, "docs.klarna.com/klarna-payments/integrate-with-klarna-payments/step-3-create-an-order/create-a-one-time-payment-order"},
	"D-kpinit":   {Documented, "docs.klarna.com/klarna-payments/integrate-with-klarna-payments/step-1-initiate-a-payment"},
	"D-kpread":   {Documented, "docs.klarna.com …/other-actions/check-the-details-of-a-payment-session"},
	"D-kpauthcb": {Documented, "docs.klarna.com …/other-actions/authorization-callback"},
	"D-auth":     {Documented, "docs.klarna.com/api/authentication"},
	"D-err":      {Documented, "docs.klarna.com/api/errors"},
	"N-tax": {Documented, "docs.klarna.com/klarna-payments/in-depth-knowledge/tax-handling/ (\"Handle tax in Klarna payments\": order_tax_amount sums the lines' total_tax_amount; " +
		"in the US the tax is a sales_tax order line whose total_amount is order_tax_amount)"},

	// The evidence of the KCO specs (issue 16): Kustom's Checkout pages
	// (K- ids, reference §8) and Klarna's copy.
	"K-hpp-create": {Documented, "docs.kustom.co …/checkout/hosted-payment-page/api-documentation/create-session (payment_session_url https://<environment-domain>/checkout/v3/orders/<kco_order_id>; no {{authorization_token}})"},
	"K-kco-create": {Documented, "docs.kustom.co/contents/checkout/integrate-kco-in-your-ecommerce/create-order (POST /checkout/v3/orders; the response is checkout_incomplete)"},
	"K-kco-read":   {Documented, "docs.kustom.co/v3/checkout/integrate-kco-in-your-ecommerce/read-order (GET /checkout/v3/orders/{order_id}; a paid order reads checkout_complete with completed_at)"},
	"K-kco-err":    {Documented, "docs.kustom.co/contents/checkout/additional-resources/errors-in-checkout (error object with code, messages, correlation id; 400 BAD_VALUE; orders \"only valid for 48 hours after merchant update or client interaction\")"},
	"K-auth":       {Documented, "docs.kustom.co/contents/api/api-basics/authentication (HTTP Basic with the Kustom API key)"},
	"N-kco-create": {Documented, "docs.klarna.com/klarna-checkout/integrate-klarna-checkout/create-order (Klarna's copy of the create-order page)"},

	// Live answers quoted in public bug trackers (reference §8): Klarna's
	// own words back to an integrator, stronger than a guess, weaker than a
	// stored capture (no full exchange to validate).
	"N-live-bad-value": {Documented, "live KP 400 BAD_VALUE refusals of amounts that do not add up: \"Bad value: order_lines[1].total_amount\" and \"… order_lines[0].total_amount\" " +
		"(github.com/krokedil/klarna-payments-for-woocommerce issues 102 and 217), \"Bad value: order_lines[3].total_tax_amount\" (github.com/woocommerce/woocommerce issue 55109), " +
		"\"… total_tax_amount differs from the calculated value [-2990] by more than [1]\" (github.com/umbraco/Umbraco.Commerce.Issues issue 826)"},
	"N-not-matching": {Documented, "live KP 409 \"Not matching fields: [shipping_address.organization_name]\" to a create-order adding a field the authorization lacked " +
		"(github.com/krokedil/klarna-payments-for-woocommerce issue 132)"},

	// Real captures (shared/recordings).
	"REC-saleor":          {Recorded, "saleor-app-payment-klarna__kp_create_session_Checkout_recording.har saleor-app-payment-klarna__kp_create_session_Order_recording.har"},
	"REC-solidus-401":     {Recorded, "solidus_klarna_payments__payment_methods_controller_passing_invalid_credentials.yml"},
	"REC-solidus-400":     {Recorded, "solidus_klarna_payments__payment_methods_controller_passing_valid_credentials.yml"},
	"REC-nebulab-session": {Recorded, "nebulab-klarna_proxy__Klarna_Payment_create_session_returns_an_error_response_passing_the_wrong_arguments.yml"},
	"REC-nebulab-order":   {Recorded, "nebulab-klarna_proxy__Klarna_Payment_place_order_returns_an_error_response_passing_the_wrong_arguments.yml"},
	"REC-nebulab-token":   {Recorded, "nebulab-klarna_proxy__Klarna_Payment_customer_token_returns_an_error_response_passing_the_wrong_arguments.yml"},

	// Assumptions: what kconform checks without a public source, and why.
	"A-kco-404": {Assumption, "The stored Kustom and Klarna Checkout pages do not show what reading an unknown order answers, and K-kco-err says a KCO order expires " +
		"48 hours after the last merchant update or client interaction but not what it answers then; kconform reads both as the KP session does " +
		"(D-kperr: an unknown or expired session is 404 NOT_FOUND, and S1: an expired payment session cannot be hosted, 404)."},
	"A-hpp-error-body": {Assumption, "No HPP error body or Klarna-Correlation-Id header is documented or recorded: " +
		"S1 lists HPP 400 and 404 with a description only, Kustom's HPP reference lists nothing under its 400, and every recorded error is a KP one. " +
		"kconform reads Klarna's generic error page (D-err: an error object with a code, messages and a correlation id) as covering HPP too."},
	"A-callback-5xx": {Assumption, "Klarna (D-cb) and Kustom (K-cb) document a retry when no answer comes within 3 s, 4 calls at most, and expect a 2xx; " +
		"nothing says an answer with a 5xx is retried. kconform reads \"a 2xx is expected\" as: any other answer fails the call and is retried like a missing one."},
	"A-second-order": {Assumption, "D-kperr lists 403 INVALID_OPERATION \"Authorization token already consumed\" and 409 BAD_VALUE for an order " +
		"\"already completed with different request body\"; nothing public says what a second order with an identical body gets (the 409 wording hints it may be answered like the first)."},
	"A-made-up-contact": {Assumption, "Newer pages describe e-mail distribution only; S1 still lists sms and token. " +
		"Nothing says a phone number or access_id nobody owns is accepted rather than refused, or which code a missing phone or access_id gets (D-dist's readable row is \"Incomplete email data\")."},
	"A-delete-disabled": {Assumption, "DELETE on a session that is already DISABLED is not documented (reference §3.3, §7); kconform only asks that it stays DISABLED."},
	"A-not-json":        {Assumption, "The contract lists only application/json request bodies; Klarna does not document the answer to another media type (400 or 415)."},
	"A-order-checks-first": {Assumption, "A create-order body can both break the amount arithmetic and differ from its authorization; nothing public says which refusal wins " +
		"(400 BAD_VALUE naming the field, or 409 \"Not matching fields\"). A live 400 \"Bad value: order_lines[2].total_tax_amount\" to create_order is reported " +
		"(github.com/krokedil/klarna-payments-for-woocommerce issue 169) without the authorized body; kconform reads it as: the amounts are checked first."},
	"A-manual-id-check": {Assumption, "MANUAL_ID_CHECK is only an enum value of S1: no page says how a session reaches it (the kconform mock's consumer-page action " +
		"manual-id-check stands in) or whether it is final (D-track's table has no row for it). kconform reads it as reached from IN_PROGRESS (the contract's x-kconform-transitions, its one undocumented edge) " +
		"and non-final, so D-track's \"any non-final state → DISABLED through the DELETE call\" applies."},
	"A-qr-code": {Assumption, "S1 gives qr_code_url (\"HPP url to download qr code image\") and the distribution guide calls the payment URLs public, needing no authentication; " +
		"nothing says the image is a PNG or that its code holds redirect_url itself. kconform reads it as a PNG QR code of redirect_url."},
	"A-placeholder-text": {Assumption, "D-create lists the three placeholders and where each is filled; it does not say a placeholder written twice is filled twice, " +
		"or that any other {{…}} text is left alone. kconform reads placeholders as plain text substitution."},
}

// Cites declares the evidence a spec (or every spec of a container) rests
// on, as ids of the registry above, and gives it its class label:
//
//	It("MUST …", fw.Cites("S1", "D-track"), fw.Timeout, func(ctx SpecContext) { … })
//
// An unknown id, a mix of assumptions and sources, or no id at all gives
// no class, and CheckSpecs refuses the tree saying why.
func Cites(ids ...string) Labels {
	var out []string
	if c, err := classOf(ids); err == nil {
		out = append(out, c)
	}
	for _, id := range ids {
		out = append(out, labels.Cites+id)
	}
	return Label(out...)
}

// classOf is the class a set of citations gives: assumption when they are
// assumptions (which mix with nothing), recorded when one is a real
// capture, documented otherwise.
func classOf(ids []string) (string, error) {
	if len(ids) == 0 {
		return "", fmt.Errorf("it cites no evidence: decorate it with framework.Cites(ids…) (documents, recordings or an assumption, suites/framework/sources.go)")
	}
	classes := map[string]bool{}
	for _, id := range ids {
		s, ok := sources[id]
		if !ok {
			return "", fmt.Errorf("it cites %q, which is not in the evidence registry (suites/framework/sources.go); known: %s", id, strings.Join(sourceIDs(), ", "))
		}
		if strings.TrimSpace(s.what) == "" {
			if s.class == Assumption {
				return "", fmt.Errorf("it cites the assumption %q, which gives no reason", id)
			}
			return "", fmt.Errorf("it cites %q, which names no document or recording", id)
		}
		classes[s.class] = true
	}
	switch {
	case classes[Assumption] && len(classes) > 1:
		return "", fmt.Errorf("it cites an assumption and a source together (%s): a rule a source backs is no assumption; cite one or the other", strings.Join(ids, ", "))
	case classes[Assumption]:
		return Assumption, nil
	case classes[Recorded]:
		return Recorded, nil
	}
	return Documented, nil
}

// classLabels are the labels only Cites may give.
var classLabels = []string{Documented, Recorded, Assumption}

// citedBy returns the ids a spec cites.
func citedBy(ls []string) []string {
	var ids []string
	for _, l := range ls {
		if id, ok := strings.CutPrefix(l, labels.Cites); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// checkEvidence is CheckSpecs' part for one spec: it cites known evidence,
// and its class labels are exactly the one its citations give.
func checkEvidence(ls []string) error {
	want, err := classOf(citedBy(ls))
	if err != nil {
		return err
	}
	var got []string
	for _, l := range ls {
		if slices.Contains(classLabels, l) && !slices.Contains(got, l) {
			got = append(got, l)
		}
	}
	if len(got) == 0 {
		return fmt.Errorf("it carries citations but no class: write them with framework.Cites, not as labels")
	}
	if len(got) != 1 || got[0] != want {
		return fmt.Errorf("it is labelled %s but its citations make it %s: the class comes from framework.Cites alone, drop the hand-written label",
			strings.Join(got, ", "), want)
	}
	return nil
}

func sourceIDs() []string { return slices.Sorted(maps.Keys(sources)) }

// AssumptionList is docs/evidence.md's list of assumption rules, from a preview
// of the spec tree: how many specs each class has, then each assumption
// with why it is one and the rules resting on it.
func AssumptionList(r types.Report) string {
	rules := map[string][]string{}
	count := map[string]int{}
	specs := 0
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		specs++
		for _, c := range classLabels {
			if slices.Contains(s.Labels(), c) {
				count[c]++
			}
		}
		if slices.Contains(s.Labels(), Assumption) {
			for _, id := range citedBy(s.Labels()) {
				rules[id] = append(rules[id], s.FullText())
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d specs: %d documented, %d recorded, %d assumptions.\n\n", specs, count[Documented], count[Recorded], count[Assumption])
	for _, id := range sourceIDs() {
		if len(rules[id]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "- `%s`: %s\n", id, sources[id].what)
		for _, rule := range rules[id] {
			fmt.Fprintf(&b, "  - %s\n", rule)
		}
	}
	return b.String()
}
