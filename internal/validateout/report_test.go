package validateout

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/recording"
)

// feed replays a fixed run into a writer: two files, one with a conforming
// entry, a violating one, one outside the contract and an unreadable one;
// the other unreadable as a whole.
func feed(t *testing.T, w Writer) (audit.Summary, error) {
	t.Helper()
	sum := audit.Summary{Files: 2, UnreadableFiles: 1, Entries: 4, Conforming: 1, Violating: 1, Outside: 1, Unreadable: 1, Violations: 2, Warnings: 2}
	w.BeginFile("rec/a.har", recording.FormatHAR)
	w.Entry(&audit.Entry{File: "rec/a.har", Index: 0, Kind: recording.KindExchange, Method: "POST",
		URL: "https://[REDACTED]@api.playground.klarna.com/payments/v1/sessions", Operation: "createCreditSession", Status: 200, Verdict: audit.Conforms})
	w.Entry(&audit.Entry{File: "rec/a.har", Index: 1, Kind: recording.KindExchange, Method: "GET",
		URL: "https://api.klarna.com/hpp/v1/sessions/s1", Operation: "getSessionById", Status: 200, Verdict: audit.Violates,
		Issues: []contract.Issue{
			{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Pointer: "", Rule: "schema.oneOf", Message: "matches none of the allowed shapes: a <b> & \"c\""},
			{Severity: contract.Warning, Side: contract.Response, In: contract.InBody, Pointer: "/auth_token", Rule: "body.unknown-field", Message: "field auth_token is not in the contract"},
			{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Pointer: "/status", Rule: "lifecycle.left-terminal-status", Message: "session s1 was COMPLETED at #0"},
		}})
	w.Entry(&audit.Entry{File: "rec/a.har", Index: 2, Kind: recording.KindExchange, Method: "GET",
		URL: "https://shop.example.com/favicon.ico", Status: 200, Verdict: audit.Outside,
		Issues: []contract.Issue{{Severity: contract.Warning, Side: contract.Response, In: contract.InRoute, Rule: "route.unknown-operation", Message: "no operation"}}})
	w.Entry(&audit.Entry{File: "rec/a.har", Index: 3, Kind: recording.KindExchange, Verdict: audit.Unreadable,
		Err: errors.New("rec/a.har: entry 3: no response was recorded")})
	w.EndFile("rec/a.har", nil)
	w.BeginFile("rec/b.json", "")
	w.EndFile("rec/b.json", errors.New("rec/b.json: not JSON: invalid character 'x'"))
	return sum, w.Finish(sum)
}

func TestText(t *testing.T) {
	var out bytes.Buffer
	w, _ := New("text", &out, Options{})
	if _, err := feed(t, w); err != nil {
		t.Fatal(err)
	}
	want := `rec/a.har [har]
  #0 POST https://[REDACTED]@api.playground.klarna.com/payments/v1/sessions -> createCreditSession 200: conforms
  #1 GET https://api.klarna.com/hpp/v1/sessions/s1 -> getSessionById 200: violates (2 violations, 1 warning)
      violation: response body (root) [schema.oneOf] matches none of the allowed shapes: a <b> & "c"
      warning: response body /auth_token [body.unknown-field] field auth_token is not in the contract
      violation: response body /status [lifecycle.left-terminal-status] session s1 was COMPLETED at #0
  #2 GET https://shop.example.com/favicon.ico -> ? 200: outside (1 warning)
      warning: response route [route.unknown-operation] no operation
  #3 (exchange): unreadable: rec/a.har: entry 3: no response was recorded
rec/b.json
  unreadable: rec/b.json: not JSON: invalid character 'x'
4 entries in 2 files: 1 conform, 1 violate (2 violations), 1 outside the contract, 2 unreadable (1 entry, 1 file could not be read); 2 warnings
`
	if out.String() != want {
		t.Errorf("text report:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestTextQuiet(t *testing.T) {
	var out bytes.Buffer
	w, _ := New("text", &out, Options{Quiet: true})
	feed(t, w)
	if strings.Contains(out.String(), "#0 ") || !strings.Contains(out.String(), "#1 ") || !strings.Contains(out.String(), "rec/b.json") {
		t.Errorf("quiet report:\n%s", out.String())
	}
	// A file whose entries all conform is left out entirely.
	out.Reset()
	w, _ = New("text", &out, Options{Quiet: true})
	w.BeginFile("ok.har", recording.FormatHAR)
	w.Entry(&audit.Entry{File: "ok.har", Verdict: audit.Conforms})
	w.EndFile("ok.har", nil)
	w.Finish(audit.Summary{Files: 1, Entries: 1, Conforming: 1})
	if out.String() != "1 entry in 1 file: 1 conform, 0 violate (0 violations), 0 outside the contract, 0 unreadable; 0 warnings\n" {
		t.Errorf("quiet report of a conforming file:\n%s", out.String())
	}
}

func TestJSON(t *testing.T) {
	var out bytes.Buffer
	w, _ := New("json", &out, Options{Mode: "strict"})
	sum, err := feed(t, w)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Mode  string `json:"mode"`
		Files []struct {
			File    string `json:"file"`
			Format  string `json:"format"`
			Error   string `json:"error"`
			Entries []struct {
				Index     int              `json:"index"`
				Kind      string           `json:"kind"`
				Method    string           `json:"method"`
				URL       string           `json:"url"`
				Operation string           `json:"operation"`
				Status    int              `json:"status"`
				Verdict   string           `json:"verdict"`
				Issues    []contract.Issue `json:"issues"`
				Error     string           `json:"error"`
			} `json:"entries"`
		} `json:"files"`
		Summary audit.Summary `json:"summary"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if doc.Mode != "strict" || len(doc.Files) != 2 || doc.Summary != sum {
		t.Fatalf("document %+v", doc)
	}
	a, b := doc.Files[0], doc.Files[1]
	if a.File != "rec/a.har" || a.Format != "har" || a.Error != "" || len(a.Entries) != 4 {
		t.Errorf("first file %+v", a)
	}
	e := a.Entries[1]
	if e.Index != 1 || e.Kind != "exchange" || e.Operation != "getSessionById" || e.Verdict != "violates" || len(e.Issues) != 3 || e.Issues[1].Pointer != "/auth_token" {
		t.Errorf("entry %+v", e)
	}
	if a.Entries[0].Issues == nil {
		t.Error("a conforming entry's issues are null, want []")
	}
	if a.Entries[3].Error == "" || a.Entries[3].Verdict != "unreadable" {
		t.Errorf("unreadable entry %+v", a.Entries[3])
	}
	if b.Error == "" || len(b.Entries) != 0 {
		t.Errorf("unreadable file %+v", b)
	}
	// An empty run is still one valid document.
	out.Reset()
	w, _ = New("json", &out, Options{})
	w.Finish(audit.Summary{})
	if !json.Valid(out.Bytes()) {
		t.Errorf("empty run: %s", out.String())
	}
}

func TestJUnit(t *testing.T) {
	var out bytes.Buffer
	w, _ := New("junit", &out, Options{})
	if _, err := feed(t, w); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []junitSuite `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out.String())
	}
	if len(doc.Suites) != 2 {
		t.Fatalf("%d suites", len(doc.Suites))
	}
	a := doc.Suites[0]
	if a.Name != "rec/a.har" || a.Tests != 4 || a.Failures != 1 || a.Errors != 1 || a.Skipped != 1 {
		t.Errorf("suite %s: tests %d failures %d errors %d skipped %d", a.Name, a.Tests, a.Failures, a.Errors, a.Skipped)
	}
	f := a.Cases[1].Failure
	if f == nil || f.Message != "2 violations, 1 warning" || !strings.Contains(f.Text, `a <b> & "c"`) || strings.Contains(f.Text, "auth_token") {
		t.Errorf("failure %+v", f)
	}
	if !strings.Contains(a.Cases[1].SystemOut, "auth_token") {
		t.Errorf("warnings not in system-out: %q", a.Cases[1].SystemOut)
	}
	if a.Cases[2].Skipped == nil || a.Cases[3].Error == nil {
		t.Errorf("outside/unreadable cases %+v", a.Cases)
	}
	b := doc.Suites[1]
	if b.Tests != 1 || b.Errors != 1 || b.Cases[0].Error == nil {
		t.Errorf("unreadable file suite %+v", b)
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := New("xml", &bytes.Buffer{}, Options{}); err == nil || !strings.Contains(err.Error(), "text, json, junit") {
		t.Errorf("New(xml): %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorReported(t *testing.T) {
	for _, format := range Formats {
		w, _ := New(format, failingWriter{}, Options{})
		if _, err := feed(t, w); err == nil || err.Error() != "disk full" {
			t.Errorf("%s: %v", format, err)
		}
	}
}

func TestSummaryLine(t *testing.T) {
	for _, tt := range []struct {
		s    audit.Summary
		want string
	}{
		{audit.Summary{}, "0 entries in 0 files: 0 conform, 0 violate (0 violations), 0 outside the contract, 0 unreadable; 0 warnings; nothing was checked"},
		{audit.Summary{Files: 2, Entries: 1, Outside: 1, Warnings: 1, UncheckedFiles: 2},
			"1 entry in 2 files: 0 conform, 0 violate (0 violations), 1 outside the contract, 0 unreadable; 1 warning; nothing was checked in 2 files"},
		{audit.Summary{Files: 1, Entries: 1, Violating: 1, Violations: 1, Warnings: 1},
			"1 entry in 1 file: 0 conform, 1 violate (1 violation), 0 outside the contract, 0 unreadable; 1 warning"},
		{audit.Summary{Files: 3, UnreadableFiles: 2}, "0 entries in 3 files: 0 conform, 0 violate (0 violations), 0 outside the contract, 2 unreadable (2 files could not be read); 0 warnings"},
		{audit.Summary{Files: 2, UnreadableFiles: 1, Entries: 2, Conforming: 1, Unreadable: 1},
			"2 entries in 2 files: 1 conform, 0 violate (0 violations), 0 outside the contract, 2 unreadable (1 entry, 1 file could not be read); 0 warnings"},
	} {
		if got := SummaryLine(tt.s); got != tt.want {
			t.Errorf("%+v:\n%s\nwant\n%s", tt.s, got, tt.want)
		}
	}
}
