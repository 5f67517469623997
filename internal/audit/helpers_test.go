package audit

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/recording"
	"github.com/kconform/kconform/internal/testkit"
)

// collect is a Sink that keeps everything, in the order it was given.
type collect struct {
	files   []string
	formats map[string]recording.Format
	entries []Entry
	errs    map[string]error
	events  []string
}

func newCollect() *collect {
	return &collect{formats: map[string]recording.Format{}, errs: map[string]error{}}
}

func (c *collect) BeginFile(path string, format recording.Format) {
	c.files = append(c.files, path)
	c.formats[path] = format
	c.events = append(c.events, "begin "+filepath.Base(path))
}

func (c *collect) Entry(e *Entry) {
	c.entries = append(c.entries, *e)
	c.events = append(c.events, fmt.Sprintf("entry %s#%d", filepath.Base(e.File), e.Index))
}

func (c *collect) EndFile(path string, err error) {
	if err != nil {
		c.errs[path] = err
	}
	c.events = append(c.events, "end "+filepath.Base(path))
}

func auditor(t testing.TB, opts Options) *Auditor {
	t.Helper()
	a, err := New(contracttest.Validator(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// run audits files and returns what the sink saw.
func run(t testing.TB, opts Options, files ...string) (*collect, Summary) {
	t.Helper()
	c := newCollect()
	sum := auditor(t, opts).Run(files, c)
	return c, sum
}

// rules lists "severity rule@pointer" of an entry's issues, sorted.
func rules(e Entry) []string {
	var out []string
	for _, i := range e.Issues {
		out = append(out, fmt.Sprintf("%s %s@%s", i.Severity, i.Rule, i.Pointer))
	}
	sort.Strings(out)
	return out
}

// violations lists "rule@pointer" of an entry's violations, sorted.
func violations(e Entry) []string {
	var out []string
	for _, i := range e.Issues {
		if i.Severity == contract.Violation {
			out = append(out, i.Rule+"@"+i.Pointer)
		}
	}
	sort.Strings(out)
	return out
}

func writeFile(t testing.TB, dir, name, data string) string {
	t.Helper()
	return testkit.WriteFile(t, filepath.Join(dir, name), data)
}

// harEntry is one HAR entry built for a test.
type harEntry struct {
	Method, URL   string
	ReqHeaders    map[string]string
	ReqBody       string
	Status        int
	RespHeaders   map[string]string
	RespBody      string
	StartedOffset int
}

// har renders entries as a HAR 1.2 file with string bodies.
func har(entries ...harEntry) string {
	var b strings.Builder
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"kconform-test","version":"1"},"entries":[`)
	for i, e := range entries {
		if i > 0 {
			b.WriteString(",")
		}
		writeHAREntry(&b, e)
	}
	b.WriteString("]}}\n")
	return b.String()
}

func writeHAREntry(b *strings.Builder, e harEntry) {
	headers := func(h map[string]string) string {
		names := make([]string, 0, len(h))
		for k := range h {
			names = append(names, k)
		}
		sort.Strings(names)
		var parts []string
		for _, k := range names {
			parts = append(parts, fmt.Sprintf(`{"name":%s,"value":%s}`, js(k), js(h[k])))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	post := ""
	if e.ReqBody != "" {
		post = fmt.Sprintf(`,"postData":{"mimeType":"application/json","text":%s}`, js(e.ReqBody))
	}
	fmt.Fprintf(b, `{"startedDateTime":"2024-01-03T12:26:%02d.000Z","time":10,"request":{"method":%s,"url":%s,"httpVersion":"HTTP/1.1","headers":%s,"queryString":[],"cookies":[],"headersSize":-1,"bodySize":%d%s},`,
		e.StartedOffset%60, js(e.Method), js(e.URL), headers(e.ReqHeaders), len(e.ReqBody), post)
	fmt.Fprintf(b, `"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":%s,"cookies":[],"content":{"size":%d,"mimeType":"application/json","text":%s},"redirectURL":"","headersSize":-1,"bodySize":%d},"cache":{},"timings":{"send":0,"wait":10,"receive":0}}`,
		e.Status, headers(e.RespHeaders), len(e.RespBody), js(e.RespBody), len(e.RespBody))
}

func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

const hppBase = "https://api.playground.klarna.com/hpp/v1/sessions/"

// hppRead is a GET of an HPP session answered with body.
func hppRead(id, body string) harEntry {
	return harEntry{
		Method: "GET", URL: hppBase + id,
		ReqHeaders:  map[string]string{"Authorization": "Basic a2NvbmZvcm06a2NvbmZvcm0tc2VjcmV0"},
		Status:      200,
		RespHeaders: map[string]string{"Content-Type": "application/json", "Klarna-Correlation-Id": "4f3d257e-eaa3-4708-9dc5-0f1e097cf761"},
		RespBody:    body,
	}
}

// hppSession is a session body; extra is JSON members to add (",\"authorization_token\":\"t\"").
func hppSession(id, status, updated, expires, extra string) string {
	return `{"session_id":"` + id + `","status":"` + status + `","updated_at":"` + updated + `","expires_at":"` + expires + `"` + extra + `}`
}

func sortStrings(s []string) { sort.Strings(s) }
