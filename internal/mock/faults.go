package mock

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// Fault is one deliberate departure from the contract that the mock can be
// switched into, so that the suites can prove they catch it.
type Fault struct {
	Name        string `json:"name"`
	Rule        string `json:"rule"`        // the rule of the contract it breaks
	Description string `json:"description"` // what the mock does instead
}

// FaultID names one fault in Go: suites declare the faults they catch with
// these constants (framework.Catches), so a misspelt fault does not compile.
// It indexes faultCatalogue; a faultSet is a bit mask of them.
type FaultID uint

const (
	FaultHPPCreateWrongStatus FaultID = iota
	FaultHPPReadMissingField
	FaultHPPStatusLowercase
	FaultHPPExpiryNotOneHourBefore
	FaultExpiredSessionReadable
	FaultPlaceholderUnsubstituted
	FaultPlaceholderWrongMode
	FaultPlaceholderNotEscaped
	FaultErrorFallbackMissing
	FaultTerminalStateReopened
	FaultCompletedDisableAllowed
	FaultDistributionOnDisabledAllowed
	FaultMissingContactAccepted
	FaultAuthNotEnforced
	FaultErrorBodyWrongShape
	FaultCorrelationIDMismatch
	FaultValidationOff
	FaultTokenReusable
	FaultTokenNeverExpires
	FaultOrderMismatchAccepted
	FaultKPStatusNotCompleted
	FaultCompletedMissingToken
	FaultUpdatedAtGoesBack
	FaultCallbackNotRetried
	FaultCallbackEventIDChanges
	FaultCallbackMissing
	FaultAmountsUnchecked
	FaultAddressMismatchAccepted
	FaultUnauthorizedJSON
	FaultDistributionUnavailable
	FaultQRCodeMissing
	FaultManualIDCheckDisableRefused
	FaultKCOOrderNotComplete
	faultCount
)

// faultCatalogue is the one list of faults: CONTROL.md's table and
// docs/fault-matrix.md are generated from it (cmd/kconform TestFaultMatrixTables).
var faultCatalogue = [faultCount]Fault{
	FaultHPPCreateWrongStatus: {"hpp-create-wrong-status",
		"HPP create answers 201 Created",
		"HPP create answers 200 instead of 201"},
	FaultHPPReadMissingField: {"hpp-read-missing-field",
		"an HPP read carries session_id, status, updated_at and expires_at",
		"HPP read omits expires_at"},
	FaultHPPStatusLowercase: {"hpp-status-lowercase",
		"the HPP status is one of the upper-case enum values",
		"HPP status enum sent in lowercase (reads and callbacks)"},
	FaultHPPExpiryNotOneHourBefore: {"hpp-expiry-not-one-hour-before",
		"an HPP session expires one hour before its KP session",
		"HPP expires_at equals the KP expiry (should be 1 h before)"},
	FaultExpiredSessionReadable: {"expired-session-readable",
		"an expired HPP session reads 404",
		"an expired HPP session still reads 200"},
	FaultPlaceholderUnsubstituted: {"placeholder-unsubstituted",
		"{{session_id}} is substituted in every merchant URL",
		"{{session_id}} left in redirect URLs"},
	FaultPlaceholderWrongMode: {"placeholder-wrong-mode",
		"{{authorization_token}} only in mode NONE, {{order_id}} only in PLACE_ORDER/CAPTURE_ORDER",
		"{{authorization_token}} filled (with order_id) in place-order modes and {{order_id}} in NONE"},
	FaultPlaceholderNotEscaped: {"placeholder-not-escaped",
		"substituted values are query-escaped and the rest of the URL is kept byte for byte",
		"substituted values and the URL's own query are decoded (breaks query encoding)"},
	FaultErrorFallbackMissing: {"error-fallback-missing",
		"an empty error URL falls back to the failure URL",
		"error action ignores the failure fallback (goes to the generic page)"},
	FaultTerminalStateReopened: {"terminal-state-reopened",
		"COMPLETED, CANCELLED and DISABLED are terminal",
		"opening the page of a CANCELLED/COMPLETED/DISABLED session moves it to IN_PROGRESS"},
	FaultCompletedDisableAllowed: {"completed-disable-allowed",
		"DELETE on a COMPLETED HPP session answers 400",
		"DELETE on a COMPLETED session answers 204"},
	FaultDistributionOnDisabledAllowed: {"distribution-on-disabled-allowed",
		"distribution on a DISABLED HPP session answers 400",
		"distribution on a DISABLED session answers 204"},
	FaultMissingContactAccepted: {"missing-contact-accepted",
		"a distribution needs the contact field of its method (400 MISSING_CONTACT_DATA)",
		"distribution without the contact field its method needs answers 204"},
	FaultAuthNotEnforced: {"auth-not-enforced",
		"missing or wrong credentials answer 401",
		"missing/wrong credentials are accepted"},
	FaultErrorBodyWrongShape: {"error-body-wrong-shape",
		"error bodies are ErrorV2 (correlation_id, error_code, error_messages)",
		`error bodies are {"error":"..."} instead of ErrorV2`},
	FaultCorrelationIDMismatch: {"correlation-id-mismatch",
		"the Klarna-Correlation-Id header equals the error body's correlation_id",
		"Klarna-Correlation-Id header differs from the body's correlation_id"},
	FaultValidationOff: {"validation-off",
		"a request that breaks the contract answers 400 BAD_VALUE",
		"invalid requests are accepted (no 400)"},
	FaultTokenReusable: {"token-reusable",
		"an authorization token creates one order (then 403 INVALID_OPERATION)",
		"an authorization token can create a second order"},
	FaultTokenNeverExpires: {"token-never-expires",
		"an authorization token expires after 60 minutes (then 404 NOT_FOUND)",
		"a token older than 60 min still creates an order"},
	FaultOrderMismatchAccepted: {"order-mismatch-accepted",
		"a create-order body that does not match the session answers 409 BAD_VALUE",
		"a create-order body that does not match the session answers 200"},
	FaultKPStatusNotCompleted: {"kp-status-not-completed",
		"a KP session is complete once an order is placed",
		"the KP session stays incomplete after an order"},
	FaultCompletedMissingToken: {"completed-missing-token",
		"a COMPLETED session in mode NONE carries authorization_token",
		"a COMPLETED (mode NONE) session is read without authorization_token"},
	FaultUpdatedAtGoesBack: {"updated-at-goes-back",
		"updated_at never goes back",
		"updated_at moves backwards on a status change"},
	FaultCallbackNotRetried: {"callback-not-retried",
		"a failed status callback is retried, up to 4 calls",
		"a failed callback is not retried"},
	FaultCallbackEventIDChanges: {"callback-event-id-changes",
		"every retry of a status callback carries the same event_id",
		"each retry of a callback carries a new event_id"},
	FaultCallbackMissing: {"callback-missing",
		"every HPP status change is POSTed to status_update",
		"no callback is sent on status changes"},
	FaultAmountsUnchecked: {"amounts-unchecked",
		"order amounts add up: line totals, line tax (±1), order_amount and order_tax_amount (400 BAD_VALUE)",
		"KP create, update and create order accept amounts that do not add up"},
	FaultAddressMismatchAccepted: {"address-mismatch-accepted",
		"a create-order whose addresses, customer or locale differ from the authorization answers 409 naming each field",
		"create order compares only amounts, currency, country and lines"},
	FaultUnauthorizedJSON: {"unauthorized-json",
		"a 401 is Klarna's HTML page (or empty) with WWW-Authenticate: Basic, as recorded",
		"401 answered with an ErrorV2 JSON body"},
	FaultDistributionUnavailable: {"distribution-unavailable",
		"a valid distribution of an open HPP session is accepted (201 or 204)",
		"distribution answers 503 (S1: unable to distribute due to an internal error)"},
	FaultQRCodeMissing: {"qr-code-missing",
		"HPP create gives a qr_code_url serving a QR code of redirect_url",
		"HPP create omits qr_code_url"},
	FaultManualIDCheckDisableRefused: {"manual-id-check-disable-refused",
		"the merchant can disable a session in MANUAL_ID_CHECK (its documented transition to DISABLED)",
		"DELETE on a MANUAL_ID_CHECK session answers 400"},
	FaultKCOOrderNotComplete: {"kco-order-not-complete",
		"a KCO order is checkout_complete once the consumer paid for it on the hosted page",
		"the KCO order stays checkout_incomplete after the consumer paid"},
}

// FaultNames lists every fault the mock can be switched into, in a fixed order.
func FaultNames() []Fault {
	out := make([]Fault, faultCount)
	copy(out, faultCatalogue[:])
	return out
}

// Faults lists every fault's ID, in the order of FaultNames.
func Faults() []FaultID {
	out := make([]FaultID, faultCount)
	for f := range out {
		out[f] = FaultID(f)
	}
	return out
}

// Fault is the catalogue entry of f: its name, the rule it breaks and what
// the mock does instead; the zero Fault for an ID outside the catalogue.
func (f FaultID) Fault() Fault {
	if f >= faultCount {
		return Fault{}
	}
	return faultCatalogue[f]
}

// String is the fault's name, as --fault and --mock-faults take it, or
// "unknown-fault-N" for an ID outside the catalogue (no name parses to it).
func (f FaultID) String() string {
	if f >= faultCount {
		return fmt.Sprintf("unknown-fault-%d", uint(f))
	}
	return faultCatalogue[f].Name
}

// faultSet is a set of active faults; the zero value has none.
type faultSet uint64

func (s faultSet) has(f FaultID) bool { return s&(1<<f) != 0 }

// names lists the active faults in catalogue order; never nil, so that it
// encodes as [] rather than null.
func (s faultSet) names() []string {
	out := []string{}
	for f := FaultID(0); f < faultCount; f++ {
		if s.has(f) {
			out = append(out, faultCatalogue[f].Name)
		}
	}
	return out
}

var faultByName = func() map[string]FaultID {
	m := make(map[string]FaultID, faultCount)
	for f := FaultID(0); f < faultCount; f++ {
		m[faultCatalogue[f].Name] = f
	}
	return m
}()

// ParseFaults is the one reader of fault names (Options.Faults, PUT
// /_kconform/faults, kconform mock --fault, kconform run --mock-faults, the
// suites' Catches labels). It returns the faults in the order given; an
// unknown name is an error that names it and lists the known faults.
func ParseFaults(names ...string) ([]FaultID, error) {
	out := make([]FaultID, 0, len(names))
	var unknown []string
	for _, n := range names {
		f, ok := faultByName[strings.TrimSpace(n)]
		if !ok {
			unknown = append(unknown, fmt.Sprintf("%q", n))
			continue
		}
		out = append(out, f)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown fault %s (known faults: %s)", strings.Join(unknown, ", "), strings.Join(faultSet(1<<faultCount-1).names(), ", "))
	}
	return out, nil
}

// parseFaults is ParseFaults as the server's set.
func parseFaults(names []string) (faultSet, error) {
	ids, err := ParseFaults(names...)
	var set faultSet
	for _, f := range ids {
		set |= 1 << f
	}
	return set, err
}

// activeFaults is the server's current set, read on every request without a lock.
type activeFaults struct{ bits atomic.Uint64 }

func (a *activeFaults) load() faultSet     { return faultSet(a.bits.Load()) }
func (a *activeFaults) store(s faultSet)   { a.bits.Store(uint64(s)) }
func (a *activeFaults) has(f FaultID) bool { return a.load().has(f) }
