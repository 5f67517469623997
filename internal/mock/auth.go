package mock

import (
	"crypto/subtle"
	"io"
	"net/http"
)

// requireCredentials answers 401 to a request without the configured Basic
// credentials (D-auth). It never logs or echoes what was sent.
func (s *Server) requireCredentials(next http.Handler) http.Handler {
	user, pass := []byte(s.opts.Username), []byte(s.opts.Password)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.faults.has(FaultAuthNotEnforced) {
			u, p, ok := r.BasicAuth()
			// Both compared, in constant time, whatever the first one gave.
			userOK := subtle.ConstantTimeCompare([]byte(u), user)
			passOK := subtle.ConstantTimeCompare([]byte(p), pass)
			if !ok || userOK&passOK != 1 {
				w.Header().Set("WWW-Authenticate", `Basic realm="kconform mock"`)
				s.unauthorized(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// unauthorized answers 401 as every public capture of Klarna's shows: the
// HTML page of its edge server, no JSON and no correlation id (solidus
// cassette in the shared recordings, 2021-10; kco_rest_php issue 41 and
// kco_rest_java issue 45: the SDKs failing to parse it). Options.JSONUnauthorized
// (and the unauthorized-json fault) answer ErrorV2 JSON instead, which the
// contract also allows.
func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request) {
	if s.opts.JSONUnauthorized || s.faults.has(FaultUnauthorizedJSON) {
		writeAPIError(w, r, errUnauthorized)
		return
	}
	h := w.Header()
	h.Del(correlationHeader)
	h.Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = io.WriteString(w, unauthorizedPage)
}

// unauthorizedPage is the recorded 401 body, byte for byte.
const unauthorizedPage = "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n" +
	"<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n"

// errUnauthorized is the JSON form: D-kperr's UNAUTHORIZED section, which
// names no error_code in its summary table.
var errUnauthorized = newAPIError(http.StatusUnauthorized, codeUnauthorized, "Missing or invalid credentials")
