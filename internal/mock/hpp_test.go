package mock

import (
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
)

func TestHPPCreateAndRead(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)
	created := h.createHPP(kpID, nil)
	for name, u := range map[string]string{"session_url": created.SessionUrl, "distribution_url": created.DistributionUrl, "redirect_url": *created.RedirectUrl} {
		if !strings.HasPrefix(u, h.base+"/") {
			t.Errorf("%s %q is not on the mock", name, u)
		}
	}
	s := h.readHPP(created.SessionId)
	if s.Status != api.WAITING || !s.ExpiresAt.Equal(created.ExpiresAt) || s.AuthorizationToken != nil || s.OrderId != nil {
		t.Fatalf("fresh session: %+v", s)
	}
	var kp api.SessionRead
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &kp)
	if d := kp.ExpiresAt.Sub(created.ExpiresAt); d != time.Hour {
		t.Errorf("HPP expires %v before KP, want 1h", d)
	}
	// Several HPP sessions may host one KP session.
	second := h.createHPP(kpID, nil)
	if second.SessionId == created.SessionId {
		t.Error("same id twice")
	}
	// The session_url the mock handed out reads the session.
	h.expect(h.do("GET", created.SessionUrl, ""), 200)
	e := h.expect(h.do("GET", "/hpp/v1/sessions/unknown", ""), 404).errorV2(t)
	if e.ErrorCode != "NOT_FOUND" {
		t.Errorf("unknown: %+v", e)
	}
}

func TestHPPCreateMatchesKPSessionByIDWhateverTheHost(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)
	for _, u := range []string{
		"https://api.klarna.com/payments/v1/sessions/" + kpID,
		"https://api-na.playground.klarna.com/payments/v1/sessions/" + kpID + "/",
		h.base + "/payments/v1/sessions/" + kpID,
	} {
		h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"`+u+`"}`), 201)
	}
	e := h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://api.klarna.com/payments/v1/sessions/00000000-0000-4000-8000-000000000000"}`), 404).errorV2(t)
	if e.ErrorCode != "NOT_FOUND" {
		t.Errorf("unknown KP session: %+v", e)
	}
	// A KCO order URL names an order, not this KP session: unknown, 404.
	h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://api.klarna.com/checkout/v3/orders/`+kpID+`"}`), 404)
	// Any other path names no payment session at all.
	e = h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://api.klarna.com/ordermanagement/v1/orders/`+kpID+`"}`), 400).errorV2(t)
	if e.ErrorMessages[0] != "Bad value: payment_session_url" {
		t.Errorf("other URL: %+v", e)
	}
}

func TestHPPCreateOnExpiredKPSession(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	kpID := h.createKP(kpBody)
	h.advance("46h59m")
	h.createHPP(kpID, nil)
	// In the KP session's last hour an HPP session would be born expired.
	h.advance("1m")
	h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://api.klarna.com/payments/v1/sessions/`+kpID+`"}`), 404)
	h.advance("2h")
	h.expect(h.do("POST", "/hpp/v1/sessions", `{"payment_session_url":"https://api.klarna.com/payments/v1/sessions/`+kpID+`"}`), 404)
}

func TestHPPExpiry(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	hpp := h.createHPP(h.createKP(kpBody), nil)
	other := h.createHPP(h.createKP(kpBody), nil)
	h.expect(h.openPage(other.SessionId), 200)
	h.advance("46h59m")
	h.readHPP(hpp.SessionId)
	h.advance("1m")
	h.expect(h.do("GET", "/hpp/v1/sessions/"+hpp.SessionId, ""), 404)
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+hpp.SessionId, ""), 404)
	h.expect(h.do("POST", "/hpp/v1/sessions/"+hpp.SessionId+"/distribution", `{"method":"email","contact_information":{"email":"a@example.com"}}`), 404)
	// The page refuses the consumer, and the session does not move.
	h.expect(h.openPage(hpp.SessionId), 410)
	h.expect(h.action(other.SessionId, "pay"), 410)
}

func TestHPPDisable(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)

	waiting := h.createHPP(kpID, nil)
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+waiting.SessionId, ""), 204)
	s := h.readHPP(waiting.SessionId)
	if s.Status != api.DISABLED {
		t.Fatalf("status %s, want DISABLED", s.Status)
	}
	// Again: 204 and nothing changes (our choice; undocumented).
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+waiting.SessionId, ""), 204)
	if again := h.readHPP(waiting.SessionId); !again.UpdatedAt.Equal(s.UpdatedAt) {
		t.Error("second DELETE changed updated_at")
	}
	e := h.expect(h.do("POST", "/hpp/v1/sessions/"+waiting.SessionId+"/distribution", `{"method":"email","contact_information":{"email":"a@example.com"}}`), 400).errorV2(t)
	if !strings.Contains(e.ErrorMessages[0], "disabled") {
		t.Errorf("distribution on disabled: %+v", e)
	}
	h.expect(h.openPage(waiting.SessionId), 410)

	completed := h.createHPP(kpID, nil)
	h.pay(completed.SessionId)
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+completed.SessionId, ""), 400).errorV2(t)
	if s := h.readHPP(completed.SessionId); s.Status != api.COMPLETED {
		t.Errorf("COMPLETED moved to %s", s.Status)
	}

	cancelled := h.createHPP(kpID, nil)
	h.expect(h.openPage(cancelled.SessionId), 200)
	h.expect(h.action(cancelled.SessionId, "cancel"), 303)
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+cancelled.SessionId, ""), 400).errorV2(t)

	inProgress := h.createHPP(kpID, nil)
	h.expect(h.openPage(inProgress.SessionId), 200)
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+inProgress.SessionId, ""), 204)
	h.expect(h.action(inProgress.SessionId, "pay"), 409)

	h.expect(h.do("DELETE", "/hpp/v1/sessions/unknown", ""), 404)
}

func TestHPPDistribution(t *testing.T) {
	h := newHarness(t, Options{})
	hpp := h.createHPP(h.createKP(kpBody), nil)
	path := "/hpp/v1/sessions/" + hpp.SessionId + "/distribution"
	for _, body := range []string{
		`{"method":"email","contact_information":{"email":"a@example.com"}}`,
		`{"method":"sms","contact_information":{"phone":"07000212345","phone_country":"SE"},"template":"INSTORE_PURCHASE"}`,
		`{"method":"token","contact_information":{"access_id":"5a5e8e70-1a96-4651-b3b6-b774012a5bbb"}}`,
	} {
		h.expect(h.do("POST", path, body), 204)
	}
	for method, body := range map[string]string{
		"email": `{"method":"email","contact_information":{"phone":"070"}}`,
		"sms":   `{"method":"sms","contact_information":{"phone":"070"}}`,
		"token": `{"method":"token","contact_information":{}}`,
	} {
		e := h.expect(h.do("POST", path, body), 400).errorV2(t)
		if e.ErrorCode != "MISSING_CONTACT_DATA" || e.ErrorMessages[0] != "Incomplete "+method+" data." {
			t.Errorf("%s without contact: %+v", method, e)
		}
	}
	e := h.expect(h.do("POST", path, `{"method":"fax","contact_information":{}}`), 400).errorV2(t)
	if e.ErrorCode != "BAD_VALUE" || e.ErrorMessages[0] != "Bad value: method" {
		t.Errorf("bad method: %+v", e)
	}
	e = h.expect(h.do("POST", path, `{"method":"email","contact_information":{"email":"not-an-address"}}`), 400).errorV2(t)
	if e.ErrorMessages[0] != "Bad value: contact_information.email" {
		t.Errorf("bad email: %+v", e)
	}
	h.expect(h.do("POST", "/hpp/v1/sessions/unknown/distribution", `{"method":"email","contact_information":{"email":"a@example.com"}}`), 404)
}
