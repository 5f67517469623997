package main

import (
	"strings"
	"testing"
)

// scrubPassword is the password of scrubBasic ("merchant:" + it, base64).
const (
	scrubPassword = "Sup3rS3cretPassw0rd!"
	scrubBasic    = "Basic bWVyY2hhbnQ6U3VwM3JTM2NyZXRQYXNzdzByZCE="
)

// harWith renders a HAR capture of the given entries.
func harWith(entries ...string) string {
	return `{"log":{"version":"1.2","entries":[` + strings.Join(entries, ",") + `]}}`
}

// harEntry is an HPP read with the given request headers and response
// header list, answering body.
func harEntry(reqHeaders, respHeaders, body string) string {
	return `{"request":{"method":"GET","url":"` + hppURL + `","headers":` + reqHeaders + `},` +
		`"response":{"status":200,"headers":` + respHeaders + `,"content":{"mimeType":"application/json","text":` + jsonString(body) + `}}}`
}

// assertScrubbed runs validate on path in every format and mode and fails
// when the password, or the Basic value, reaches stdout or stderr.
func assertScrubbed(t *testing.T, path string) {
	t.Helper()
	for _, format := range []string{"text", "json", "junit"} {
		for _, strict := range []string{"--strict=false", "--strict"} {
			_, out, errOut := validate(t, "--format", format, strict, path)
			for _, s := range []string{scrubPassword, strings.TrimPrefix(scrubBasic, "Basic ")} {
				if strings.Contains(out, s) || strings.Contains(errOut, s) {
					t.Errorf("%s %s: %q shown:\nstdout:\n%s\nstderr:\n%s", format, strict, s, out, errOut)
				}
			}
		}
	}
}

// An entry that cannot be read is scrubbed with the credentials its own
// request carries: its message names a header or key, and that name may
// be the password.
func TestValidateScrubsUnreadableEntries(t *testing.T) {
	dir := t.TempDir()
	auth := `[{"name":"Authorization","value":"` + scrubBasic + `"}]`
	for name, data := range map[string]string{
		// response header named after the password, with a number value
		"hdrname.har": harWith(harEntry(auth, `[{"name":"`+scrubPassword+`","value":5}]`, waiting)),
		// the Authorization comes after the broken header
		"hdrfirst.har": `{"log":{"version":"1.2","entries":[{"response":{"status":200,"headers":[{"name":"` + scrubPassword + `","value":5}]},` +
			`"request":{"method":"GET","url":"` + hppURL + `","headers":` + auth + `}}]}}`,
		// kconform's exchange format: an unknown key named after the password
		"key.json": `{"exchanges":[{"operation":"getSessionById","status":200,"` + scrubPassword + `":1,` +
			`"request":{"headers":{"Authorization":"` + scrubBasic + `"}},"response":{"body":` + waiting + `}}]}`,
		"single.json": `{"operation":"getSessionById","status":200,"` + scrubPassword + `":1,` +
			`"request":{"headers":{"Authorization":["` + scrubBasic + `"]}},"response":{"body":` + waiting + `}}`,
		// a URL password, and a syntax error after it
		"url.har": `{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://merchant:` + scrubPassword +
			`@api.playground.klarna.com/x","headers":[{"name":"` + scrubPassword + `","value":[]}]}}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := writeRecording(t, dir, name, data)
			if code, out, _ := validate(t, path); code != 2 || !strings.Contains(out, "unreadable") {
				t.Fatalf("want an unreadable entry, exit 2; got exit %d:\n%s", code, out)
			}
			assertScrubbed(t, path)
		})
	}
}

// A cassette's interaction that cannot be read is scrubbed with its
// credentials too, even when its request headers are what is broken.
func TestValidateScrubsUnreadableInteractions(t *testing.T) {
	path := writeRecording(t, t.TempDir(), "hdr.yml", `http_interactions:
- request:
    method: get
    uri: `+hppURL+`
    headers:
      Authorization: [`+scrubBasic+`]
      "`+scrubPassword+`": {a: b}
  response:
    status: {code: 200}
    body: {string: '`+waiting+`'}
`)
	if code, out, _ := validate(t, path); code != 2 || !strings.Contains(out, "unreadable") {
		t.Fatalf("want an unreadable entry, exit 2; got exit %d:\n%s", code, out)
	}
	assertScrubbed(t, path)
}

// A credential carried by one entry scrubs what every entry of the file
// prints, the entries before it too: entry 0 has a field named after the
// password that only entry 1's Authorization reveals.
func TestValidateScrubsWithTheWholeFilesCredentials(t *testing.T) {
	dir := t.TempDir()
	plain := `[{"name":"Content-Type","value":"application/json"}]`
	auth := `[{"name":"Authorization","value":"` + scrubBasic + `"}]`
	field := `{"session_id":"s1","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z","x_` + scrubPassword + `":1}`
	path := writeRecording(t, dir, "order.har", harWith(
		harEntry(plain, plain, field),
		harEntry(auth, plain, waiting),
	))
	if _, out, _ := validate(t, "--strict", path); !strings.Contains(out, "/x_[REDACTED]") {
		t.Fatalf("the unknown field is not reported, scrubbed:\n%s", out)
	}
	assertScrubbed(t, path)
	// Two files: the second's output is scrubbed with the first's too.
	other := writeRecording(t, dir, "other.har", harWith(harEntry(plain, plain, field)))
	for _, format := range []string{"text", "json", "junit"} {
		_, out, errOut := validate(t, "--strict", "--format", format, path, other)
		if strings.Contains(out+errOut, scrubPassword) {
			t.Errorf("%s: two files: the password is shown:\n%s\n%s", format, out, errOut)
		}
	}
}
