package mock

import (
	"crypto/subtle"
	"net/http"
)

// requireCredentials answers 401 to a request without the configured Basic
// credentials (D-auth). It never logs or echoes what was sent.
func (s *Server) requireCredentials(next http.Handler) http.Handler {
	user, pass := []byte(s.opts.Username), []byte(s.opts.Password)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.faults.has(faultAuthNotEnforced) {
			u, p, ok := r.BasicAuth()
			// Both compared, in constant time, whatever the first one gave.
			userOK := subtle.ConstantTimeCompare([]byte(u), user)
			passOK := subtle.ConstantTimeCompare([]byte(p), pass)
			if !ok || userOK&passOK != 1 {
				w.Header().Set("WWW-Authenticate", `Basic realm="kconform mock"`)
				writeAPIError(w, r, errUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// errUnauthorized: no source documents the 401 body; the contract allows
// ErrorV2, and a JSON body is what a client can parse.
var errUnauthorized = newAPIError(http.StatusUnauthorized, codeUnauthorized, "Missing or invalid credentials")
