package coverage

// gaps says why the suites cannot exercise an item against kconform's
// built-in mock, as found by running them against it. Keys are item names
// (responseItem, callbackItem, transitionItem, placeholderItem). StaleGaps
// reports an entry whose item was exercised after all, or that names
// nothing in the document, so the table cannot quietly go out of date.
var gaps = map[string]string{}

const (
	gapForbidden   = "the mock has no merchant without rights to the operation, so no spec can provoke 403"
	gapRateLimit   = "the mock has no rate limiter and no spec provokes rate limiting"
	gapServerError = "the mock answers 500 only on an internal error, which no spec or fault provokes"
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
	for item, why := range map[string]string{
		responseItem("distributeHppSession", 204):     "the mock answers a distribution 201; the document allows 201 or 204, and a target picks one",
		responseItem("distributeHppSession", 503):     "the mock never fails to distribute a link and no fault makes it answer 503",
		transitionItem("MANUAL_ID_CHECK", "DISABLED"): "no documented transition leads to MANUAL_ID_CHECK and the mock never produces it",
	} {
		gaps[item] = why
	}
}
