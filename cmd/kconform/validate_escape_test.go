package main

import (
	"strings"
	"testing"
)

// No escape code from a recording (in a URL, a field name, a header name,
// the file's own name) reaches the terminal raw, in any format: the text
// report escapes them as \x1b, the JSON and JUnit encoders escape them.
func TestValidateEscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	plain := `[{"name":"Content-Type","value":"application/json"}]`
	field := `{"session_id":"s1","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z","\u001b[2Jk":1}`
	url := `{"request":{"method":"GET","url":"` + hppURL + `?x=\u001b[2J\u001b]0;pwned\u0007","headers":[]},` +
		`"response":{"status":200,"headers":` + plain + `,"content":{"mimeType":"application/json","text":` + jsonString(waiting) + `}}}`
	header := harEntry(plain, `[{"name":"X-\u001b[1mBold","value":5}]`, waiting)
	path := writeRecording(t, dir, "esc\x1b[31m.har", harWith(harEntry(plain, plain, field), url, header))
	for _, format := range []string{"text", "json", "junit"} {
		_, out, errOut := validate(t, "--strict", "--format", format, path)
		for _, c := range []string{"\x1b", "\x07"} {
			if strings.Contains(out, c) || strings.Contains(errOut, c) {
				t.Errorf("%s: %q printed raw:\nstdout:\n%s\nstderr:\n%s", format, c, out, errOut)
			}
		}
		if format == "text" {
			for _, want := range []string{`esc\x1b[31m.har`, `?x=\x1b[2J\x1b]0;pwned\x07`, `/\x1b[2Jk`} {
				if !strings.Contains(out, want) {
					t.Errorf("text: %q is not shown escaped:\n%s", want, out)
				}
			}
		}
	}
}
