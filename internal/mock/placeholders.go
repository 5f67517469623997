package mock

import (
	"net/url"
	"strings"
)

// placeholderValues are what may be substituted into one merchant URL; an
// empty value means that placeholder is not allowed there and stays as written.
type placeholderValues struct {
	sessionID          string // {{session_id}}: every merchant URL
	authorizationToken string // {{authorization_token}}: success, mode NONE
	orderID            string // {{order_id}}: success, place-order modes
}

// redirectValues picks the values for the URL the consumer is sent to after
// an action, applying the placeholder faults (which touch redirects only).
func redirectValues(h *hppSession, success bool, faults faultSet) placeholderValues {
	v := placeholderValues{sessionID: h.id}
	if faults.has(FaultPlaceholderUnsubstituted) {
		v.sessionID = ""
	}
	if !success {
		return v
	}
	if h.placesOrder() {
		v.orderID = h.orderID
		if faults.has(FaultPlaceholderWrongMode) {
			v.authorizationToken = h.orderID
		}
	} else {
		v.authorizationToken = h.authorizationToken
		if faults.has(FaultPlaceholderWrongMode) {
			v.orderID = h.authorizationToken
		}
	}
	return v
}

var placeholderNames = [...]string{"{{session_id}}", "{{authorization_token}}", "{{order_id}}"}

func (v placeholderValues) value(i int) string {
	switch i {
	case 0:
		return v.sessionID
	case 1:
		return v.authorizationToken
	}
	return v.orderID
}

// substitutePlaceholders replaces the allowed placeholders with their
// query-escaped values and keeps every other byte of raw as it is, including
// any other {{...}} text. With placeholder-not-escaped the values go in raw
// and the URL's own query is decoded.
func substitutePlaceholders(raw string, v placeholderValues, faults faultSet) string {
	notEscaped := faults.has(FaultPlaceholderNotEscaped)
	var b strings.Builder
	b.Grow(len(raw) + 64)
	for i := 0; i < len(raw); {
		j := strings.Index(raw[i:], "{{")
		if j < 0 {
			b.WriteString(raw[i:])
			break
		}
		b.WriteString(raw[i : i+j])
		i += j
		matched := false
		for n, name := range placeholderNames {
			if val := v.value(n); val != "" && strings.HasPrefix(raw[i:], name) {
				if !notEscaped {
					val = url.QueryEscape(val)
				}
				b.WriteString(val)
				i += len(name)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte('{')
			i++
		}
	}
	out := b.String()
	if notEscaped {
		out = decodeQuery(out)
	}
	return out
}

func decodeQuery(u string) string {
	q := strings.IndexByte(u, '?')
	if q < 0 {
		return u
	}
	end := len(u)
	if h := strings.IndexByte(u[q:], '#'); h >= 0 {
		end = q + h
	}
	decoded, err := url.QueryUnescape(u[q+1 : end])
	if err != nil {
		return u
	}
	return u[:q+1] + decoded + u[end:]
}
