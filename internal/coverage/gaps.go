package coverage

// gaps says why the suites cannot exercise an item against kconform's
// built-in mock, as found by running them against it. Keys are item names
// (responseItem, callbackItem, transitionItem, placeholderItem). StaleGaps
// reports an entry whose item was exercised after all, or that names
// nothing in the document, so the table cannot quietly go out of date.
var gaps = map[string]string{}

const (
	gapForbidden   = "the mock has no merchant without rights to the operation, so no spec can provoke 403"
	gapRateLimit   = "the mock rate-limits only when started with --rate-limit, which the suites' own mock is not, and no spec provokes rate limiting"
	gapServerError = "the mock answers 500 only on an internal error, which no spec or fault provokes"
	// gapKCO: the default run hosts KP sessions; `kconform run --payment-provider kco`
	// exercises the KCO operations (cmd/kconform TestRunBuiltInMockKCO).
	gapKCO = "the run's HPP sessions host KP sessions; KCO orders are created and read with --payment-provider kco"
)

func init() {
	for _, op := range []string{"createHppSession", "getSessionById", "disableHppSession", "distributeHppSession",
		"createCreditSession", "readCreditSession", "updateCreditSession", "createOrder", "cancelAuthorization", "purchaseToken"} {
		gaps[responseItem(op, 429)] = gapRateLimit
	}
	for _, op := range []string{"createHppSession", "getSessionById", "disableHppSession", "distributeHppSession",
		"createCreditSession", "readCreditSession", "updateCreditSession", "cancelAuthorization"} {
		gaps[responseItem(op, 403)] = gapForbidden
	}
	for _, op := range []string{"createCreditSession", "readCreditSession", "updateCreditSession", "createOrder",
		"cancelAuthorization", "purchaseToken"} {
		gaps[responseItem(op, 500)] = gapServerError
	}
	for _, op := range []string{"createCheckoutOrder", "readCheckoutOrder"} {
		gaps[responseItem(op, 429)] = gapRateLimit
		gaps[responseItem(op, 403)] = gapForbidden
		gaps[responseItem(op, 500)] = gapServerError
		gaps[responseItem(op, 401)] = gapKCO
	}
	for _, item := range []string{responseItem("createCheckoutOrder", 201), responseItem("createCheckoutOrder", 400),
		responseItem("readCheckoutOrder", 200), responseItem("readCheckoutOrder", 404)} {
		gaps[item] = gapKCO
	}
	for item, why := range map[string]string{
		responseItem("distributeHppSession", 201): "the mock answers a distribution 204, as Klarna's live endpoint does (klarna/kco_rest_php issue 52); the document allows 201 or 204, and a target picks one",
		responseItem("distributeHppSession", 503): "the mock answers 503 only under the distribution-unavailable fault, which a run without faults does not switch on",
	} {
		gaps[item] = why
	}
}
