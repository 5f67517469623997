package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/groundtruth"
	"github.com/kconform/kconform/internal/validateout"
)

// validate runs `kconform validate args...` and returns its exit code,
// stdout and stderr.
func validate(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runValidate(args, os.Getenv, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeRecording(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	hppURL     = "https://api.playground.klarna.com/hpp/v1/sessions/s1"
	waiting    = `{"session_id":"s1","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z"}`
	inProgress = `{"session_id":"s1","status":"IN_PROGRESS","updated_at":"2024-01-03T12:01:00Z","expires_at":"2024-01-05T11:00:00Z"}`
	completed  = `{"session_id":"s1","status":"COMPLETED","updated_at":"2024-01-03T12:02:00Z","expires_at":"2024-01-05T11:00:00Z","authorization_token":"tok"}`
)

// exchangesFile renders kconform's JSON exchange format with HPP reads.
func exchangesFile(bodies ...string) string {
	var parts []string
	for _, b := range bodies {
		parts = append(parts, `{"method":"GET","url":"`+hppURL+`","status":200,"response":{"headers":{"Content-Type":"application/json"},"body":`+b+`}}`)
	}
	return `{"exchanges":[` + strings.Join(parts, ",") + `]}`
}

func TestValidateExitCodes(t *testing.T) {
	dir := t.TempDir()
	ok := writeRecording(t, dir, "ok.json", exchangesFile(waiting, inProgress, completed))
	bad := writeRecording(t, dir, "bad.json", exchangesFile(completed, inProgress))
	outside := writeRecording(t, dir, "outside.json", `{"method":"GET","url":"https://shop.example.com/","status":200}`)
	cut := writeRecording(t, dir, "cut.har", `{"log":{"version":"1.2","entries":[{"request":`)
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{ok}, 0},
		{[]string{bad}, 1},
		{[]string{outside}, 3}, // nothing was checked
		{[]string{ok, outside}, 3},
		{[]string{"--strict", outside}, 1},
		{[]string{outside, "--strict"}, 1}, // flags after paths
		{[]string{ok, bad}, 1},
		{[]string{cut}, 2},
		{[]string{ok, bad, cut}, 2}, // unreadable wins
		{[]string{filepath.Join(dir, "missing.har")}, 2},
		{[]string{"--format", "json", bad}, 1},
		{[]string{"--format=junit", ok}, 0},
		{[]string{"--", "--strict"}, 2}, // after --, a path (that does not exist)
	} {
		code, out, errOut := validate(t, tt.args...)
		if code != tt.code {
			t.Errorf("validate %v: exit %d; want %d\nstdout:\n%s\nstderr:\n%s", tt.args, code, tt.code, out, errOut)
		}
	}
}

func TestValidateUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		says string
	}{
		{nil, "no PATH given"},
		{[]string{"--format", "xml", "x"}, `unknown format "xml"`},
		{[]string{"--as", "op:sideways", "x"}, "--as"},
		{[]string{"--as", "noSuchOperation", "x"}, `no operation "noSuchOperation"`},
		{[]string{"--bogus", "x"}, "-bogus"},
		{[]string{"--workers", "-1", "x"}, "--workers"},
		{[]string{"--max-body", "lots", "x"}, "--max-body"},
		{[]string{"--max-body", "0", "x"}, "--max-body"},
	} {
		code, out, errOut := validate(t, tt.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.says) {
			t.Errorf("validate %v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, errOut, tt.says)
		}
	}
	code, out, errOut := validate(t, "-h")
	if code != 0 || !strings.Contains(out, "usage: kconform validate") || !strings.Contains(out, "-strict") || errOut != "" {
		t.Errorf("-h: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if commands["validate"] == nil {
		t.Error("validate is not registered")
	}
}

// The text report names each file and entry, the operation, the status and
// each violation with its pointer and rule, then the summary.
func TestValidateText(t *testing.T) {
	dir := t.TempDir()
	bad := writeRecording(t, dir, "bad.json", exchangesFile(completed, inProgress))
	code, out, _ := validate(t, bad)
	want := bad + ` [kconform-json]
  #0 GET ` + hppURL + ` -> getSessionById 200: conforms
  #1 GET ` + hppURL + ` -> getSessionById 200: violates (2 violations)
      violation: response body /status [lifecycle.left-terminal-status] session s1 was COMPLETED at #0, a terminal status it must never leave; here it is IN_PROGRESS
      violation: response body /updated_at [lifecycle.updated-at-went-back] session s1: updated_at 2024-01-03T12:01:00Z is earlier than 2024-01-03T12:02:00Z at #0; it never goes back
2 entries in 1 file: 1 conform, 1 violate (2 violations), 0 outside the contract, 0 unreadable; 0 warnings
`
	if code != 1 || out != want {
		t.Errorf("exit %d, report:\n%s\nwant:\n%s", code, out, want)
	}
}

// Files come out sorted whatever the order of the arguments, and the report
// is the same whatever the number of workers.
func TestValidateStableOutput(t *testing.T) {
	dir := t.TempDir()
	var entries []string
	for i := 0; i < 300; i++ {
		entries = append(entries, inProgress)
	}
	entries = append([]string{completed}, entries...)
	a := writeRecording(t, dir, "a/long.json", exchangesFile(entries...))
	b := writeRecording(t, dir, "b.json", exchangesFile(waiting))
	c := writeRecording(t, dir, "c.json", `{"status":200,"response":{"body":{}}}`)
	for _, format := range []string{"text", "json", "junit"} {
		_, first, _ := validate(t, "--format", format, "--workers", "1", c, dir, b)
		_, second, _ := validate(t, "--format", format, "--workers", "4", b, a, c)
		if first != second {
			t.Errorf("%s: the report depends on the argument order or the workers", format)
		}
		ia, ib, ic := strings.Index(first, a), strings.Index(first, b), strings.Index(first, c)
		if ia < 0 || ib < ia || ic < ib {
			t.Errorf("%s: files not sorted (%d %d %d)", format, ia, ib, ic)
		}
	}
}

// Credentials in a capture never reach any report, nor stderr: not the
// Authorization, Cookie or Set-Cookie headers, not a URL's userinfo, not
// even when the entry is broken.
func TestValidateNeverShowsSecrets(t *testing.T) {
	const (
		basic    = "Basic a2NvbmZvcm06aHVudGVyMg=="
		cookie   = "session=cookie-secret-1"
		setCook  = "sid=cookie-secret-2; HttpOnly"
		password = "url-secret-3"
	)
	secrets := []string{"a2NvbmZvcm06aHVudGVyMg", "hunter2", "cookie-secret-1", "cookie-secret-2", password}
	userinfoURL := "https://merchant:" + password + "@api.playground.klarna.com/hpp/v1/sessions/s1"
	headers := `[{"name":"Authorization","value":"` + basic + `"},{"name":"Cookie","value":"` + cookie + `"}]`
	respHeaders := `[{"name":"Content-Type","value":"application/json"},{"name":"Set-Cookie","value":"` + setCook + `"}]`
	entry := func(url, status, body string) string {
		return `{"request":{"method":"GET","url":"` + url + `","headers":` + headers + `},` +
			`"response":{"status":` + status + `,"headers":` + respHeaders + `,"content":{"mimeType":"application/json","text":` + body + `}}}`
	}
	capture := `{"log":{"version":"1.2","entries":[` + strings.Join([]string{
		entry(userinfoURL, "200", jsonString(completed)),
		entry(userinfoURL, "200", jsonString(inProgress)),                               // a violation
		entry(userinfoURL, "0", `""`),                                                   // unreadable: no response
		entry("https://merchant:"+password+"@shop.example.com/callback", "200", `"{}"`), // outside the contract
		entry(userinfoURL, "200", jsonString(`{"session_id":"`+basic+`"}`)),             // a body quoting the credential
		`{"request":{"method":"GET","url":"` + userinfoURL + `","headers":[{"name":"Authorization","value":12345}]},"response":{"status":200}}`,
	}, ",") + `]}}`
	dir := t.TempDir()
	path := writeRecording(t, dir, "secrets.har", capture)
	cassette := writeRecording(t, dir, "secrets.yml", `http_interactions:
- request:
    method: get
    uri: `+userinfoURL+`
    headers:
      Authorization: [`+basic+`]
      Cookie: [`+cookie+`]
  response:
    status: {code: 401}
    headers:
      Set-Cookie: [`+setCook+`]
    body: {string: ''}
`)
	for _, format := range []string{"text", "json", "junit"} {
		for _, strict := range []string{"--strict=false", "--strict"} {
			code, out, errOut := validate(t, "--format", format, strict, path, cassette)
			if code != 2 {
				t.Errorf("%s %s: exit %d", format, strict, code)
			}
			if !strings.Contains(out, "[REDACTED]@api.playground.klarna.com") {
				t.Errorf("%s: the redacted URL is not shown:\n%s", format, out)
			}
			for _, s := range secrets {
				if strings.Contains(out, s) || strings.Contains(errOut, s) {
					t.Errorf("%s %s: %q shown:\nstdout:\n%s\nstderr:\n%s", format, strict, s, out, errOut)
				}
			}
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The machine-readable reports parse, and say on stderr too what could not
// be read.
func TestValidateMachineReadable(t *testing.T) {
	dir := t.TempDir()
	ok := writeRecording(t, dir, "ok.json", exchangesFile(waiting))
	empty := writeRecording(t, dir, "empty.har", "")
	code, out, errOut := validate(t, "--format", "json", ok, empty)
	if code != 2 || !json.Valid([]byte(out)) || !strings.Contains(errOut, empty+": empty file") {
		t.Errorf("json: exit %d, stderr %q\n%s", code, errOut, out)
	}
	code, out, errOut = validate(t, "--format", "junit", ok, empty)
	var doc struct{}
	if code != 2 || xml.Unmarshal([]byte(out), &doc) != nil || !strings.Contains(errOut, "empty file") {
		t.Errorf("junit: exit %d, stderr %q\n%s", code, errOut, out)
	}
}

// The REAL captures of the shared folder conform through the command too;
// the folder as a whole does not (its HAND fixtures are outdated).
func TestValidateSharedRecordings(t *testing.T) {
	sharedRecordings := groundtruth.Path(t, "recordings")
	real, _ := filepath.Glob(filepath.Join(sharedRecordings, "saleor-*.har"))
	solidus, _ := filepath.Glob(filepath.Join(sharedRecordings, "solidus_*.yml"))
	real = append(real, solidus...)
	if len(real) != 4 {
		t.Fatalf("found %d REAL captures: %v", len(real), real)
	}
	code, out, errOut := validate(t, append([]string{"--strict"}, real...)...)
	if code != 0 || !strings.Contains(out, "4 entries in 4 files: 4 conform") {
		t.Errorf("REAL captures: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = validate(t, sharedRecordings)
	if code != 1 || !strings.Contains(out, "33 entries in 33 files") {
		t.Errorf("shared folder: exit %d\n%s", code, out)
	}

	// nebulab/klarna_proxy: REAL playground captures whose requests the
	// server accepted although they depart from the contract (read-only
	// fields, "subscription" in lower case). Default mode: they conform;
	// strict mode reports each departure as a violation.
	nebulab, _ := filepath.Glob(filepath.Join(sharedRecordings, "nebulab-klarna_proxy__*.yml"))
	if len(nebulab) != 12 {
		t.Fatalf("found %d nebulab captures", len(nebulab))
	}
	code, out, errOut = validate(t, nebulab...)
	if code != 0 || !strings.Contains(out, "12 entries in 12 files: 12 conform, 0 violate") {
		t.Errorf("nebulab, default: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = validate(t, append([]string{"--strict"}, nebulab...)...)
	if code != 1 || !strings.Contains(out, "12 entries in 12 files: 8 conform, 4 violate") {
		t.Errorf("nebulab, strict: exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"violation: request body /intended_use [schema.enum]",
		"violation: request body /status [schema.readOnly]",
		"violation: request body /authorization_token [schema.readOnly]",
		"violation: request body /client_token [body.unknown-field]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("nebulab, strict: lacks %q", want)
		}
	}
}

// progressDraw is one drawing of the progress line: back to the start of
// the line, the text, erase to the end; a clear is one with no text.
var progressDraw = regexp.MustCompile("\r[^\r\n]*\x1b\\[K")

// progressRecordings are a long file, a short one and a broken one, so
// that stderr has messages of its own in the machine-readable formats.
func progressRecordings(t *testing.T) []string {
	dir := t.TempDir()
	var entries []string
	for range 300 {
		entries = append(entries, waiting)
	}
	return []string{
		writeRecording(t, dir, "a.json", exchangesFile(entries...)),
		writeRecording(t, dir, "b.json", exchangesFile(completed, inProgress)),
		writeRecording(t, dir, "c-cut.har", `{"log":{"version":"1.2","entries":[{"request":`),
	}
}

// --progress always draws the line on stderr and clears it after its last
// drawing; without the drawings, stdout and stderr are what they are
// without progress.
func TestValidateProgressAlways(t *testing.T) {
	files := progressRecordings(t)
	for _, format := range validateout.Formats {
		args := append([]string{"--format", format}, files...)
		plainCode, plainOut, plainErr := validate(t, append(args, "--progress", "never")...)
		code, out, errOut := validate(t, append(args, "--progress", "always")...)
		if code != plainCode || out != plainOut {
			t.Errorf("%s: exit %d and stdout changed by --progress always:\n%s\nwant exit %d and:\n%s", format, code, out, plainCode, plainOut)
		}
		draws := progressDraw.FindAllStringIndex(errOut, -1)
		if len(draws) < 2 || !strings.HasPrefix(errOut[draws[0][0]:], "\rkconform validate: 0/3 files · 0 B of ") {
			t.Fatalf("%s: stderr %q: want the line drawn, then cleared", format, errOut)
		}
		last := draws[len(draws)-1]
		if errOut[last[0]:last[1]] != "\r\x1b[K" || errOut[draws[len(draws)-2][0]:draws[len(draws)-2][1]] == "\r\x1b[K" {
			t.Errorf("%s: stderr %q: the last drawing of the line is not cleared", format, errOut)
		}
		if got := progressDraw.ReplaceAllString(errOut, ""); got != plainErr {
			t.Errorf("%s: stderr without the line:\n%q\nwant:\n%q", format, got, plainErr)
		}
	}
}

// With --progress never, or by default when stderr is not a terminal, not
// one carriage return or escape is written, CI or not.
func TestValidateNoProgress(t *testing.T) {
	files := progressRecordings(t)
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		for _, args := range [][]string{
			append([]string{"--progress", "never"}, files...),
			append([]string{"--progress=auto", "--format", "json"}, files...),
			append([]string{"--format", "junit"}, files...),
			files,
		} {
			_, out, errOut := validate(t, args...)
			if strings.ContainsAny(out+errOut, "\r\x1b") {
				t.Errorf("CI=%q validate %v: a progress line in stdout %q or stderr %q", ci, args, out, errOut)
			}
		}
	}
}

func TestValidateBadProgress(t *testing.T) {
	for _, value := range []string{"sometimes", "", "ALWAYS"} {
		code, out, errOut := validate(t, "--progress", value, "x.har")
		if code != 2 || out != "" || !strings.Contains(errOut, "--progress") || !strings.Contains(errOut, "auto, always or never") {
			t.Errorf("--progress %q: exit %d, stdout %q, stderr %q; want 2 naming the flag", value, code, out, errOut)
		}
	}
}

// When stdout and stderr are one file (a terminal), the line is cleared
// before any report text: no text follows a drawn line on its row.
func TestValidateProgressNeverMixesWithTheReport(t *testing.T) {
	files := progressRecordings(t)
	for _, format := range validateout.Formats {
		args := append([]string{"--format", format}, files...)
		got := validateToOneFile(t, append(args, "--progress", "always")...)
		plain := validateToOneFile(t, append(args, "--progress", "never")...)
		if stripped := progressDraw.ReplaceAllString(got, ""); stripped != plain {
			t.Errorf("%s: output without the line:\n%q\nwant:\n%q", format, stripped, plain)
		}
		for _, d := range progressDraw.FindAllStringIndex(got, -1) {
			if d[1]-d[0] > len("\r\x1b[K") && !strings.HasPrefix(got[d[1]:], "\r") {
				t.Fatalf("%s: text after a drawn line: %q", format, got[d[0]:min(len(got), d[1]+40)])
			}
		}
	}
}

// validateToOneFile runs validate with stdout and stderr on one file, as
// on a terminal, and returns what it holds.
func validateToOneFile(t *testing.T, args ...string) string {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "terminal"))
	if err != nil {
		t.Fatal(err)
	}
	runValidate(args, os.Getenv, f, f)
	f.Close()
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
