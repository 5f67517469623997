package exchange

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	testUser = "merchant"
	testPass = `p&ss<"w+rd/=`
)

// leaks lists the forms of the test credentials found in text.
func leaks(text string) []string {
	pair := testUser + ":" + testPass
	var found []string
	for _, f := range []string{testPass, pair, base64.StdEncoding.EncodeToString([]byte(pair)),
		base64.URLEncoding.EncodeToString([]byte(pair)), url.QueryEscape(testPass), url.PathEscape(pair),
		url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(pair))), `p&amp;ss&lt;&#34;w+rd/=`, `p\u0026ss\u003c\"w+rd/=`} {
		if strings.Contains(text, f) {
			found = append(found, f)
		}
	}
	return found
}

func TestScrubberHidesEveryFormOfTheCredentials(t *testing.T) {
	s := NewScrubber(BasicSecrets(testUser, testPass)...)
	req, _ := http.NewRequest("GET", "http://h/p", nil)
	req.SetBasicAuth(testUser, testPass)
	auth := req.Header.Get("Authorization")
	pair := testUser + ":" + testPass
	b64 := base64.StdEncoding.EncodeToString([]byte(pair))
	ex := Exchange{
		Method:         "GET",
		URL:            "http://h/echo?auth=" + url.QueryEscape(b64) + "&p=" + url.QueryEscape(testPass),
		RequestHeader:  http.Header{"Authorization": {auth}},
		Status:         401,
		ResponseHeader: http.Header{"Location": {"http://h/x/" + url.PathEscape(pair)}, "X-Echo": {auth}},
		ResponseBody:   []byte(`{"headers":{"Authorization":"` + auth + `"},"error":"bad ` + pair + `","u":"` + base64.RawURLEncoding.EncodeToString([]byte(pair)) + `"}`),
	}
	got := s.Exchange(ex)
	text := got.URL + "\n" + strings.Join(got.RequestHeader["Authorization"], "") + "\n" +
		got.ResponseHeader.Get("Location") + got.ResponseHeader.Get("X-Echo") + "\n" + string(got.ResponseBody)
	if l := leaks(text); len(l) > 0 {
		t.Errorf("left %q in:\n%s", l, text)
	}
	if !strings.Contains(string(got.ResponseBody), `"error":"bad [REDACTED]"`) {
		t.Errorf("the body was not scrubbed in place: %s", got.ResponseBody)
	}
	if !strings.Contains(string(ex.ResponseBody), pair) {
		t.Error("the original exchange was changed")
	}
	for _, escaped := range []string{`p\u0026ss\u003c\"w+rd/=`, `p&amp;ss&lt;&#34;w+rd/=`, "p%26ss%3C%22w%2Brd%2F%3D", "p%26ss%3c%22w%2brd%2f%3d"} {
		if out := s.String("x " + escaped + " y"); out != "x [REDACTED] y" {
			t.Errorf("escaped form %s left: %s", escaped, out)
		}
	}
}

// A secret split across writes, however finely, is still replaced, and
// what cannot start a secret is passed on at once.
func TestWriterCatchesSecretsAcrossWrites(t *testing.T) {
	s := NewScrubber(BasicSecrets(testUser, testPass)...)
	text := "start • " + testUser + ":" + testPass + " middle " + testPass + " end"
	for _, size := range []int{1, 2, 3, 7, len(text)} {
		var out bytes.Buffer
		w := s.Writer(&out)
		for i := 0; i < len(text); i += size {
			_, _ = w.Write([]byte(text[i:min(i+size, len(text))]))
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if l := leaks(out.String()); len(l) > 0 || out.String() != "start • [REDACTED] middle [REDACTED] end" {
			t.Errorf("writes of %d bytes: %q", size, out.String())
		}
	}
	var out bytes.Buffer
	w := s.Writer(&out)
	_, _ = w.Write([]byte("•••"))
	if out.String() != "•••" {
		t.Errorf("progress that cannot start a secret was held back: %q", out.String())
	}
	_, _ = w.Write([]byte("x p&ss"))
	if out.String() != "•••x " {
		t.Errorf("the start of a possible secret was passed on: %q", out.String())
	}
}

func TestCredentialsOfARequest(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://h/p", nil)
	req.SetBasicAuth(testUser, testPass)
	req.Header.Add("Proxy-Authorization", "Bearer tok-123")
	s := NewScrubber()
	s.AddCredentials(Credentials(req.Header, "https://u:url-pass@h/x")...)
	s.AddCredentials(Credentials(req.Header, "")...) // seen: nothing new
	in := "a " + testUser + ":" + testPass + " b tok-123 c url-pass d"
	if got := s.String(in); got != "a [REDACTED] b [REDACTED] c [REDACTED] d" {
		t.Errorf("got %q", got)
	}
	var none *Scrubber
	if none.String(in) != in || none.Exchange(Exchange{URL: "http://u:p@h"}).URL != "http://[REDACTED]@h" {
		t.Error("the nil Scrubber should change only what Redact changes")
	}
}

func TestShortFormsAreNotScrubbed(t *testing.T) {
	s := NewScrubber(BasicSecrets("merchant", "pw")...)
	in := "pw is everywhere: pwd, pwned; merchant:pw and " + base64.StdEncoding.EncodeToString([]byte("merchant:pw"))
	if got := s.String(in); got != "pw is everywhere: pwd, pwned; [REDACTED] and [REDACTED]" {
		t.Errorf("got %q", got)
	}
	if got := NewScrubber(BasicSecrets("u", "p")...).String("u:p dTpw"); got != "u:p dTpw" {
		t.Errorf("forms shorter than %d bytes were scrubbed: %q", MinSecret, got)
	}
}

// TestScrubberHidesHTMLEscapedForms: a target that escapes the password
// for HTML with named or numeric references (not Go's &#34; &#39;) echoed
// it past the scrubber in every output, also inside a JSON body.
func TestScrubberHidesHTMLEscapedForms(t *testing.T) {
	const user, pass = "merchant", `Tr0ub<4d&r"x/+Q'`
	s := NewScrubber(BasicSecrets(user, pass)...)
	for _, form := range []string{
		`Tr0ub&lt;4d&amp;r&quot;x/+Q&apos;`,    // named
		`Tr0ub&lt;4d&amp;r&quot;x/+Q&#x27;`,    // Python html.escape, Django
		`Tr0ub&#60;4d&#38;r&#34;x/+Q&#39;`,     // decimal
		`Tr0ub&#x3c;4d&#x26;r&#x22;x/+Q&#x27;`, // hex, lower case
		`Tr0ub&#x3C;4d&#x26;r&#x22;x/+Q&#x27;`, // hex, upper case
		`merchant:Tr0ub&lt;4d&amp;r&quot;x/+Q&apos;`,
		`merchant:Tr0ub&#x3C;4d&#x26;r&#x22;x/+Q&#x27;`,
		`Tr0ub\u0026lt;4d\u0026amp;r\u0026quot;x/+Q\u0026apos;`, // named, then in a JSON body
		`Tr0ub\u0026#x3c;4d\u0026#x26;r\u0026#x22;x/+Q\u0026#x27;`,
	} {
		text := "error: " + form + " refused"
		if got := s.String(text); strings.Contains(got, "Tr0ub") || !strings.Contains(got, Redacted) {
			t.Errorf("%s: scrubbed to %q", form, got)
		}
	}
	// Only the password's own characters: one with none to escape keeps
	// the plain forms only.
	if n, m := len(Variants("plainpassword")), len(Variants(pass)); n >= m {
		t.Errorf("a password with nothing to escape has %d forms, one with has %d", n, m)
	}
}
