package recording

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/kconform/kconform/internal/exchange"
)

// rawCredentials are the credentials an entry's raw JSON carries, found
// without decoding it into an exchange: for an entry that cannot be read,
// whose message may still quote a secret (a header named after the
// password). It takes every string under a key named Authorization or
// Proxy-Authorization (kconform's headers object), every value of a
// {"name": "Authorization", "value": ...} pair (HAR), and the password of
// every URL with userinfo. It reads tokens, so a key named twice still
// counts both times and a syntax error keeps what came before it.
func rawCredentials(raw []byte) []string {
	// frame is an open object or array.
	type frame struct {
		obj     bool
		wantKey bool
		key     string
		// authName: the object's "name" is a credential header; values are
		// its "value"s (a key may be named twice).
		authName bool
		values   []string
		// authList: an array that is the value of a credential header key.
		authList bool
	}
	var stack []*frame
	var out []string
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				f := &frame{obj: t == '{', wantKey: t == '{'}
				f.authList = t == '[' && top != nil && top.obj && isCredentialHeader(top.key)
				stack = append(stack, f)
				continue
			default:
				stack = stack[:len(stack)-1]
				if top.authName {
					out = append(out, top.values...)
				}
			}
			if len(stack) > 0 && stack[len(stack)-1].obj {
				stack[len(stack)-1].wantKey = true
			}
			continue
		case string:
			if top != nil && top.obj && top.wantKey {
				top.key, top.wantKey = t, false
				continue
			}
			switch {
			case top == nil:
			case top.obj && isCredentialHeader(top.key), top.authList:
				out = append(out, t)
			case top.obj && strings.EqualFold(top.key, "name") && isCredentialHeader(t):
				top.authName = true
			case top.obj && strings.EqualFold(top.key, "value"):
				top.values = append(top.values, t)
			}
			if strings.Contains(t, "@") && strings.Contains(t, "://") {
				out = append(out, exchange.Credentials(nil, t)...)
			}
		}
		if top != nil && top.obj {
			top.wantKey = true
		}
	}
	return out
}

func isCredentialHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization":
		return true
	}
	return false
}
