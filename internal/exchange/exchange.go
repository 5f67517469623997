// Package exchange holds one HTTP request/response pair as bytes, the unit that
// kconform validates whether it came from a live run, a HAR capture or a saved
// response, and the one place where secrets are redacted before anything is shown.
package exchange

import (
	"net/http"
	"strings"
)

// Exchange is one HTTP request and the response it got. Bodies are kept as
// the raw bytes seen on the wire so that validation sees exactly what was sent.
type Exchange struct {
	Method         string
	URL            string
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int
	ResponseHeader http.Header
	ResponseBody   []byte
}

// Redacted is the placeholder that replaces every secret value.
const Redacted = "[REDACTED]"

// secretHeaders are never shown: credentials and session cookies.
var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// IsSecretHeader reports whether a header's value must never be printed.
func IsSecretHeader(name string) bool {
	return secretHeaders[http.CanonicalHeaderKey(name)]
}

// RedactHeader returns a copy of h in which every secret header value is
// replaced by Redacted. The original is left untouched.
func RedactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if IsSecretHeader(k) {
			out[k] = []string{Redacted}
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Redact returns a copy of the exchange that is safe to print or store:
// secret headers are replaced, and so is any userinfo in the URL.
func (e Exchange) Redact() Exchange {
	r := e
	r.RequestHeader = RedactHeader(e.RequestHeader)
	r.ResponseHeader = RedactHeader(e.ResponseHeader)
	r.URL = RedactURL(e.URL)
	return r
}

// RedactURL removes a password from a URL's userinfo (https://user:pass@host).
func RedactURL(raw string) string {
	scheme := strings.Index(raw, "://")
	if scheme < 0 {
		return raw
	}
	rest := raw[scheme+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:scheme+3] + Redacted + "@" + rest[at+1:]
}
