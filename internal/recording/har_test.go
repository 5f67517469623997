package recording

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// harOf wraps entries (JSON text) in a HAR 1.2 log.
func harOf(entries ...string) string {
	return `{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[` + strings.Join(entries, ",") + `]}}`
}

const harEntryStandard = `{
  "startedDateTime": "2024-01-03T12:26:38.948Z",
  "request": {
    "method": "post", "url": "https://api.playground.klarna.com/payments/v1/sessions", "httpVersion": "HTTP/1.1",
    "headers": [{"name": "content-type", "value": "application/json"}, {"name": ":authority", "value": "api.playground.klarna.com"}],
    "postData": {"mimeType": "application/json", "text": "{\"purchase_country\":\"SE\"}"}
  },
  "response": {
    "status": 200, "statusText": "OK",
    "headers": [{"name": "Klarna-Correlation-Id", "value": "c1"}, {"name": "x-multi", "value": "a"}, {"name": "X-Multi", "value": "b"}],
    "content": {"size": 20, "mimeType": "application/json", "text": "{\"session_id\":\"s1\"}"}
  }
}`

func TestHARStandard(t *testing.T) {
	recs, format := mustRead(t, "a.har", harOf(harEntryStandard))
	if format != FormatHAR || len(recs) != 1 {
		t.Fatalf("format %s, %d records", format, len(recs))
	}
	r := recs[0]
	ex := r.Exchange
	if r.Err != nil || r.Kind != KindExchange || r.Index != 0 {
		t.Fatalf("record %+v", r)
	}
	if ex.Method != "POST" || ex.URL != "https://api.playground.klarna.com/payments/v1/sessions" || ex.Status != 200 {
		t.Errorf("request line %s %s %d", ex.Method, ex.URL, ex.Status)
	}
	if string(ex.RequestBody) != `{"purchase_country":"SE"}` || string(ex.ResponseBody) != `{"session_id":"s1"}` {
		t.Errorf("bodies %q %q", ex.RequestBody, ex.ResponseBody)
	}
	if _, ok := ex.RequestHeader[":authority"]; ok || len(ex.RequestHeader) != 1 {
		t.Errorf("pseudo-header kept: %v", ex.RequestHeader)
	}
	if got := ex.ResponseHeader.Values("X-Multi"); len(got) != 2 {
		t.Errorf("repeated header values %v", got)
	}
	// The response had no Content-Type header: HAR's mimeType stands in.
	if got := ex.ResponseHeader.Get("Content-Type"); got != "application/json" {
		t.Errorf("response Content-Type %q", got)
	}
}

// Polly.js writes JSON bodies as parsed values, not strings (the saleor
// recordings), and its keys in alphabetical order: version after entries.
func TestHARPollyParsedText(t *testing.T) {
	data := `{"log":{"_recordingName":"x","creator":{"name":"Polly.JS"},"entries":[{
	  "request":{"method":"POST","url":"https://api.playground.klarna.com/payments/v1/sessions","headers":[],
	    "postData":{"mimeType":"application/json","params":[],"text":{"locale":"EN","order_lines":[{"name":"x"}]}}},
	  "response":{"status":200,"headers":[{"name":"content-type","value":"application/json;charset=utf-8"}],
	    "content":{"mimeType":"application/json;charset=utf-8","text":{"session_id":"s","client_token":"t"}}}
	}],"pages":[],"version":"1.2"}}`
	recs, _ := mustRead(t, "polly.har", data)
	ex := recs[0].Exchange
	if string(ex.RequestBody) != `{"locale":"EN","order_lines":[{"name":"x"}]}` {
		t.Errorf("request body %q", ex.RequestBody)
	}
	if string(ex.ResponseBody) != `{"session_id":"s","client_token":"t"}` {
		t.Errorf("response body %q", ex.ResponseBody)
	}
	if ex.RequestHeader.Get("Content-Type") != "application/json" {
		t.Errorf("request Content-Type from mimeType: %q", ex.RequestHeader.Get("Content-Type"))
	}
}

func TestHARBase64(t *testing.T) {
	body := `{"error_code":"BAD_VALUE"}`
	entry := `{"request":{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/x","headers":[]},
	  "response":{"status":400,"headers":[],"content":{"mimeType":"application/json","encoding":"base64","text":"` +
		base64.StdEncoding.EncodeToString([]byte(body)) + `"}}}`
	recs, _ := mustRead(t, "b64.har", harOf(entry))
	if got := string(recs[0].Exchange.ResponseBody); got != body {
		t.Errorf("decoded body %q", got)
	}

	bad := strings.Replace(entry, `"text":"`, `"text":"!!`, 1)
	recs, _ = mustRead(t, "b64.har", harOf(bad))
	if recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), "base64") {
		t.Errorf("bad base64: %v", recs[0].Err)
	}
	odd := strings.Replace(entry, `"encoding":"base64"`, `"encoding":"rot13"`, 1)
	recs, _ = mustRead(t, "b64.har", harOf(odd))
	if recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), "rot13") {
		t.Errorf("unknown encoding: %v", recs[0].Err)
	}
}

// An entry without a response is an error naming the entry; the entries
// around it are still read.
func TestHARNoResponse(t *testing.T) {
	good := `{"request":{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/a","headers":[]},"response":{"status":200,"headers":[],"content":{}}}`
	status0 := `{"request":{"method":"GET","url":"https://user:pw@api.klarna.com/hpp/v1/sessions/b","headers":[]},"response":{"status":0,"headers":[],"content":{}}}`
	missing := `{"request":{"method":"DELETE","url":"https://api.klarna.com/hpp/v1/sessions/c","headers":[]}}`
	noRequest := `{"response":{"status":200}}`
	recs, _ := mustRead(t, "cap.har", harOf(good, status0, missing, noRequest, good))
	if len(recs) != 5 {
		t.Fatalf("%d records", len(recs))
	}
	for i, want := range []string{"", "response.status is 0", "no response", "request: missing", ""} {
		err := recs[i].Err
		if want == "" {
			if err != nil {
				t.Errorf("entry %d: %v", i, err)
			}
			continue
		}
		wantError(t, err, nil, "cap.har", i, want)
	}
	for _, i := range []int{1, 2} {
		if !errors.Is(recs[i].Err, ErrNoResponse) {
			t.Errorf("entry %d: %v is not ErrNoResponse", i, recs[i].Err)
		}
	}
	if msg := recs[1].Err.Error(); strings.Contains(msg, "pw") || !strings.Contains(msg, "GET https://[REDACTED]@api.klarna.com/hpp/v1/sessions/b") {
		t.Errorf("status 0 message %q: want the request, with its userinfo redacted", msg)
	}
	if recs[4].Index != 4 {
		t.Errorf("last index %d", recs[4].Index)
	}
}

// A value of the wrong type spoils only its entry, and the message names
// the field and the JSON kind, never the value.
func TestHARWrongTypeInEntry(t *testing.T) {
	good := `{"request":{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/a","headers":[]},"response":{"status":200,"headers":[]}}`
	bad := `{"request":{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/a","headers":[{"name":"Authorization","value":123456789}]},"response":{"status":200,"headers":[]}}`
	notObject := `"an entry"`
	recs, _ := mustRead(t, "types.har", harOf(good, bad, notObject, good))
	if len(recs) != 4 || recs[0].Err != nil || recs[3].Err != nil {
		t.Fatalf("records %+v", recs)
	}
	wantError(t, recs[1].Err, nil, "types.har", 1, `request header "Authorization": value: want a string, got number`)
	if strings.Contains(recs[1].Err.Error(), "123456789") {
		t.Errorf("message echoes the value: %v", recs[1].Err)
	}
	wantError(t, recs[2].Err, nil, "types.har", 2, "want an object, got string")
}

// A header whose value (or name) is not a string spoils its entry; the
// message names the entry, the side and the header, as a user finds it in
// the file, not encoding/json's "response.headers.value" alone.
func TestHARHeaderOfTheWrongTypeIsNamed(t *testing.T) {
	entry := func(respHeaders string) string {
		return `{"request":{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/a","headers":[]},` +
			`"response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"},` + respHeaders + `]}}`
	}
	recs, _ := mustRead(t, "h.har", harOf(
		entry(`{"name":"Content-Length","value":123}`),
		entry(`{"name":"X-Flag","value":true}`),
		entry(`{"name":7,"value":"x"}`)))
	wantError(t, recs[0].Err, nil, "h.har", 0, `response header "Content-Length": value: want a string, got number`)
	wantError(t, recs[1].Err, nil, "h.har", 1, `response header "X-Flag": value: want a string, got bool`)
	wantError(t, recs[2].Err, nil, "h.har", 2, `response header 1: name: want a string, got number`)
}

func TestHARVersion(t *testing.T) {
	entry := `{"request":{"method":"GET","url":"https://x/hpp/v1/sessions/a"},"response":{"status":200}}`
	for _, v := range []string{"1.1", "1.2"} {
		mustRead(t, "v.har", strings.Replace(harOf(entry), `"1.2"`, `"`+v+`"`, 1))
	}
	// Before the entries: refused before any entry is read.
	_, _, err := readAll(t, "v.har", strings.Replace(harOf(entry), `"1.2"`, `"2.0"`, 1))
	wantError(t, err, ErrHARVersion, "v.har", -1, `"2.0"`, "log.version")
	// After them (Polly.js order): refused when the file ends.
	recs, _, err := readAll(t, "v.har", `{"log":{"entries":[`+entry+`],"version":"0.9"}}`)
	wantError(t, err, ErrHARVersion, "v.har", -1, `"0.9"`)
	if len(recs) != 1 {
		t.Errorf("%d records before the error", len(recs))
	}
	_, _, err = readAll(t, "v.har", `{"log":{"version":12,"entries":[]}}`)
	wantError(t, err, ErrHARVersion, "v.har", -1)
	// No version at all: read as 1.2.
	mustRead(t, "v.har", `{"log":{"entries":[`+entry+`]}}`)
}

func TestHARNotHAR(t *testing.T) {
	for _, tt := range []struct{ name, data, says string }{
		{"a.har", `{"log":"text"}`, "log: want an object, got a string"},
		{"a.har", `{"log":{"version":"1.2"}}`, `no "entries"`},
		{"a.har", `{"log":{"entries":{}}}`, "log.entries: want an array"},
		{"a.har", `{"session_id":"x"}`, `no "log"`},
	} {
		_, _, err := readAll(t, tt.name, tt.data)
		wantError(t, err, ErrNotHAR, tt.name, -1, tt.says)
	}
}

// A file cut anywhere is an error naming the file (and the entry when the
// cut is inside one), never a panic and never a silent success.
func TestHARTruncated(t *testing.T) {
	data := harOf(harEntryStandard, harEntryStandard)
	for cut := 1; cut < len(data)-1; cut++ {
		recs, _, err := readAll(t, "cut.har", data[:cut])
		if err == nil {
			t.Fatalf("cut at %d: no error (%d records)", cut, len(recs))
		}
		var re *Error
		if !errors.As(err, &re) || re.File != "cut.har" {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrNotJSON) && !errors.Is(err, ErrNotHAR) {
			t.Fatalf("cut at %d: %v is not truncated, not JSON or not HAR", cut, err)
		}
	}
	// Cut inside the second entry: the first was read, the error names the second.
	cut := strings.LastIndex(data, `"status": 200`)
	recs, _, err := readAll(t, "cut.har", data[:cut])
	wantError(t, err, ErrTruncated, "cut.har", 1)
	if len(recs) != 1 {
		t.Errorf("%d records before the cut", len(recs))
	}
}

// A syntax error inside an entry spoils that entry only, and says where in
// the file it is; broken structure between entries stops the file.
func TestHARSyntaxError(t *testing.T) {
	bad := strings.Replace(harEntryStandard, `"status": 200`, `"status": 200,,`, 1)
	data := harOf(harEntryStandard, bad, harEntryStandard)
	recs, _ := mustRead(t, "syntax.har", data)
	if len(recs) != 3 || recs[0].Err != nil || recs[2].Err != nil {
		t.Fatalf("records %+v", recs)
	}
	at := strings.Index(data, ",,") + 2 // the second comma, counting from 1
	wantError(t, recs[1].Err, ErrNotJSON, "syntax.har", 1, fmt.Sprintf("at byte %d", at))

	for _, tt := range []struct{ data, says string }{
		{harOf(harEntryStandard) + "x", "invalid character 'x'"},
		{strings.Replace(harOf(harEntryStandard, harEntryStandard), "},{", "} x {", 1), "want ',' or ']'"},
		{`{"log":{"entries":[,{}]}}`, "want an entry"},
		{`{"log":{"entries":[{}],"version":"1.2",}}`, "invalid character"},
		{`{"log":{"entries":[{}]}} {`, "more data"},
	} {
		_, _, err := readAll(t, "broken.har", tt.data)
		wantError(t, err, ErrNotJSON, "broken.har", -1, tt.says)
	}
	// Inside an entry, with the entry named.
	_, _, err := readAll(t, "broken.har", `{"log":{"entries":[{"a":[}]}]}}`)
	wantError(t, err, ErrNotJSON, "broken.har", 0, "unbalanced '}' (at byte 26)")
}

func TestHARManyEntriesIndexed(t *testing.T) {
	entries := make([]string, 300)
	for i := range entries {
		entries[i] = `{"request":{"method":"GET","url":"https://x/hpp/v1/sessions/a"},"response":{"status":200}}`
	}
	recs, _ := mustRead(t, "many.har", harOf(entries...))
	for i, r := range recs {
		if r.Index != i {
			t.Fatalf("record %d has index %d", i, r.Index)
		}
	}
	if len(recs) != 300 {
		t.Errorf("%d records", len(recs))
	}
}

// A key twice in the structure of a recording is refused: a HAR with two
// "log"s was read as its first (empty) one and passed, while a last-wins
// reader sees the second (issue 11, item 6). In a body alone the contract
// reports it instead, so such a body is still read.
func TestDuplicateKeysInTheStructure(t *testing.T) {
	entry := `{"request":{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/x"},"response":{"status":200}}`
	for _, tt := range []struct{ name, data, says string }{
		{"two.har", `{"log":{"version":"1.2","entries":[]},"log":{"version":"1.2","entries":[` + entry + `]}}`, `"log" appears twice in the top-level object`},
		{"two-entries.har", `{"log":{"version":"1.2","entries":[],"entries":[` + entry + `]}}`, `"entries" appears twice in log`},
		{"two-versions.har", `{"log":{"version":"1.2","entries":[],"version":"1.1"}}`, `"version" appears twice in log`},
		{"before.har", `{"x":1,"x":2,"log":{"version":"1.2","entries":[]}}`, `"x" appears twice`},
		{"two.json", `{"exchanges":[],"exchanges":[{"method":"GET","url":"u","status":200}]}`, `"exchanges" appears twice`},
		{"one.json", `{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/x","status":200,"status":404}`, `"status" appears twice`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, tt.name, tt.data)
			wantError(t, err, ErrDuplicateKey, tt.name, -1, tt.says)
		})
	}
	recs, format := mustRead(t, "body.json", `{"a":1,"a":2}`)
	if format != FormatBody || len(recs) != 1 || string(recs[0].Exchange.ResponseBody) != `{"a":1,"a":2}` {
		t.Errorf("a body with a key twice: %s %+v", format, recs)
	}
}

// A number of the right kind that no Go number holds is said in the
// user's terms, not "want a number, got number" (issue 11, item 7).
func TestNumberOutOfRangeInTheStructure(t *testing.T) {
	for _, status := range []string{"1e400", "200.5"} {
		recs, _ := mustRead(t, "n.har", `{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"u"},"response":{"status":`+status+`}}]}}`)
		if len(recs) != 1 || recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), "response.status: number out of range or not a whole number") {
			t.Errorf("status %s: %+v", status, recs)
		}
	}
}

// The fields kconform does not read (sizes, cookies, timings, cache...)
// may hold any JSON value: tools disagree on their types, and an entry is
// not refused for one of them.
func TestHARIgnoresFieldsItDoesNotRead(t *testing.T) {
	odd := strings.NewReplacer(
		`"httpVersion": "HTTP/1.1",`, `"httpVersion": 2, "cookies": {"odd": true}, "queryString": null, "headersSize": 12.5, "bodySize": "n/a",`,
		`"status": 200, "statusText": "OK",`, `"status": 200, "statusText": ["OK"], "redirectURL": 0, "cookies": [{"name": 1}], "httpVersion": null,`,
		`"content": {"size": 20,`, `"content": {"size": 20.5,`,
		`"startedDateTime": "2024-01-03T12:26:38.948Z",`, `"startedDateTime": 0, "time": "slow", "cache": [], "timings": "none", "comment": {"by": "a tool"},`,
	).Replace(harEntryStandard)
	if odd == harEntryStandard {
		t.Fatal("the entry was not changed")
	}
	recs, _ := mustRead(t, "odd.har", harOf(odd))
	if r := recs[0]; r.Err != nil || r.Exchange.Status != 200 || string(r.Exchange.ResponseBody) != `{"session_id":"s1"}` {
		t.Fatalf("record %+v", r)
	}
}

// A body larger than a slab is unquoted in its entry's bytes (or, parsed by
// Polly.js, kept there): it reads as the same bytes as a small one, and the
// entries around it are untouched.
func TestHARLargeBodies(t *testing.T) {
	text := strings.Repeat(`{"a":"é\"\n\\ \ud83d\ude00"},`, slabSize/10)
	body := `[` + text + `1]`
	quoted, _ := json.Marshal(body)
	quoted = []byte(strings.ReplaceAll(string(quoted), "é", `\u00e9`))
	entry := func(text string) string {
		return `{"request":{"method":"GET","url":"https://x/y","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"application/json","text":` + text + `}}}`
	}
	data := harOf(entry(`"small"`), entry(string(quoted)), entry(body), entry(`"after"`))
	// In memory, a large entry is kept in pieces; in a file (after a byte
	// order mark and white space), it is read again at its offset.
	recs, _ := mustRead(t, "large.har", data)
	path := filepath.Join(t.TempDir(), "large.har")
	if err := os.WriteFile(path, []byte("\xEF\xBB\xBF \n\t"+data), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile, _, err := readAllFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, recs := range [][]Record{recs, fromFile} {
		for i, want := range []string{"small", body, body, "after"} {
			if got := string(recs[i].Exchange.ResponseBody); recs[i].Err != nil || got != want {
				t.Errorf("entry %d: %v, body of %d bytes, want %d", i, recs[i].Err, len(got), len(want))
			}
		}
	}
	// A file whose bytes differ when read again is an error, not a body.
	f, err := OpenWith("changed.har", func() (io.ReadCloser, error) {
		return changingFile{strings.NewReader(data)}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = drain(f)
	wantError(t, err, nil, "changed.har", 1, "changed while it was read")
}

// changingFile reads as its reader, and as spaces when read again.
type changingFile struct{ *strings.Reader }

func (changingFile) Close() error { return nil }

func (changingFile) ReadAt(b []byte, _ int64) (int, error) {
	for i := range b {
		b[i] = ' '
	}
	return len(b), nil
}
