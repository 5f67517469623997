package contract

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/exchange"
)

// decodeBody gives what encoding/json gives, for every body encoding/json
// reads, and refuses what it refuses.
func TestDecodeBodyAgreesWithEncodingJSON(t *testing.T) {
	for _, body := range decodeSeeds {
		checkDecodeAgrees(t, []byte(body))
	}
}

var decodeSeeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-12.25E-2`, `"x"`,
	` {"a": [1, 2, {"b": null}], "c": "d\"e\\u00e9\u00e9", "e": true} `,
	`{"a":1,"a":2}`, `{"a":{"b":1,"b":{"c":2}}}`, `{"a/b~c":1,"a/b~c":1}`,
	`"\ud800"`, "\"\xff\"", `{"order_amount": 1e400}`, `[-1e400]`, `1e-400`,
	`{`, `{"a"`, `{"a":}`, `[1,]`, `[1 2]`, `01`, `1.`, `.5`, `-`, `1e`, `tru`, `nul`, `"a`, "\"\x01\"",
	`{"a":1}x`, `{"a":1} {}`, `{1:2}`, `[`, ``, ` `, `"\x"`, `"\u12"`,
}

func checkDecodeAgrees(t *testing.T, body []byte) {
	t.Helper()
	var want any
	wantErr := json.Unmarshal(body, &want)
	got, problems, err := decodeBody(body)
	outOfRange := false
	for _, p := range problems {
		outOfRange = outOfRange || p.rule == RuleNumberOutOfRange
	}
	switch {
	case outOfRange:
		// encoding/json refuses such a number, in Go terms.
		if wantErr == nil {
			t.Errorf("%q: out of range, but encoding/json reads it", body)
		}
	case (err == nil) != (wantErr == nil):
		t.Errorf("%q: error %v; encoding/json: %v", body, err, wantErr)
	case err == nil && !reflect.DeepEqual(got, want):
		t.Errorf("%q: %#v; encoding/json: %#v", body, got, want)
	}
}

func FuzzDecodeBody(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if TooDeep(body) {
			return // refused before decoding
		}
		checkDecodeAgrees(t, body)
	})
}

func TestDecodeBodyProblems(t *testing.T) {
	for _, tt := range []struct {
		body string
		want []string
	}{
		{`{"a":1,"b":2}`, nil},
		{`{"a":1,"a":2}`, []string{RuleBodyDuplicateKey + "@/a"}},
		{`{"x":[{"k":1},{"k":1,"k":1,"k":1}]}`, []string{RuleBodyDuplicateKey + "@/x/1/k", RuleBodyDuplicateKey + "@/x/1/k"}},
		{`{"a/b":0,"a/b":0}`, []string{RuleBodyDuplicateKey + "@/a~1b"}},
		{`{"order_amount":1e400}`, []string{RuleNumberOutOfRange + "@/order_amount"}},
		{`{"order_lines":[{"quantity":-1E999}]}`, []string{RuleNumberOutOfRange + "@/order_lines/0/quantity"}},
	} {
		_, problems, err := decodeBody([]byte(tt.body))
		if err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		var got []string
		for _, p := range problems {
			got = append(got, p.rule+"@"+p.pointer)
			if strings.Contains(p.message, "Go") || strings.Contains(p.message, "float64") || strings.Contains(p.message, "unmarshal") {
				t.Errorf("%s: message in Go terms: %s", tt.body, p.message)
			}
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: %v; want %v", tt.body, got, tt.want)
		}
	}
}

// decodeBody replaces json.Unmarshal on the hot path: it must cost no more.
//
//	go test -run '^$' -bench DecodeBody -cpu 1 -count 6 ./internal/contract/
func BenchmarkDecodeBody(b *testing.B) {
	body := []byte(`{"session_id":"39a1c773-bafd-754d-af1f-b30c592f1267","status":"COMPLETED","updated_at":"2019-05-13T14:51:46.288Z",` +
		`"expires_at":"2019-05-15T13:51:43.507Z","authorization_token":"b4bd3423-24e3","order_lines":[{"name":"Red T-Shirt","quantity":5,"unit_price":10000,"tax_rate":2500,"total_amount":50000}]}`)
	b.Run("decodeBody", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, _, err := decodeBody(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzValidate: any request line, status and body, checked as an exchange
// and as a body alone. Nothing may panic; every issue says where it is; a
// streamed check finds what the whole one does (stream.go).
func FuzzValidate(f *testing.F) {
	f.Add("POST", "/payments/v1/sessions", 200, "application/json", []byte(kpHead+`"order_lines":[{"name":"a","quantity":-1,"unit_price":1,"total_amount":1,"x":[1e400]},{"name":"b","name":"c","image_url":null}],"order_lines":[],"v":[{"a":1,"a":2}]}`))
	f.Add("GET", "https://api.klarna.com/hpp/v1/sessions/x", 200, "application/json", []byte(`{"session_id":"x","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z"}`))
	f.Add("POST", "/payments/v1/sessions", 200, "application/json; charset=utf-8", []byte(`{"order_amount":1e400,"order_lines":[{"quantity":2.0}],"a":1,"a":2}`))
	f.Add("DELETE", "https://u:p@api.klarna.com/hpp/v1/sessions/%zz", 204, "", []byte(nil))
	f.Add("PUT", "//", 404, "text/html", []byte("<html>"))
	v, err := DefaultValidator()
	if err != nil {
		f.Fatal(err)
	}
	ops := []string{"createCreditSession", "getSessionById", "hppStatusUpdateCallback", "createHppSession"}
	f.Fuzz(func(t *testing.T, method, url string, status int, contentType string, body []byte) {
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		ex := exchange.Exchange{Method: method, URL: url, Status: status, RequestHeader: h, RequestBody: body, ResponseHeader: h, ResponseBody: body}
		for _, mode := range []Mode{Default, Strict} {
			checkIssues(t, bothWays(t, "exchange", func() Result { return v.Validate(ex, mode) }))
			for _, op := range ops {
				for _, side := range []Side{Request, Response} {
					checkIssues(t, bothWays(t, op, func() Result {
						res, err := v.ValidateBody(op, side, status, contentType, body, mode)
						if err != nil {
							t.Fatalf("%s: %v", op, err)
						}
						return res
					}))
				}
			}
		}
	})
}

func checkIssues(t *testing.T, res Result) {
	t.Helper()
	for _, i := range res.Issues {
		if i.Rule == "" || i.Message == "" || (i.Severity != Violation && i.Severity != Warning) {
			t.Fatalf("issue without rule, message or severity: %+v", i)
		}
		if i.In == InBody && i.Pointer != "" && i.Pointer[0] != '/' {
			t.Fatalf("body issue whose pointer is no JSON pointer: %+v", i)
		}
	}
}
