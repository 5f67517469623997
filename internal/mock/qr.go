package mock

import (
	"bytes"
	"html/template"
	"image/png"
	"net/http"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kconform/kconform/generated/api"
)

// What HPP create hands out besides redirect_url (S1 SessionCreationResponseV1;
// seed 004's example): qr_code_url, a public image of the payment link on
// the pay host ("HPP url to download qr code image"; D-dist-guide: public,
// no authentication), and distribution_module {token, standalone_url,
// generation_url}.

// qrSize is the side of the QR image in pixels: large enough to scan from a
// screen, small enough to stay a few kilobytes.
const qrSize = 300

// hppExtras fills the create response's QR and distribution-module fields
// for session id reached at base.
func hppExtras(resp *api.SessionCreationResponseV1, base, id string, faults faultSet) {
	if !faults.has(FaultQRCodeMissing) {
		qr := base + "/pay/" + id + "/qr"
		resp.QrCodeUrl = &qr
	}
	// seed 004: ".../hpp/distributions/<distribution_id>?profile_id={{profile_id}}&view_id={{view_id}}",
	// the two placeholders left for the merchant's page to fill.
	standalone := base + "/pay/" + id + "/distribution?profile_id={{profile_id}}&view_id={{view_id}}"
	generation := base + "/hpp/v1/sessions/" + id + "/distribution-module/token"
	token := distributionToken(id)
	resp.DistributionModule = &api.DistributionModuleV1{Token: &token, StandaloneUrl: &standalone, GenerationUrl: &generation}
}

// distributionToken looks like the JWT of a third-party mock of the real
// response (reference §1.2: distribution_module.token "a JWT with alg: none")
// and, like clientToken, is unsigned: nothing verifies it. Each call gives a
// new one (a new jti).
func distributionToken(sessionID string) string {
	return unsignedJWT(`{"session_id":"` + sessionID + `","jti":"` + newUUID() + `","issuer":"kconform-mock"}`)
}

// qrPNG is a QR code of text as a qrSize × qrSize PNG.
func qrPNG(text string) ([]byte, error) {
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, qrSize, qrSize, nil)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hppExists says whether id names an HPP session that has not expired.
func (s *Server) hppExists(id string) bool {
	now := s.clock.Now()
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	h := s.store.hpp[id]
	return h != nil && !h.expired(now)
}

// serveQR is GET /pay/{id}/qr: the QR code of the session's redirect_url.
// Looking at it changes nothing.
func (s *Server) serveQR(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.hppExists(id) {
		writePage(w, pageState{HTTPCode: http.StatusNotFound, Title: "Page not found", Message: "This payment link does not exist."}, false)
		return
	}
	img, err := qrPNG(infoFrom(r.Context()).baseURL + "/pay/" + id)
	if err != nil {
		s.log.Error("mock: QR code", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(img)
}

var distributionPage = template.Must(template.New("distribution").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Pay with Klarna (kconform mock)</title></head>
<body>
<h1>Pay with Klarna</h1>
<p><a id="payment-link" href="{{.Link}}">{{.Link}}</a></p>
<p><img id="qr-code" src="{{.Link}}/qr" width="300" height="300" alt="QR code of the payment link"></p>
</body>
</html>
`))

// serveDistribution is the distribution module's standalone page: the
// payment link and its QR code. profile_id and view_id are accepted and
// ignored (no source says what they select).
func (s *Server) serveDistribution(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.hppExists(id) {
		writePage(w, pageState{HTTPCode: http.StatusNotFound, Title: "Page not found", Message: "This payment link does not exist."}, false)
		return
	}
	var buf bytes.Buffer
	if err := distributionPage.Execute(&buf, struct{ Link string }{infoFrom(r.Context()).baseURL + "/pay/" + id}); err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// distributionModuleToken serves generation_url: a new distribution-module
// token for the session. No public source documents its method, body or
// answer (reference §1.1); the mock takes GET or POST with the API's
// credentials and answers 200 {"token": "..."} (assumption), 404 as the
// other HPP operations do for an unknown session.
func (s *Server) distributionModuleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.unknownEndpoint(w, r)
		return
	}
	id := r.PathValue("id")
	if !s.hppExists(id) {
		writeAPIError(w, r, errHPPNotFound)
		return
	}
	_ = writeJSON(w, http.StatusOK, map[string]string{"token": distributionToken(id)})
}
