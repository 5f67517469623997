package recording

import (
	"strings"
	"testing"
)

// A key twice inside a HAR entry (a response with two statuses, a header
// with two values) refuses that entry, naming where; a body given as a
// JSON value keeps its duplicates for the contract to report, and the
// other entries are read (issue 11, item 6, found again by a review).
func TestDuplicateKeysInAHAREntry(t *testing.T) {
	good := `{"request":{"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/x","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"application/json","text":{"a":1,"a":2}}}}`
	for _, tt := range []struct{ name, entry, says string }{
		{"status", strings.Replace(good, `"status":200,`, `"status":200,"status":500,`, 1), `"status" appears twice in response`},
		{"header", strings.Replace(good, `"headers":[]},"response"`, `"headers":[{"name":"A","value":"1"},{"name":"B","value":"2","value":"3"}]},"response"`, 1), `"value" appears twice in request.headers[1]`},
		{"entry", strings.Replace(good, `{"request":`, `{"time":1,"time":2,"request":`, 1), `"time" appears twice in the entry`},
		{"text", strings.Replace(good, `"text":{"a":1,"a":2}`, `"text":"x","text":"y"`, 1), `"text" appears twice in response.content`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs, _ := mustRead(t, "dup.har", harOf(tt.entry, good))
			if len(recs) != 2 || recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), tt.says) {
				t.Fatalf("want entry 0 refused saying %s; got %+v", tt.says, recs)
			}
			if recs[1].Err != nil {
				t.Errorf("the next entry: %v", recs[1].Err)
			}
		})
	}
	recs, _ := mustRead(t, "body.har", harOf(good))
	if len(recs) != 1 || recs[0].Err != nil || string(recs[0].Exchange.ResponseBody) != `{"a":1,"a":2}` {
		t.Errorf("a body with a key twice is the contract's to report: %+v", recs)
	}
}

// The scan never panics and says nothing of text that is not JSON.
func TestDuplicateKeyOnBrokenText(t *testing.T) {
	for _, s := range []string{``, `{`, `{"a`, `{"a":`, `{"a":1,"a"`, `[1,2`, `{"text":[1,{"x":2}]`, `{"a":"\`, `}`, `{"text":5}`, `{"a":{"b":1},"a"`} {
		if where, key, found := duplicateKey([]byte(s)); found && s != `{"a":{"b":1},"a"` && s != `{"a":1,"a"` {
			t.Errorf("%q: found %q in %q", s, key, where)
		}
	}
}
