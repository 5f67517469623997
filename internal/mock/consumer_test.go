package mock

import (
	"net/url"
	"strings"
	"testing"

	"github.com/kconform/kconform/generated/api"
)

var merchantURLs = map[string]any{
	"success": "https://shop.example/ok?hpp={{session_id}}&token={{authorization_token}}&order={{order_id}}",
	"failure": "https://shop.example/fail?hpp={{session_id}}",
	"back":    "https://shop.example/back?hpp={{session_id}}",
	"cancel":  "https://shop.example/cancel?hpp={{session_id}}",
	"error":   "https://shop.example/error?hpp={{session_id}}",
}

func TestConsumerActions(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)
	for _, tc := range []struct {
		action   string
		status   api.HppStatus
		location string // with HPP for the session id
	}{
		{"decline", api.FAILED, "https://shop.example/fail?hpp=HPP"},
		{"back", api.BACK, "https://shop.example/back?hpp=HPP"},
		{"cancel", api.CANCELLED, "https://shop.example/cancel?hpp=HPP"},
		{"error", api.ERROR, "https://shop.example/error?hpp=HPP"},
		{"pay", api.COMPLETED, "https://shop.example/ok?hpp=HPP&token=TOKEN&order={{order_id}}"},
	} {
		t.Run(tc.action, func(t *testing.T) {
			hpp := h.createHPP(kpID, map[string]any{"merchant_urls": merchantURLs})
			page := h.expect(h.openPage(hpp.SessionId), 200)
			if !strings.Contains(string(page.body), `action="/pay/`+hpp.SessionId+`/`+tc.action+`"`) {
				t.Errorf("page has no %s form:\n%s", tc.action, page.body)
			}
			if s := h.readHPP(hpp.SessionId); s.Status != api.INPROGRESS {
				t.Fatalf("after opening: %s", s.Status)
			}
			resp := h.expect(h.action(hpp.SessionId, tc.action), 303)
			s := h.readHPP(hpp.SessionId)
			if s.Status != tc.status {
				t.Fatalf("status %s, want %s", s.Status, tc.status)
			}
			want := strings.ReplaceAll(tc.location, "HPP", hpp.SessionId)
			if s.AuthorizationToken != nil {
				want = strings.ReplaceAll(want, "TOKEN", url.QueryEscape(*s.AuthorizationToken))
			}
			if got := resp.header.Get("Location"); got != want {
				t.Errorf("Location %q, want %q", got, want)
			}
		})
	}
}

func TestConsumerPageRetryAfterBackFailedError(t *testing.T) {
	h := newHarness(t, Options{})
	hpp := h.createHPP(h.createKP(kpBody), nil)
	for _, action := range []string{"back", "decline", "error"} {
		h.expect(h.openPage(hpp.SessionId), 200)
		h.expect(h.action(hpp.SessionId, action), 303)
		// Not IN_PROGRESS any more: the next action needs the page again.
		h.expect(h.action(hpp.SessionId, "pay"), 409)
	}
	s := h.pay(hpp.SessionId)
	if s.Status != api.COMPLETED || s.AuthorizationToken == nil {
		t.Fatalf("after retry: %+v", s)
	}
	// Terminal: the page refuses and nothing moves.
	h.expect(h.openPage(hpp.SessionId), 410)
	h.expect(h.action(hpp.SessionId, "pay"), 409)
	if again := h.readHPP(hpp.SessionId); again.Status != api.COMPLETED || !again.UpdatedAt.Equal(s.UpdatedAt) {
		t.Errorf("terminal session moved: %+v", again)
	}
}

func TestConsumerPageRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	hpp := h.createHPP(h.createKP(kpBody), nil)
	h.expect(h.openPage("unknown"), 404)
	h.expect(h.action("unknown", "pay"), 404)
	h.expect(h.action(hpp.SessionId, "pay"), 409) // WAITING: the page was never opened
	h.expect(h.openPage(hpp.SessionId), 200)
	h.expect(h.action(hpp.SessionId, "steal"), 404)
	if s := h.readHPP(hpp.SessionId); s.Status != api.INPROGRESS {
		t.Errorf("status %s", s.Status)
	}
	// HEAD only looks.
	other := h.createHPP(h.createKP(kpBody), nil)
	h.expect(h.send("HEAD", "/pay/"+other.SessionId, "", nil), 200)
	if s := h.readHPP(other.SessionId); s.Status != api.WAITING {
		t.Errorf("HEAD moved the session to %s", s.Status)
	}
}

func TestConsumerRedirectFallbacks(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)

	// error falls back to failure.
	hpp := h.createHPP(kpID, map[string]any{"merchant_urls": map[string]any{"failure": "https://shop.example/f/{{session_id}}", "error": ""}})
	h.expect(h.openPage(hpp.SessionId), 200)
	if got := h.expect(h.action(hpp.SessionId, "error"), 303).header.Get("Location"); got != "https://shop.example/f/"+hpp.SessionId {
		t.Errorf("error fallback: %q", got)
	}
	// No URL at all (null or absent): the generic result page.
	hpp = h.createHPP(kpID, map[string]any{"merchant_urls": map[string]any{"success": nil}})
	h.expect(h.openPage(hpp.SessionId), 200)
	loc := h.expect(h.action(hpp.SessionId, "pay"), 303).header.Get("Location")
	if loc != h.base+"/pay/"+hpp.SessionId+"/result" {
		t.Fatalf("generic page: %q", loc)
	}
	page := h.expect(h.send("GET", loc, "", nil), 200)
	if !strings.Contains(string(page.body), "COMPLETED") {
		t.Errorf("result page: %s", page.body)
	}
	h.expect(h.send("GET", "/pay/unknown/result", "", nil), 404)
}

func TestConsumerPlaceOrderModes(t *testing.T) {
	for _, mode := range []string{"PLACE_ORDER", "CAPTURE_ORDER"} {
		t.Run(mode, func(t *testing.T) {
			h := newHarness(t, Options{})
			kpID := h.createKP(kpBody)
			hpp := h.createHPP(kpID, map[string]any{
				"merchant_urls": merchantURLs,
				"options":       map[string]any{"place_order_mode": mode},
			})
			h.expect(h.openPage(hpp.SessionId), 200)
			loc := h.expect(h.action(hpp.SessionId, "pay"), 303).header.Get("Location")
			s := h.readHPP(hpp.SessionId)
			if s.OrderId == nil || s.KlarnaReference == nil || s.AuthorizationToken != nil {
				t.Fatalf("completed in %s: %+v", mode, s)
			}
			want := "https://shop.example/ok?hpp=" + hpp.SessionId + "&token={{authorization_token}}&order=" + *s.OrderId
			if loc != want {
				t.Errorf("Location %q, want %q", loc, want)
			}
			var kp api.SessionRead
			h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 200).json(t, &kp)
			if *kp.Status != api.Complete {
				t.Errorf("KP status %s", *kp.Status)
			}
			// The KP session is complete: paying on another HPP session of it fails.
			again := h.createHPP(kpID, map[string]any{"merchant_urls": merchantURLs})
			h.expect(h.openPage(again.SessionId), 200)
			loc = h.expect(h.action(again.SessionId, "pay"), 303).header.Get("Location")
			if s := h.readHPP(again.SessionId); s.Status != api.ERROR || loc != "https://shop.example/error?hpp="+again.SessionId {
				t.Errorf("pay on a completed KP session: %s, %q", s.Status, loc)
			}
		})
	}
}

func TestSubstitutePlaceholders(t *testing.T) {
	all := placeholderValues{sessionID: "s 1", authorizationToken: "t&2", orderID: "o/3"}
	for _, tc := range []struct {
		raw  string
		v    placeholderValues
		want string
	}{
		{"https://a/x?s={{session_id}}", all, "https://a/x?s=s+1"},
		{"https://a/{{session_id}}/{{authorization_token}}/{{order_id}}", all, "https://a/s+1/t%262/o%2F3"},
		{"https://a/?t={{authorization_token}}", placeholderValues{sessionID: "s"}, "https://a/?t={{authorization_token}}"},
		{"https://a/?x={{klarna_reference}}&y={{ session_id }}&z={{{session_id}}}", all, "https://a/?x={{klarna_reference}}&y={{ session_id }}&z={s+1}"},
		{"https://a/?q=%2F%20&r={{session_id}}#frag", all, "https://a/?q=%2F%20&r=s+1#frag"},
		{"{{session_id", all, "{{session_id"},
		{"", all, ""},
	} {
		if got := substitutePlaceholders(tc.raw, tc.v, 0); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.raw, got, tc.want)
		}
	}
	notEscaped := faultSet(1 << FaultPlaceholderNotEscaped)
	if got := substitutePlaceholders("https://a/?q=%2F&t={{authorization_token}}", all, notEscaped); got != "https://a/?q=/&t=t&2" {
		t.Errorf("not-escaped: %q", got)
	}
}
