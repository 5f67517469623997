package audit

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/lifecycle"
	"github.com/kconform/kconform/internal/recording"
)

const (
	t0      = "2024-01-03T12:00:00Z"
	t1      = "2024-01-03T12:01:00Z"
	t2      = "2024-01-03T12:02:00Z"
	expires = "2024-01-05T11:00:00Z"
	token   = `,"authorization_token":"b4bd3423-24e3"`
)

func runHAR(t *testing.T, opts Options, entries ...harEntry) (*collect, Summary) {
	t.Helper()
	return run(t, opts, writeFile(t, t.TempDir(), "capture.har", har(entries...)))
}

func TestHPPSessionConforms(t *testing.T) {
	c, sum := runHAR(t, Options{},
		hppRead("s1", hppSession("s1", "WAITING", t0, expires, "")),
		hppRead("s1", hppSession("s1", "IN_PROGRESS", t1, expires, "")),
		hppRead("s1", hppSession("s1", "COMPLETED", t2, expires, token)),
		hppRead("s1", hppSession("s1", "COMPLETED", t2, expires, token)),
	)
	for _, e := range c.entries {
		if e.Verdict != Conforms || len(e.Issues) != 0 || e.Operation != "getSessionById" {
			t.Errorf("#%d: %s %s %v", e.Index, e.Verdict, e.Operation, rules(e))
		}
	}
	if sum.ExitCode() != ExitConforms || sum.Conforming != 4 {
		t.Errorf("summary %+v", sum)
	}
}

// A COMPLETED session that later reads IN_PROGRESS fails, at the later
// entry, with the entry that showed it COMPLETED named.
func TestHPPSessionLeavesTerminal(t *testing.T) {
	c, sum := runHAR(t, Options{},
		hppRead("s1", hppSession("s1", "IN_PROGRESS", t0, expires, "")),
		hppRead("s1", hppSession("s1", "COMPLETED", t1, expires, token)),
		hppRead("s1", hppSession("s1", "IN_PROGRESS", t2, expires, "")),
	)
	e := c.entries[2]
	if e.Verdict != Violates || strings.Join(violations(e), ",") != lifecycle.RuleLeftTerminal+"@/status" {
		t.Fatalf("#2: %s %v", e.Verdict, rules(e))
	}
	if !strings.Contains(e.Issues[0].Message, "was COMPLETED at #1") {
		t.Errorf("message %q", e.Issues[0].Message)
	}
	if c.entries[0].Verdict != Conforms || c.entries[1].Verdict != Conforms || sum.ExitCode() != ExitViolations {
		t.Errorf("summary %+v", sum)
	}
}

func TestHPPSessionUpdatedAtGoesBack(t *testing.T) {
	c, _ := runHAR(t, Options{},
		hppRead("s1", hppSession("s1", "WAITING", t1, expires, "")),
		hppRead("s2", hppSession("s2", "WAITING", t0, expires, "")), // another session: independent
		hppRead("s1", hppSession("s1", "IN_PROGRESS", t0, expires, "")),
	)
	if got := violations(c.entries[2]); strings.Join(got, ",") != lifecycle.RuleUpdatedAtWentBack+"@/updated_at" {
		t.Errorf("#2: %v", got)
	}
	if c.entries[1].Verdict != Conforms {
		t.Errorf("#1: %v", rules(c.entries[1]))
	}
}

func TestHPPSessionExpiresBeforeUpdate(t *testing.T) {
	c, _ := runHAR(t, Options{}, hppRead("s1", hppSession("s1", "WAITING", t1, t0, "")))
	if got := violations(c.entries[0]); strings.Join(got, ",") != lifecycle.RuleExpiresNotAfterUpdated+"@/expires_at" {
		t.Errorf("%v", got)
	}
}

// What a COMPLETED session carries is the contract's oneOf: relied on, not
// checked twice.
func TestHPPCompletedWithoutToken(t *testing.T) {
	c, _ := runHAR(t, Options{}, hppRead("s1", hppSession("s1", "COMPLETED", t0, expires, "")))
	if got := violations(c.entries[0]); strings.Join(got, ",") != "schema.oneOf@" {
		t.Errorf("%v", got)
	}
}

// An error body's correlation_id must equal its header: the validator's check.
func TestErrorCorrelationID(t *testing.T) {
	entry := func(header string) harEntry {
		return harEntry{
			Method: "POST", URL: "https://api.playground.klarna.com/payments/v1/authorizations/tok/order",
			ReqHeaders: map[string]string{"Content-Type": "application/json"},
			ReqBody:    `{"purchase_country":"SE","purchase_currency":"SEK","order_amount":100,"order_lines":[{"name":"x","quantity":1,"unit_price":100,"total_amount":100}]}`,
			Status:     404, RespHeaders: map[string]string{"Content-Type": "application/json", "Klarna-Correlation-Id": header},
			RespBody: `{"error_code":"NOT_FOUND","error_messages":["Invalid authorization token"],"correlation_id":"c-1"}`,
		}
	}
	c, _ := runHAR(t, Options{}, entry("c-1"), entry("c-2"))
	if c.entries[0].Verdict != Conforms {
		t.Errorf("#0: %v", rules(c.entries[0]))
	}
	if got := violations(c.entries[1]); strings.Join(got, ",") != contract.RuleCorrelationMismatch+"@/correlation_id" {
		t.Errorf("#1: %v", got)
	}
}

// Exchanges outside the contract are counted and listed, failed only in
// strict mode.
func TestOutsideTheContract(t *testing.T) {
	favicon := harEntry{Method: "GET", URL: "https://shop.example.com/favicon.ico", Status: 200,
		RespHeaders: map[string]string{"Content-Type": "image/x-icon"}, RespBody: "icon"}
	wrongMethod := harEntry{Method: "PUT", URL: hppBase + "s1", Status: 405}
	ok := hppRead("s1", hppSession("s1", "WAITING", t0, expires, ""))
	c, sum := runHAR(t, Options{}, favicon, ok, wrongMethod)
	if c.entries[0].Verdict != Outside || c.entries[2].Verdict != Outside || sum.Outside != 2 || sum.ExitCode() != ExitConforms {
		t.Errorf("default: %s %s %+v", c.entries[0].Verdict, c.entries[2].Verdict, sum)
	}
	if r := rules(c.entries[0]); strings.Join(r, ",") != "warning "+contract.RuleUnknownOperation+"@" {
		t.Errorf("#0: %v", r)
	}
	if r := rules(c.entries[2]); strings.Join(r, ",") != "warning "+contract.RuleMethodNotAllowed+"@" {
		t.Errorf("#2: %v", r)
	}
	c, sum = runHAR(t, Options{Strict: true}, favicon, ok, wrongMethod)
	if c.entries[0].Verdict != Violates || sum.Outside != 0 || sum.Violating != 2 || sum.ExitCode() != ExitViolations {
		t.Errorf("strict: %s %+v", c.entries[0].Verdict, sum)
	}
}

func TestStrictUnknownField(t *testing.T) {
	e := hppRead("s1", hppSession("s1", "WAITING", t0, expires, `,"new_field":1`))
	c, _ := runHAR(t, Options{}, e)
	if c.entries[0].Verdict != Conforms || strings.Join(rules(c.entries[0]), ",") != "warning body.unknown-field@/new_field" {
		t.Errorf("default: %s %v", c.entries[0].Verdict, rules(c.entries[0]))
	}
	c, _ = runHAR(t, Options{Strict: true}, e)
	if c.entries[0].Verdict != Violates {
		t.Errorf("strict: %s %v", c.entries[0].Verdict, rules(c.entries[0]))
	}
}

// An entry that cannot be read is reported, the rest of the file is still
// checked, and the run exits 2.
func TestUnreadableEntry(t *testing.T) {
	ok := hppRead("s1", hppSession("s1", "WAITING", t0, expires, ""))
	aborted := hppRead("s1", "")
	aborted.Status = 0
	c, sum := runHAR(t, Options{}, ok, aborted, ok)
	if len(c.entries) != 3 || c.entries[1].Verdict != Unreadable || !errors.Is(c.entries[1].Err, recording.ErrNoResponse) {
		t.Fatalf("entries %+v", c.entries)
	}
	if c.entries[2].Verdict != Conforms || sum.Unreadable != 1 || sum.ExitCode() != ExitUnreadable {
		t.Errorf("summary %+v", sum)
	}
}

// A file that breaks off is reported with the entries read before the
// break; other files are still read.
func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	full := har(hppRead("s1", hppSession("s1", "WAITING", t0, expires, "")), hppRead("s1", hppSession("s1", "WAITING", t0, expires, "")))
	cut := writeFile(t, dir, "a-cut.har", full[:len(full)-200])
	good := writeFile(t, dir, "b-good.har", full)
	empty := writeFile(t, dir, "c-empty.json", "")
	notHAR := writeFile(t, dir, "d-not.har", `{"entries":[]}`)
	missing := dir + "/e-missing.har"
	c, sum := run(t, Options{}, cut, good, empty, notHAR, missing)
	want := []string{"begin a-cut.har", "entry a-cut.har#0", "end a-cut.har", "begin b-good.har", "entry b-good.har#0", "entry b-good.har#1", "end b-good.har",
		"begin c-empty.json", "end c-empty.json", "begin d-not.har", "end d-not.har", "begin e-missing.har", "end e-missing.har"}
	if strings.Join(c.events, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s", strings.Join(c.events, "\n"))
	}
	for path, reason := range map[string]error{cut: recording.ErrTruncated, empty: recording.ErrEmpty, notHAR: recording.ErrNotHAR} {
		if !errors.Is(c.errs[path], reason) || !strings.HasPrefix(c.errs[path].Error(), path+": ") {
			t.Errorf("%s: %v; want %v naming the file", path, c.errs[path], reason)
		}
	}
	if c.errs[missing] == nil || !strings.Contains(c.errs[missing].Error(), "no such file") {
		t.Errorf("missing: %v", c.errs[missing])
	}
	if c.errs[good] != nil || sum.UnreadableFiles != 4 || sum.Files != 5 || sum.ExitCode() != ExitUnreadable {
		t.Errorf("summary %+v", sum)
	}
}

// Entries are checked in parallel but reported in order, and the sequence
// check sees them in order across batches.
func TestParallelOrder(t *testing.T) {
	const n = 1000
	entries := make([]harEntry, n)
	for i := range entries {
		id := fmt.Sprintf("s%d", i%7)
		status, extra := "IN_PROGRESS", ""
		// s0 completes at 700; at 980 it reads IN_PROGRESS again.
		if i%7 == 0 && i >= 700 && i != 980 {
			status, extra = "COMPLETED", token
		}
		updated := fmt.Sprintf("2024-01-03T12:%02d:%02d.%03dZ", i/600, (i/10)%60, i%1000)
		entries[i] = hppRead(id, hppSession(id, status, updated, expires, extra))
	}
	c, sum := runHAR(t, Options{Workers: 4}, entries...)
	if len(c.entries) != n {
		t.Fatalf("%d entries", len(c.entries))
	}
	for i, e := range c.entries {
		if e.Index != i {
			t.Fatalf("entry %d reported at %d", e.Index, i)
		}
	}
	if sum.Violating != 1 || c.entries[980].Verdict != Violates || !strings.Contains(c.entries[980].Issues[0].Message, "at #700") {
		t.Errorf("summary %+v, #980 %v", sum, rules(c.entries[980]))
	}
}

// Sequences are per file: the same session id in two files is two stories.
func TestSequencePerFile(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.har", har(hppRead("s1", hppSession("s1", "COMPLETED", t1, expires, token))))
	b := writeFile(t, dir, "b.har", har(hppRead("s1", hppSession("s1", "IN_PROGRESS", t0, expires, ""))))
	_, sum := run(t, Options{}, a, b)
	if sum.Violating != 0 {
		t.Errorf("summary %+v", sum)
	}
}

// Each input format goes through the same checks.
func TestFormats(t *testing.T) {
	dir := t.TempDir()
	session := hppSession("s1", "COMPLETED", t1, expires, token)
	files := map[string]string{
		"vcr.yml": `http_interactions:
- request:
    method: get
    uri: ` + hppBase + `s1
    body: {encoding: UTF-8, string: ''}
    headers: {Authorization: [Basic eHh4Onl5eQ==]}
  response:
    status: {code: 200, message: OK}
    headers: {Content-Type: [application/json]}
    body: {encoding: UTF-8, string: '` + session + `'}
- request:
    method: get
    uri: ` + hppBase + `s1
    headers: {}
  response:
    status: {code: 200}
    headers: {Content-Type: [application/json]}
    body: {string: '` + hppSession("s1", "IN_PROGRESS", t2, expires, "") + `'}
`,
		"response.txt": "# request: GET " + hppBase + "s1\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n" + session,
		"exchanges.json": `{"exchanges":[
  {"operation":"hppStatusUpdateCallback","request":{"headers":{"Content-Type":"application/json"},"body":{"event_id":"e1","session":` + session + `}}},
  {"operation":"hppStatusUpdateCallback","request":{"body":{"event_id":"e2","session":` + hppSession("s1", "CANCELLED", t2, expires, "") + `}}},
  {"operation":"createOrder","status":404,"response":{"headers":{"Content-Type":"application/json","Klarna-Correlation-Id":"c"},"body":{"error_code":"NOT_FOUND","error_messages":[],"correlation_id":"c"}}},
  {"method":"DELETE","url":"` + hppBase + `s1","status":204}
]}`,
		"fixture.json": `{"_source":{"endpoint":"GET /hpp/v1/sessions/s1 (200 body)"},"response":` + hppSession("s1", "WAITING", t1, t0, "") + `}`,
	}
	want := map[string][]string{
		"exchanges.json#0": nil,
		"exchanges.json#1": {lifecycle.RuleLeftTerminal + "@/session/status"},
		"exchanges.json#2": nil,
		"exchanges.json#3": {lifecycle.RuleLeftTerminal + "@204"},
		"fixture.json#0":   {lifecycle.RuleExpiresNotAfterUpdated + "@/expires_at"},
		"response.txt#0":   nil,
		"vcr.yml#0":        nil,
		"vcr.yml#1":        {lifecycle.RuleLeftTerminal + "@/status"},
	}
	var paths []string
	for name, data := range files {
		paths = append(paths, writeFile(t, dir, name, data))
	}
	c, _ := run(t, Options{}, recording.Discover(paths)...)
	got := map[string][]string{}
	for _, e := range c.entries {
		key := fmt.Sprintf("%s#%d", e.File[len(dir)+1:], e.Index)
		got[key] = violations(e)
		if e.Operation == "" {
			t.Errorf("%s: no operation (%v)", key, rules(e))
		}
	}
	if len(got) != len(want) {
		t.Errorf("entries %v", got)
	}
	for k, w := range want {
		if strings.Join(got[k], ",") != strings.Join(w, ",") {
			t.Errorf("%s: %v; want %v", k, got[k], w)
		}
	}
	if len(c.errs) != 0 {
		t.Errorf("errors %v", c.errs)
	}
}

// Records that do not say what they are: outside without --as, checked
// with it; a target fills only what is missing.
func TestTarget(t *testing.T) {
	dir := t.TempDir()
	body := writeFile(t, dir, "body.json", hppSession("s1", "WAITING", t0, expires, ""))
	resp := writeFile(t, dir, "resp.txt", "HTTP/1.1 200 OK\nContent-Type: application/json\n\n"+hppSession("s1", "WAITING", t0, expires, ""))
	c, sum := run(t, Options{}, body, resp)
	if sum.Outside != 2 {
		t.Errorf("without --as: %+v", sum)
	}
	for _, e := range c.entries {
		if r := rules(e); len(r) != 1 || !strings.Contains(r[0], RuleOperationNotRecorded) {
			t.Errorf("%s: %v", e.File, r)
		}
	}
	as := Target{Operation: "getSessionById"}
	c, sum = run(t, Options{As: &as}, body, resp)
	if sum.Conforming != 2 {
		t.Errorf("--as getSessionById: %+v %v %v", sum, rules(c.entries[0]), rules(c.entries[1]))
	}
	if c.entries[0].Status != 200 {
		t.Errorf("the only 2xx status is taken: %d", c.entries[0].Status)
	}
	// The wrong operation: the body does not fit it.
	as = Target{Operation: "createCreditSession", Side: contract.Request}
	c, _ = run(t, Options{As: &as}, body)
	if c.entries[0].Verdict != Violates {
		t.Errorf("--as createCreditSession:request: %v", rules(c.entries[0]))
	}
	// An operation with two 2xx statuses needs the status.
	as = Target{Operation: "distributeHppSession"}
	c, _ = run(t, Options{As: &as}, body)
	if r := rules(c.entries[0]); c.entries[0].Verdict != Outside || len(r) != 1 || !strings.Contains(r[0], RuleStatusNotRecorded) {
		t.Errorf("two 2xx: %s %v", c.entries[0].Verdict, r)
	}
	// A HAR says what it is; the target does not override it.
	har := writeFile(t, dir, "x.har", har(hppRead("s1", hppSession("s1", "WAITING", t0, expires, ""))))
	as = Target{Operation: "createOrder"}
	c, _ = run(t, Options{As: &as}, har)
	if c.entries[0].Operation != "getSessionById" {
		t.Errorf("target overrode the HAR: %s", c.entries[0].Operation)
	}
	if _, err := New(contracttest.Validator(t), Options{As: &Target{Operation: "noSuchOperation"}}); err == nil {
		t.Error("New accepted an unknown --as operation")
	}
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]Target{
		"getSessionById":                  {Operation: "getSessionById"},
		"getSessionById:response:200":     {Operation: "getSessionById", Side: contract.Response, Status: 200},
		"createCreditSession:request":     {Operation: "createCreditSession", Side: contract.Request},
		"createOrder:404":                 {Operation: "createOrder", Status: 404},
		"createOrder:Response":            {Operation: "createOrder", Side: contract.Response},
		"hppStatusUpdateCallback:request": {Operation: "hppStatusUpdateCallback", Side: contract.Request},
	} {
		got, err := ParseTarget(in)
		if err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if err == nil {
			if back, _ := ParseTarget(got.String()); back != got {
				t.Errorf("String() of %+v does not parse back", got)
			}
		}
	}
	for _, in := range []string{"", ":200", "op:request:200", "op:200:response", "op:sideways", "op:99", "op:1:2:3", "op:200:404"} {
		if _, err := ParseTarget(in); err == nil {
			t.Errorf("ParseTarget(%q) accepted", in)
		}
	}
}

// A URL that url.Parse refuses is reported without echoing it (its userinfo
// may hold a password).
func TestUnparsableURL(t *testing.T) {
	e := hppRead("s1", hppSession("s1", "WAITING", t0, expires, ""))
	e.URL = "https://user:hunter2@api.klarna.com/hpp/v1/sessions/%zz"
	c, _ := runHAR(t, Options{}, e)
	got := c.entries[0]
	if got.Verdict != Violates || strings.Contains(fmt.Sprint(got.Issues), "hunter2") || strings.Contains(got.URL, "hunter2") {
		t.Errorf("%s %v %s", got.Verdict, got.Issues, got.URL)
	}
}
