package exchange

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Scrubber replaces known secrets (a password, user:pass, their Basic and
// URL encodings) with Redacted wherever they appear: in headers, bodies,
// URLs, messages and whole output streams. A target that echoes the request
// back (the Authorization value in a JSON body, the decoded user:pass in an
// error message, a Location carrying it) would otherwise get the secret
// into every output. It is the one place where that is done; the nil
// Scrubber knows no secret and only redacts what Redact does.
//
// Redact hides secret headers by name; a Scrubber hides secret values by
// content. Both apply to an exchange through Scrubber.Exchange.
type Scrubber struct {
	mu       sync.RWMutex
	added    map[string]bool // secrets given to Add
	learnt   map[string]bool // credential values given to AddCredentials
	needles  []string        // longest first, so user:pass wins over pass
	replacer *strings.Replacer
}

// MinSecret is the length under which a form of a secret is not scrubbed:
// replacing every "p" or "test" would erase the output (and the bodies the
// specs read) without hiding anything a reader could tell for a secret.
// The longer forms of a short password (user:pass, its base64) still are.
const MinSecret = 6

// NewScrubber scrubs the given secrets, each in the forms it may take in
// output (see Variants). Empty strings are ignored.
func NewScrubber(secrets ...string) *Scrubber {
	s := &Scrubber{}
	s.Add(secrets...)
	return s
}

// BasicSecrets are the secrets of HTTP Basic credentials: the password,
// user:pass and its base64 (standard and URL-safe, with and without
// padding). The username alone is not a secret.
func BasicSecrets(username, password string) []string {
	if password == "" {
		return nil
	}
	pair := []byte(username + ":" + password)
	return []string{
		password,
		string(pair),
		base64.StdEncoding.EncodeToString(pair),
		base64.RawStdEncoding.EncodeToString(pair),
		base64.URLEncoding.EncodeToString(pair),
		base64.RawURLEncoding.EncodeToString(pair),
	}
}

// Credentials are the credentials a request carries, as sent: each
// Authorization and Proxy-Authorization value and, for a URL with a
// password in its userinfo, the Basic value of that pair. Cheap when there
// are none; AddCredentials turns them into secrets.
func Credentials(h http.Header, rawURL string) []string {
	out := slices.Clip(h.Values("Authorization")) // shared, read-only: no copy per entry
	if p := h.Values("Proxy-Authorization"); len(p) > 0 {
		out = append(out, p...)
	}
	if i := strings.Index(rawURL, "@"); i >= 0 && strings.Contains(rawURL[:i], "://") {
		if u, err := url.Parse(rawURL); err == nil && u.User != nil {
			if p, ok := u.User.Password(); ok {
				out = append(slices.Clip(out), "Basic "+base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+p)))
			}
		}
	}
	return out
}

// credentialSecrets are the secrets of one credential value: the value,
// the credential without its scheme and, for Basic, BasicSecrets of the
// decoded pair.
func credentialSecrets(value string) []string {
	value = strings.TrimSpace(value)
	out := []string{value}
	scheme, cred, ok := strings.Cut(value, " ")
	if !ok {
		return out
	}
	cred = strings.TrimSpace(cred)
	out = append(out, cred)
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			if user, pass, ok := strings.Cut(string(raw), ":"); ok {
				out = append(out, BasicSecrets(user, pass)...)
			}
		}
	}
	return out
}

// AddCredentials makes s scrub the secrets of credential values (see
// Credentials) from now on. A value seen before costs a map lookup.
func (s *Scrubber) AddCredentials(values ...string) {
	for _, v := range values {
		s.mu.RLock()
		seen := s.learnt[v]
		s.mu.RUnlock()
		if seen {
			continue
		}
		s.Add(credentialSecrets(v)...)
		s.mu.Lock()
		if s.learnt == nil {
			s.learnt = map[string]bool{}
		}
		s.learnt[v] = true
		s.mu.Unlock()
	}
}

// Variants are the forms a secret takes once written somewhere: as is,
// percent-encoded (query and path, as in a URL that carries it), escaped
// in XML or HTML (see EntityForms), and each of those escaped in JSON
// (with and without HTML escaping), as a target that escapes the secret
// for HTML and then sends it in a JSON body shows it.
func Variants(secret string) []string {
	vs := []string{}
	for _, pct := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
		vs = append(vs, pct, lowerHex(pct)) // %2B and %2b are the same byte
	}
	var x bytes.Buffer
	_ = xml.EscapeText(&x, []byte(secret))
	for _, text := range append([]string{secret, x.String()}, EntityForms(secret)...) {
		vs = append(vs, text)
		for _, escapeHTML := range []bool{true, false} {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(escapeHTML)
			if enc.Encode(text) == nil {
				j := strings.TrimSuffix(b.String(), "\n")
				vs = append(vs, j[1:len(j)-1])
			}
		}
	}
	return vs
}

// EntityForms are s with & < > " ' escaped as HTML character references,
// one form per common scheme: Go's html.EscapeString (&#34; &#39;), named
// (&quot; &apos;), Python's html.escape and Django (&quot; &#x27;), and
// every special character as a decimal (&#38;), lower-case hex (&#x26;)
// and upper-case hex (&#x3C;) reference. Limit: a form that mixes schemes
// otherwise, or escapes more characters (&#x2F; for /), is not known; all
// combinations would multiply the forms of every secret. It is nil when s
// has none of the five characters. cmd/kconform's echo target answers with
// these forms, so its test proves the scrubber catches each.
func EntityForms(s string) []string {
	if !strings.ContainsAny(s, `&<>"'`) {
		return nil
	}
	numeric := func(format string) string {
		var b strings.Builder
		for _, r := range s {
			if strings.ContainsRune(`&<>"'`, r) {
				fmt.Fprintf(&b, format, r)
			} else {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	return []string{
		html.EscapeString(s),
		namedEntities.Replace(s),
		pythonEntities.Replace(s),
		numeric("&#%d;"),
		numeric("&#x%x;"),
		numeric("&#x%X;"),
	}
}

var (
	namedEntities  = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")
	pythonEntities = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;")
)

// lowerHex is s with the hex digits of its percent-escapes in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// Add makes s scrub more secrets from now on.
func (s *Scrubber) Add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.needles)
	for _, secret := range secrets {
		if s.added[secret] { // the same credential on every entry of a capture
			continue
		}
		if s.added == nil {
			s.added = map[string]bool{}
		}
		s.added[secret] = true
		for _, v := range Variants(secret) {
			if len(v) >= MinSecret && !slices.Contains(s.needles, v) {
				s.needles = append(s.needles, v)
			}
		}
	}
	if len(s.needles) == n {
		return
	}
	slices.SortStableFunc(s.needles, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(s.needles))
	for _, nd := range s.needles {
		pairs = append(pairs, nd, Redacted)
	}
	s.replacer = strings.NewReplacer(pairs...)
}

func (s *Scrubber) state() ([]string, *strings.Replacer) {
	if s == nil {
		return nil, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.needles, s.replacer
}

// String returns text with every secret replaced.
func (s *Scrubber) String(text string) string {
	_, r := s.state()
	if r == nil {
		return text
	}
	return r.Replace(text)
}

// Bytes returns b with every secret replaced; b itself is left as it was.
func (s *Scrubber) Bytes(b []byte) []byte {
	needles, r := s.state()
	if r == nil || !containsAny(b, needles) {
		return b
	}
	return []byte(r.Replace(string(b)))
}

func containsAny(b []byte, needles []string) bool {
	for _, n := range needles {
		if bytes.Contains(b, []byte(n)) {
			return true
		}
	}
	return false
}

// Header returns a copy of h with every secret replaced in the values.
func (s *Scrubber) Header(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		c := make([]string, len(vs))
		for i, v := range vs {
			c[i] = s.String(v)
		}
		out[s.String(k)] = c
	}
	return out
}

// Exchange returns a copy of e that is safe to print or store: redacted as
// by Redact, then every secret replaced in the URL, headers and bodies.
func (s *Scrubber) Exchange(e Exchange) Exchange {
	r := e.Redact()
	r.URL = s.String(r.URL)
	r.RequestHeader = s.Header(r.RequestHeader)
	r.ResponseHeader = s.Header(r.ResponseHeader)
	r.RequestBody = s.Bytes(r.RequestBody)
	r.ResponseBody = s.Bytes(r.ResponseBody)
	return r
}

// Writer returns a writer that scrubs what it passes on to w. A secret
// split across two writes is still caught: the tail of a write that may
// be the start of a secret is held back until the next write or Flush.
// Call Flush when done. It is safe for concurrent use.
func (s *Scrubber) Writer(w io.Writer) *Writer {
	return &Writer{s: s, w: w}
}

// Writer is a scrubbing io.Writer (see Scrubber.Writer).
type Writer struct {
	mu      sync.Mutex
	s       *Scrubber
	w       io.Writer
	pending []byte
}

// Write scrubs p (with what was held back) and passes on all it can.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pending = append(w.pending, p...)
	out, rest := scan(w.pending, w.s, false)
	w.pending = append(w.pending[:0], rest...)
	if len(out) > 0 {
		if _, err := w.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush passes on what was held back.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	out, _ := scan(w.pending, w.s, true)
	w.pending = w.pending[:0]
	if len(out) == 0 {
		return nil
	}
	_, err := w.w.Write(out)
	return err
}

// scan replaces secrets left to right, the longest first at each position.
// Unless final, it stops at the first position where more input could
// still complete a secret and returns the rest to hold back.
func scan(b []byte, s *Scrubber, final bool) (out, rest []byte) {
	needles, _ := s.state()
	if len(needles) == 0 {
		return b, nil
	}
	var first [256]bool
	for _, n := range needles {
		first[n[0]] = true
	}
	out = make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if !first[b[i]] {
			out = append(out, b[i])
			i++
			continue
		}
		tail := b[i:]
		matched := false
		for _, n := range needles { // longest first
			if !final && len(tail) < len(n) && strings.HasPrefix(n, string(tail)) {
				return out, tail // a longer secret may be coming
			}
			if bytes.HasPrefix(tail, []byte(n)) {
				out = append(out, Redacted...)
				i += len(n)
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, b[i])
			i++
		}
	}
	return out, nil
}
