package mock

import (
	"regexp"
	"strings"
	"testing"
)

// TestPageIsAPaymentPage: the page a consumer opens shows the order (its
// lines and total), a labelled choice of how to pay and a confirm button,
// and every button is a plain form post to its action (the form protocol),
// so the page works without JavaScript.
func TestPageIsAPaymentPage(t *testing.T) {
	h := newHarness(t, Options{})
	hpp := h.createHPP(h.createKP(kpBody), nil)
	page := string(h.expect(h.openPage(hpp.SessionId), 200).body)

	for _, want := range []string{`id="amount"`, "Your order", "<legend>How do you want to pay?</legend>",
		`<label><input type="radio" name="option" value="pay_now" checked> Pay now</label>`, "Confirm and pay"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	if n := strings.Count(page, "<tr><td>"); n < 1 {
		t.Errorf("the page shows no order line:\n%s", page)
	}
	// Each button sits in a form that posts to /pay/<id>/<its value>.
	forms := regexp.MustCompile(`(?s)<form method="post" action="/pay/`+hpp.SessionId+`/([a-z-]+)">.*?<button type="submit"[^>]*value="([a-z-]+)"`).FindAllStringSubmatch(page, -1)
	seen := map[string]bool{}
	for _, f := range forms {
		if f[1] != f[2] {
			t.Errorf("the %q button posts to %q", f[2], f[1])
		}
		seen[f[1]] = true
	}
	for _, a := range []string{"pay", "decline", "back", "cancel", "error", "manual-id-check"} {
		if !seen[a] {
			t.Errorf("no form posts the %q action:\n%s", a, page)
		}
	}
	// A refused page offers nothing to press.
	h.action(hpp.SessionId, "cancel")
	if refused := string(h.openPage(hpp.SessionId).body); strings.Contains(refused, "<button") {
		t.Errorf("the page of a CANCELLED session offers buttons:\n%s", refused)
	}
}
