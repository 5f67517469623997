package mock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
)

// violations checks a response in strict mode, as the tests check every response.
func (h *harness) violations(method, path, reqBody string, r response) []contract.Issue {
	ex := exchange.Exchange{Method: method, URL: h.base + path, RequestHeader: http.Header{"Content-Type": {"application/json"}},
		RequestBody: []byte(reqBody), Status: r.status, ResponseHeader: r.header, ResponseBody: r.body}
	return h.v.ValidateResponse(ex, contract.Strict).Violations()
}

func hasRule(issues []contract.Issue, rule string) bool {
	for _, is := range issues {
		if is.Rule == rule {
			return true
		}
	}
	return false
}

// TestEveryFaultChangesWhatItNames switches each fault on alone and shows
// the behaviour its description names, and, for a response the contract
// can judge, that the validator now reports it.
func TestEveryFaultChangesWhatItNames(t *testing.T) {
	cases := map[string]func(t *testing.T, h *harness){
		"hpp-create-wrong-status": func(t *testing.T, h *harness) {
			body := `{"payment_session_url":"https://api.klarna.com/payments/v1/sessions/` + h.createKP(kpBody) + `"}`
			r := h.expect(h.do("POST", "/hpp/v1/sessions", body), 200)
			if !hasRule(h.violations("POST", "/hpp/v1/sessions", body, r), contract.RuleUndocumentedStatus) {
				t.Error("the validator does not see the 200")
			}
		},
		"hpp-read-missing-field": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			r := h.expect(h.do("GET", "/hpp/v1/sessions/"+id, ""), 200)
			if strings.Contains(string(r.body), "expires_at") || len(h.violations("GET", "/hpp/v1/sessions/"+id, "", r)) == 0 {
				t.Errorf("read: %s", r.body)
			}
		},
		"hpp-status-lowercase": func(t *testing.T, h *harness) {
			if s := h.readHPP(h.createHPP(h.createKP(kpBody), nil).SessionId); s.Status != "waiting" {
				t.Errorf("status %q", s.Status)
			}
		},
		"hpp-expiry-not-one-hour-before": func(t *testing.T, h *harness) {
			kpID := h.createKP(kpBody)
			hpp := h.createHPP(kpID, nil)
			var kp api.SessionRead
			h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &kp)
			if !hpp.ExpiresAt.Equal(*kp.ExpiresAt) {
				t.Errorf("HPP %v, KP %v", hpp.ExpiresAt, *kp.ExpiresAt)
			}
		},
		"expired-session-readable": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.advance("47h")
			h.expect(h.do("POST", "/payments/v1/sessions", kpBody), 200) // a write: the sweep keeps it
			h.expect(h.do("GET", "/hpp/v1/sessions/"+id, ""), 200)
			h.expect(h.openPage(id), 410) // only the read is broken
		},
		"placeholder-unsubstituted": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), map[string]any{"merchant_urls": merchantURLs}).SessionId
			h.expect(h.openPage(id), 200)
			if loc := h.expect(h.action(id, "back"), 303).header.Get("Location"); loc != "https://shop.example/back?hpp={{session_id}}" {
				t.Errorf("Location %q", loc)
			}
		},
		"placeholder-wrong-mode": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), map[string]any{"merchant_urls": merchantURLs}).SessionId
			h.expect(h.openPage(id), 200)
			loc := h.expect(h.action(id, "pay"), 303).header.Get("Location")
			token := *h.readHPP(id).AuthorizationToken
			if !strings.HasSuffix(loc, "&order="+token) {
				t.Errorf("{{order_id}} not filled with the token in mode NONE: %q", loc)
			}
			id = h.createHPP(h.createKP(kpBody), map[string]any{"merchant_urls": merchantURLs, "options": map[string]any{"place_order_mode": "PLACE_ORDER"}}).SessionId
			h.expect(h.openPage(id), 200)
			loc = h.expect(h.action(id, "pay"), 303).header.Get("Location")
			order := *h.readHPP(id).OrderId
			if !strings.Contains(loc, "&token="+order+"&") {
				t.Errorf("{{authorization_token}} not filled with order_id: %q", loc)
			}
		},
		"placeholder-not-escaped": func(t *testing.T, h *harness) {
			urls := map[string]any{"back": "https://shop.example/back?next=%2Fcart%3Fa%3D1&hpp={{session_id}}"}
			id := h.createHPP(h.createKP(kpBody), map[string]any{"merchant_urls": urls}).SessionId
			h.expect(h.openPage(id), 200)
			if loc := h.expect(h.action(id, "back"), 303).header.Get("Location"); loc != "https://shop.example/back?next=/cart?a=1&hpp="+id {
				t.Errorf("Location %q", loc)
			}
		},
		"error-fallback-missing": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), map[string]any{"merchant_urls": map[string]any{"failure": "https://shop.example/f"}}).SessionId
			h.expect(h.openPage(id), 200)
			if loc := h.expect(h.action(id, "error"), 303).header.Get("Location"); loc != h.base+"/pay/"+id+"/result" {
				t.Errorf("Location %q", loc)
			}
		},
		"terminal-state-reopened": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.expect(h.do("DELETE", "/hpp/v1/sessions/"+id, ""), 204)
			h.expect(h.openPage(id), 200)
			if s := h.readHPP(id); s.Status != api.INPROGRESS {
				t.Errorf("status %s", s.Status)
			}
		},
		"completed-disable-allowed": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.pay(id)
			h.expect(h.do("DELETE", "/hpp/v1/sessions/"+id, ""), 204)
		},
		"distribution-on-disabled-allowed": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.expect(h.do("DELETE", "/hpp/v1/sessions/"+id, ""), 204)
			h.expect(h.do("POST", "/hpp/v1/sessions/"+id+"/distribution", `{"method":"email","contact_information":{"email":"a@example.com"}}`), 204)
		},
		"missing-contact-accepted": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.expect(h.do("POST", "/hpp/v1/sessions/"+id+"/distribution", `{"method":"email","contact_information":{}}`), 204)
			// Only that rule: a bad method is still refused.
			h.expect(h.do("POST", "/hpp/v1/sessions/"+id+"/distribution", `{"method":"fax","contact_information":{}}`), 400)
		},
		"auth-not-enforced": func(t *testing.T, h *harness) {
			h.expect(h.send("GET", "/payments/v1/sessions/x", "", nil), 404)
		},
		"error-body-wrong-shape": func(t *testing.T, h *harness) {
			r := h.expect(h.do("GET", "/payments/v1/sessions/x", ""), 404)
			var body map[string]any
			r.json(t, &body)
			if body["error"] != "Invalid session id" || len(body) != 1 {
				t.Errorf("body %s", r.body)
			}
			if !hasRule(h.violations("GET", "/payments/v1/sessions/x", "", r), "schema.required") {
				t.Error("the validator does not see the shape")
			}
		},
		"correlation-id-mismatch": func(t *testing.T, h *harness) {
			r := h.expect(h.do("GET", "/payments/v1/sessions/x", ""), 404)
			var e api.ErrorV2
			r.json(t, &e)
			if e.CorrelationId == r.header.Get("Klarna-Correlation-Id") {
				t.Error("header equals body")
			}
			if !hasRule(h.violations("GET", "/payments/v1/sessions/x", "", r), contract.RuleCorrelationMismatch) {
				t.Error("the validator does not see the mismatch")
			}
		},
		"validation-off": func(t *testing.T, h *harness) {
			h.expect(h.do("POST", "/payments/v1/sessions", strings.Replace(kpBody, `"SEK"`, `"SEKK"`, 1)), 200)
		},
		"token-reusable": func(t *testing.T, h *harness) {
			token := h.authorize(h.createKP(kpBody))
			h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 200)
			h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 200)
		},
		"token-never-expires": func(t *testing.T, h *harness) {
			token := h.authorize(h.createKP(kpBody))
			h.advance("3h")
			h.expect(h.do("POST", "/payments/v1/sessions", kpBody), 200) // a write: the sweep keeps it
			h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody), 200)
		},
		"order-mismatch-accepted": func(t *testing.T, h *harness) {
			token := h.authorize(h.createKP(kpBody))
			h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", strings.Replace(orderBody, `"name": "Tomatoes"`, `"name": "Potatoes"`, 1)), 200)
		},
		"amounts-unchecked": func(t *testing.T, h *harness) {
			h.expect(h.do("POST", "/payments/v1/sessions", strings.Replace(kpBody, `"total_tax_amount": 4000`, `"total_tax_amount": 4100`, 1)), 200)
		},
		"distribution-unavailable": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.expect(h.do("POST", "/hpp/v1/sessions/"+id+"/distribution", `{"method":"email","contact_information":{"email":"a@example.com"}}`), 503).errorV2(t)
		},
		"qr-code-missing": func(t *testing.T, h *harness) {
			if c := h.createHPP(h.createKP(kpBody), nil); c.QrCodeUrl != nil {
				t.Errorf("qr_code_url %q", *c.QrCodeUrl)
			}
		},
		"manual-id-check-disable-refused": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.expect(h.openPage(id), 200)
			h.expect(h.action(id, "manual-id-check"), 303)
			h.expect(h.do("DELETE", "/hpp/v1/sessions/"+id, ""), 400)
		},
		"unauthorized-json": func(t *testing.T, h *harness) {
			h.expect(h.send("GET", "/payments/v1/sessions/x", "", func(r *http.Request) { r.Header.Del("Authorization") }), 401).errorV2(t)
		},
		"address-mismatch-accepted": func(t *testing.T, h *harness) {
			token := h.authorize(h.createKP(withAddress(kpBody, "41106")))
			h.expect(h.do("POST", "/payments/v1/authorizations/"+token+"/order", withAddress(orderBody, "41107")), 200)
		},
		"kp-status-not-completed": func(t *testing.T, h *harness) {
			kpID := h.createKP(kpBody)
			h.expect(h.do("POST", "/payments/v1/authorizations/"+h.authorize(kpID)+"/order", orderBody), 200)
			var s api.SessionRead
			h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &s)
			if *s.Status != api.Incomplete {
				t.Errorf("status %s", *s.Status)
			}
		},
		"kco-order-not-complete": func(t *testing.T, h *harness) {
			o := h.createKCO(kcoBody)
			if s := h.pay(h.hostKCO(o.OrderId, nil).SessionId); s.Status != api.COMPLETED {
				t.Fatalf("HPP status %s", s.Status)
			}
			if got := h.readKCO(o.OrderId).Status; got != api.CheckoutIncomplete {
				t.Errorf("status %s", got)
			}
		},
		"completed-missing-token": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			h.expect(h.openPage(id), 200)
			h.expect(h.action(id, "pay"), 303)
			r := h.expect(h.do("GET", "/hpp/v1/sessions/"+id, ""), 200)
			if strings.Contains(string(r.body), "authorization_token") || len(h.violations("GET", "/hpp/v1/sessions/"+id, "", r)) == 0 {
				t.Errorf("read %s", r.body)
			}
		},
		"updated-at-goes-back": func(t *testing.T, h *harness) {
			id := h.createHPP(h.createKP(kpBody), nil).SessionId
			before := h.readHPP(id).UpdatedAt
			h.advance("1s")
			h.expect(h.openPage(id), 200)
			if after := h.readHPP(id).UpdatedAt; !after.Before(before) {
				t.Errorf("updated_at %v then %v", before, after)
			}
		},
		"callback-not-retried": func(t *testing.T, h *harness) {
			rc := newReceiver(t, func(int) (int, time.Duration) { return 500, 0 })
			id := h.hostReporting(rc).SessionId
			h.expect(h.openPage(id), 200)
			rc.wait(1)
			rc.staysAt(1, 150*time.Millisecond)
		},
		"callback-event-id-changes": func(t *testing.T, h *harness) {
			rc := newReceiver(t, func(n int) (int, time.Duration) {
				if n == 1 {
					return 500, 0
				}
				return 200, 0
			})
			id := h.hostReporting(rc).SessionId
			h.expect(h.openPage(id), 200)
			calls := rc.wait(2)
			var a, b api.StatusUpdateEventV1
			_ = json.Unmarshal(calls[0].body, &a)
			_ = json.Unmarshal(calls[1].body, &b)
			if a.EventId == b.EventId {
				t.Error("same event_id on the retry")
			}
		},
		"callback-missing": func(t *testing.T, h *harness) {
			rc := newReceiver(t, nil)
			id := h.hostReporting(rc).SessionId
			h.pay(id)
			rc.staysAt(0, 100*time.Millisecond)
		},
	}
	for _, f := range FaultNames() {
		check, ok := cases[f.Name]
		if !ok {
			t.Errorf("fault %s has no test", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			h := newHarness(t, Options{ClockControl: true, FaultControl: true})
			h.t = t
			h.setFaults(f.Name)
			check(t, h)
		})
	}
	if len(cases) != len(FaultNames()) {
		t.Errorf("%d cases for %d faults", len(cases), len(FaultNames()))
	}
}

// TestFaultsSwitchedOffAgain: switching a fault off restores the rule, for
// state created while it was on too.
func TestFaultsSwitchedOffAgain(t *testing.T) {
	h := newHarness(t, Options{FaultControl: true})
	h.setFaults("hpp-status-lowercase")
	id := h.createHPP(h.createKP(kpBody), nil).SessionId
	h.expect(h.send("PUT", "/_kconform/faults", `{"active":[]}`, nil), 204)
	h.allowOffContract(false)
	if s := h.readHPP(id); s.Status != api.WAITING {
		t.Errorf("status %s after the fault is off", s.Status)
	}
}

// ParseFaults is the one reader of fault names: known names give their IDs
// in order, and every unknown one is named with the list of known faults.
func TestParseFaultsNamesTheUnknownAndTheKnown(t *testing.T) {
	got, err := ParseFaults("token-reusable", " qr-code-missing")
	if err != nil || len(got) != 2 || got[0] != FaultTokenReusable || got[1] != FaultQRCodeMissing {
		t.Fatalf("got %v, %v", got, err)
	}
	if got[0].String() != "token-reusable" || got[1].Fault().Rule == "" {
		t.Errorf("%v names %q, rule %q", got[0], got[0].String(), got[1].Fault().Rule)
	}
	_, err = ParseFaults("token-reusable", "made-up", "tokn-reusable")
	if err == nil {
		t.Fatal("unknown names accepted")
	}
	ids := Faults()
	for _, want := range []string{`unknown fault "made-up", "tokn-reusable"`, "(known faults: " + ids[0].String() + ", ", ", " + ids[len(ids)-1].String() + ")"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if s := FaultID(faultCount).String(); !strings.HasPrefix(s, "unknown-fault-") {
		t.Errorf("an ID outside the catalogue is %q", s)
	}
	if _, err := ParseFaults(FaultID(faultCount).String()); err == nil {
		t.Error("an ID outside the catalogue parses")
	}
}

// The README counts the faults; the count follows the catalogue (review
// fix2 item 3: it said 32 after the 33rd was added).
func TestReadmeCountsTheFaults(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d switchable faults", len(FaultNames()))
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not say %q (kconform mock --list-faults lists %d)", want, len(FaultNames()))
	}
}
