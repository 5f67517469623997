package main

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestValidateScrubsEchoedCredentials: a capture of a target that echoed
// the Basic credentials (in the URL path and query, a header, the body)
// shows none of their forms in any report format, nor on stderr. The
// credentials are learnt from the capture's own Authorization headers.
func TestValidateScrubsEchoedCredentials(t *testing.T) {
	pair := echoUser + ":" + echoPassword
	b64 := base64.StdEncoding.EncodeToString([]byte(pair))
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	entry := func(rawURL string, status int, body string) map[string]any {
		return map[string]any{
			"request": map[string]any{"method": "GET", "url": rawURL, "headers": []nv{{"Authorization", "Basic " + b64}}},
			"response": map[string]any{"status": status,
				"headers": []nv{{"Content-Type", "application/json"}, {"X-Echo", "Basic " + b64}, {"Location", "https://x/" + url.PathEscape(pair)}},
				"content": map[string]any{"mimeType": "application/json", "text": body}},
		}
	}
	echoBody, _ := json.Marshal(map[string]any{"session_id": pair, "status": b64, "error": "bad " + pair})
	capture, _ := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{
		entry("https://api.playground.klarna.com/hpp/v1/sessions/"+url.PathEscape(b64), 200, string(echoBody)),
		entry("https://api.playground.klarna.com/hpp/v1/sessions/s1?p="+url.QueryEscape(echoPassword)+"&a="+url.QueryEscape(b64), 200, string(echoBody)),
		entry("https://shop.example.com/echo/"+url.PathEscape(pair), 200, string(echoBody)),               // outside the contract
		entry("https://api.playground.klarna.com/hpp/v1/sessions/"+url.PathEscape(echoPassword), 0, `""`), // unreadable: no response
	}}})
	path := writeRecording(t, t.TempDir(), "echo.har", string(capture))
	for _, format := range []string{"text", "json", "junit"} {
		code, out, errOut := validate(t, "--format", format, "--strict", path)
		if code == 0 {
			t.Errorf("%s: exit 0 for a capture with violations", format)
		}
		if !strings.Contains(out, "[REDACTED]") {
			t.Errorf("%s: nothing was scrubbed, so the test proves nothing:\n%s", format, out)
		}
		if l := echoLeaks(out + "\n" + errOut); len(l) > 0 {
			t.Errorf("%s: the output holds %q:\nstdout:\n%s\nstderr:\n%s", format, l, out, errOut)
		}
	}
}
