package mock

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/qrdecode"
)

// Options.JSONUnauthorized keeps the ErrorV2 form of the 401 for clients
// that want to parse it; the challenge stays.
func TestUnauthorizedJSONOption(t *testing.T) {
	h := newHarness(t, Options{JSONUnauthorized: true})
	r := h.expect(h.send("GET", "/payments/v1/sessions/x", "", nil), 401)
	if e := r.errorV2(t); e.ErrorCode != codeUnauthorized || r.header.Get("Klarna-Correlation-Id") != e.CorrelationId {
		t.Errorf("401 JSON: %+v, header %q", e, r.header.Get("Klarna-Correlation-Id"))
	}
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate challenge")
	}
}

// The default 401 is the recorded page and carries no correlation id, as
// the recording does not.
func TestUnauthorizedAsRecorded(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.expect(h.send("POST", "/payments/v1/sessions", kpBody, nil), 401)
	if r.header.Get("Klarna-Correlation-Id") != "" || r.header.Get("Content-Type") != "text/html" || len(r.body) != 176 {
		t.Errorf("401: %v %d bytes", r.header, len(r.body))
	}
}

// With a rate limit, requests beyond it answer 429 with an empty body and
// x-envoy-ratelimited, as recorded; the consumer page and the control plane
// are not limited.
func TestRateLimit(t *testing.T) {
	h := newHarness(t, Options{RateLimit: 2})
	statuses := map[int]int{}
	var limited response
	for range 6 {
		r := h.do("GET", "/payments/v1/sessions/x", "")
		statuses[r.status]++
		if r.status == 429 {
			limited = r
		}
	}
	// A burst of 2, then at most one more token while 6 requests go out.
	if statuses[429] < 3 || statuses[404]+statuses[429] != 6 {
		t.Fatalf("statuses %v", statuses)
	}
	if len(limited.body) != 0 || limited.header.Get("Content-Type") != "" || limited.header.Get("X-Envoy-Ratelimited") != "true" || limited.header.Get("Klarna-Correlation-Id") != "" {
		t.Errorf("429: %v %q", limited.header, limited.body)
	}
	h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200)

	if _, err := New(Options{RateLimit: -1}); err == nil {
		t.Error("a negative rate limit was accepted")
	}
}

// decodeQR reads the text of a QR code PNG.
func decodeQR(t *testing.T, b []byte) (string, image.Rectangle) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	text, err := qrdecode.Decode(img)
	if err != nil {
		t.Fatalf("no QR code in the image: %v", err)
	}
	return text, img.Bounds()
}

// qr_code_url serves, without credentials, a QR code that decodes to
// redirect_url; looking at it does not open the session.
func TestQRCode(t *testing.T) {
	h := newHarness(t, Options{})
	created := h.createHPP(h.createKP(kpBody), nil)
	if created.QrCodeUrl == nil {
		t.Fatal("no qr_code_url")
	}
	r := h.expect(h.send("GET", *created.QrCodeUrl, "", nil), 200)
	if r.header.Get("Content-Type") != "image/png" {
		t.Errorf("content type %q", r.header.Get("Content-Type"))
	}
	text, bounds := decodeQR(t, r.body)
	if text != *created.RedirectUrl || bounds.Dx() != qrSize || bounds.Dy() != qrSize {
		t.Errorf("QR %q %v; want %q %dx%d", text, bounds, *created.RedirectUrl, qrSize, qrSize)
	}
	if s := h.readHPP(created.SessionId); s.Status != "WAITING" {
		t.Errorf("status %s after the QR code was fetched", s.Status)
	}
	h.expect(h.send("GET", "/pay/unknown/qr", "", nil), 404)
}

// distribution_module: a token, a standalone page with the link and its QR
// code, and a generation_url that gives a new token.
func TestDistributionModule(t *testing.T) {
	h := newHarness(t, Options{})
	created := h.createHPP(h.createKP(kpBody), nil)
	m := created.DistributionModule
	if m == nil || m.Token == nil || m.StandaloneUrl == nil || m.GenerationUrl == nil {
		t.Fatalf("distribution_module %+v", m)
	}
	page := h.expect(h.send("GET", *m.StandaloneUrl, "", nil), 200)
	if !strings.Contains(string(page.body), `href="`+*created.RedirectUrl+`"`) || !strings.Contains(string(page.body), *created.QrCodeUrl) {
		t.Errorf("standalone page:\n%s", page.body)
	}
	h.allowOffContract(true) // generation_url is outside the contract: nothing documents it
	var tok struct{ Token string }
	h.expect(h.do("POST", *m.GenerationUrl, ""), 200).json(t, &tok)
	if tok.Token == "" || tok.Token == *m.Token {
		t.Errorf("generated token %q (first %q)", tok.Token, *m.Token)
	}
	h.expect(h.send("POST", *m.GenerationUrl, "", nil), 401)
	h.expect(h.do("POST", "/hpp/v1/sessions/unknown/distribution-module/token", ""), 404)
	h.expect(h.do("DELETE", *m.GenerationUrl, ""), 404)
}

// The manual-id-check action reaches MANUAL_ID_CHECK; reopening the page
// keeps it there; the page can take it nowhere else (the contract has no
// such move), and the merchant can disable it (its documented way out).
func TestManualIDCheck(t *testing.T) {
	h := newHarness(t, Options{})
	id := h.createHPP(h.createKP(kpBody), nil).SessionId
	h.expect(h.openPage(id), 200)
	h.expect(h.action(id, "manual-id-check"), 303)
	h.expect(h.openPage(id), 200)
	if s := h.readHPP(id); s.Status != "MANUAL_ID_CHECK" {
		t.Fatalf("status %s", s.Status)
	}
	for _, action := range []string{"pay", "decline", "manual-id-check"} {
		h.expect(h.action(id, action), 409)
	}
	if s := h.readHPP(id); s.Status != "MANUAL_ID_CHECK" {
		t.Errorf("after the refused actions: %+v", s)
	}

	id = h.createHPP(h.createKP(kpBody), nil).SessionId
	h.expect(h.openPage(id), 200)
	h.expect(h.action(id, "manual-id-check"), 303)
	h.expect(h.do("DELETE", "/hpp/v1/sessions/"+id, ""), 204)
	if s := h.readHPP(id); s.Status != "DISABLED" {
		t.Errorf("after DELETE: %s", s.Status)
	}
}
