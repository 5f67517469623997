package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/suites/runner"
)

// The credentials of the echo test: every character that an encoding
// changes, so each encoded form differs from the plain one.
const (
	echoUser     = "merchant-echo"
	echoPassword = `Ec4o+pw/x=&"<y>'`
)

// echoLeaks lists the forms of the echo test's credentials found in text.
func echoLeaks(text string) []string {
	pair := echoUser + ":" + echoPassword
	jsonForm := func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) }
	forms := []string{echoPassword, pair}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b := enc.EncodeToString([]byte(pair))
		forms = append(forms, b, url.QueryEscape(b))
	}
	for _, s := range []string{echoPassword, pair} {
		forms = append(forms, url.QueryEscape(s), url.PathEscape(s), jsonForm(s), html.EscapeString(s))
		for _, e := range exchange.EntityForms(s) {
			forms = append(forms, e, jsonForm(e)) // as shown, and in a JSON output
		}
	}
	var found []string
	for _, f := range forms {
		if strings.Contains(text, f) {
			found = append(found, f)
		}
	}
	return found
}

// echoServer is a hostile target: it sends the request back everywhere it
// can. The headers (Authorization included) in a JSON body, the decoded
// user:pass in an error message, the Authorization value in response
// headers, the credentials in a Location, a 4xx so that every spec fails
// and prints what it got.
func echoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		user, pass, _ := r.BasicAuth()
		pair := user + ":" + pass
		escaped := append(exchange.EntityForms(pass), exchange.EntityForms(pair)...)
		body, _ := json.Marshal(map[string]any{
			"headers":          r.Header,
			"error_code":       "BAD_VALUE",
			"error_messages":   append([]string{"credentials " + pair + " refused", "password " + pass}, escaped...),
			"correlation_id":   auth,
			"url":              r.URL.String(),
			"payment_page_url": "http://" + r.Host + "/pay/x?a=" + url.QueryEscape(auth) + "&p=" + url.QueryEscape(pass),
		})
		w.Header().Set("X-Echo-Authorization", auth)
		w.Header().Set("X-Echo-Pair", pair)
		w.Header().Set("Klarna-Correlation-Id", pass)
		w.Header().Set("Location", "http://"+url.UserPassword(user, pass).String()+"@"+r.Host+"/x/"+url.PathEscape(pair)+"?auth="+url.QueryEscape(strings.TrimPrefix(auth, "Basic ")))
		for i, f := range escaped {
			w.Header().Set(fmt.Sprintf("X-Echo-Escaped-%d", i), f)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestRunAgainstAnEchoingTargetLeaksNoCredential is issue 11's first "Done
// when": a target that echoes the credentials everywhere leaves none of
// their forms in stdout, stderr or any output file of a run with every
// output on.
func TestRunAgainstAnEchoingTargetLeaksNoCredential(t *testing.T) {
	t.Parallel()
	srv := echoServer(t)
	dir := t.TempDir()
	outputs := map[string]string{
		"--junit-report": filepath.Join(dir, "junit.xml"),
		"--report":       filepath.Join(dir, "conformance.md"),
		"--report-json":  filepath.Join(dir, "conformance.json"),
		"--record":       filepath.Join(dir, "run.har"),
	}
	args := []string{"--target", srv.URL, "--request-timeout", "2s", "--deadline", "90s", "-v"}
	for flag, path := range outputs {
		args = append(args, flag, path)
	}
	r, err := startChild(t.Context(), dir, 2*time.Minute,
		map[string]string{"KCONFORM_USERNAME": echoUser, "KCONFORM_PASSWORD": echoPassword}, args...)
	if err != nil {
		t.Fatal(err)
	}
	if r.exit != runner.ExitFailed {
		t.Errorf("exit %d, want 1 (every spec meets a 400):\n%s", r.exit, lastOutput(r.output))
	}
	outputs["--json-report"] = filepath.Join(dir, "report.json") // startChild's
	if len(r.failures()) == 0 {
		t.Errorf("no failed spec in the JSON report: the run did not meet the echoes")
	}
	if !strings.Contains(r.output, "[REDACTED]") {
		t.Errorf("no [REDACTED] in the output: the echoes were never shown, so the test proves nothing:\n%s", lastOutput(r.output))
	}
	if l := echoLeaks(r.output); len(l) > 0 {
		t.Errorf("stdout/stderr hold %q:\n%s", l, lastOutput(r.output))
	}
	for flag, path := range outputs {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", flag, err)
			continue
		}
		if l := echoLeaks(string(b)); len(l) > 0 {
			t.Errorf("%s %s holds %q", flag, filepath.Base(path), l)
		}
	}
	har, _ := os.ReadFile(outputs["--record"])
	if !strings.Contains(string(har), "[REDACTED]") || !strings.Contains(string(har), "X-Echo-Authorization") {
		t.Errorf("the HAR does not hold the scrubbed echoes:\n%.2000s", har)
	}
}
