package framework

// The evidence of the KCO specs (issue 16), registered beside the others:
// Kustom's Checkout pages (K- ids, reference §8) and Klarna's copy.
func init() {
	for id, s := range map[string]source{
		"K-hpp-create": {Documented, "docs.kustom.co …/checkout/hosted-payment-page/api-documentation/create-session (payment_session_url https://<environment-domain>/checkout/v3/orders/<kco_order_id>; no {{authorization_token}})"},
		"K-kco-create": {Documented, "docs.kustom.co/contents/checkout/integrate-kco-in-your-ecommerce/create-order (POST /checkout/v3/orders; the response is checkout_incomplete)"},
		"K-kco-read":   {Documented, "docs.kustom.co/v3/checkout/integrate-kco-in-your-ecommerce/read-order (GET /checkout/v3/orders/{order_id}; a paid order reads checkout_complete with completed_at)"},
		"K-kco-err":    {Documented, "docs.kustom.co/contents/checkout/additional-resources/errors-in-checkout (error object with code, messages, correlation id; 400 BAD_VALUE; orders \"only valid for 48 hours after merchant update or client interaction\")"},
		"K-auth":       {Documented, "docs.kustom.co/contents/api/api-basics/authentication (HTTP Basic with the Kustom API key)"},
		"N-kco-create": {Documented, "docs.klarna.com/klarna-checkout/integrate-klarna-checkout/create-order (Klarna's copy of the create-order page)"},
		"A-kco-404": {Assumption, "The stored Kustom and Klarna Checkout pages do not show what reading an unknown order answers, and K-kco-err says a KCO order expires " +
			"48 hours after the last merchant update or client interaction but not what it answers then; kconform reads both as the KP session does " +
			"(D-kperr: an unknown or expired session is 404 NOT_FOUND, and S1: an expired payment session cannot be hosted, 404)."},
	} {
		sources[id] = s
	}
}
