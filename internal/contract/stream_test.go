package contract

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kconform/kconform/fixtures"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/recording"
)

// bothWays runs check with every body decoded whole, then with every body
// over a byte streamed (stream.go), and fails unless the findings are the
// same, in the same order.
func bothWays(t testing.TB, name string, check func() Result) Result {
	t.Helper()
	saved := streamFrom
	defer func() { streamFrom = saved }()
	streamFrom = math.MaxInt
	whole := check()
	streamFrom = 1
	streamed := check()
	if !reflect.DeepEqual(whole, streamed) {
		t.Errorf("%s: the streamed check differs from the whole one\nwhole:    %s\nstreamed: %s", name, dump(whole), dump(streamed))
	}
	return whole
}

func dump(r Result) string {
	var b strings.Builder
	for _, i := range r.Issues {
		fmt.Fprintf(&b, "\n  %s %s %s %q [%s] %s", i.Severity, i.Side, i.In, i.Pointer, i.Rule, i.Message)
	}
	return b.String()
}

// Every fixture and every recording in the repository gives the same
// findings both ways.
func TestStreamedFindingsEqualWholeOnFixtures(t *testing.T) {
	v := mustDefault(t)
	all, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		side := Response
		if f.Direction == "request" {
			side = Request
		}
		for _, mode := range []Mode{Default, Strict} {
			bothWays(t, f.File, func() Result {
				res, err := v.ValidateBody(f.Operation, side, f.Status, f.ContentType, f.Body, mode)
				if err != nil {
					t.Fatalf("%s: %v", f.File, err)
				}
				return res
			})
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "recordings", "*.har"))
	shared, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "recordings", "*"))
	checked := 0
	for _, path := range append(files, shared...) {
		for _, ex := range exchangesOf(t, path) {
			for _, mode := range []Mode{Default, Strict} {
				bothWays(t, path, func() Result { return v.Validate(ex, mode) })
				checked++
			}
		}
	}
	if len(all) == 0 || checked == 0 {
		t.Fatalf("%d fixtures, %d recorded exchanges checked: nothing to compare", len(all), checked)
	}
}

// exchangesOf reads the exchanges of a recording; a file that is not one is
// skipped.
func exchangesOf(t *testing.T, path string) []exchange.Exchange {
	t.Helper()
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return nil
	}
	f, err := recording.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []exchange.Exchange
	for {
		rec, err := f.Next()
		if err != nil {
			return out
		}
		if rec.Err == nil && rec.Kind == recording.KindExchange {
			out = append(out, rec.Exchange)
		}
	}
}

func mustDefault(t testing.TB) *Validator {
	t.Helper()
	v, err := DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// kpLines is a KP order_lines array of n lines, with line i replaced by
// odd[i] where given.
func kpLines(n int, odd map[int]string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if s, ok := odd[i]; ok {
			b.WriteString(s)
			continue
		}
		fmt.Fprintf(&b, `{"type":"physical","name":"line %d","quantity":1,"unit_price":100,"total_amount":100}`, i)
	}
	b.WriteByte(']')
	return b.String()
}

const kpHead = `{"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","order_amount":100,`

// Large bodies with violations deep inside give the same findings both
// ways, and the streamed way did stream them.
func TestStreamedFindingsEqualWholeOnLargeBodies(t *testing.T) {
	v := mustDefault(t)
	bad := map[int]string{
		3:    `{"name":"a","quantity":-1,"unit_price":100,"total_amount":100}`,
		7:    `{"quantity_unit":"kilograms","name":"a","quantity":1,"unit_price":100,"total_amount":100}`,
		11:   `{"name":"a","quantity":1,"unit_price":100,"total_amount":100,"image_url":null}`,
		13:   `{"name":"a","quantity":1,"unit_price":100,"total_amount":100,"colour":"red","x":{"y":1}}`,
		17:   `{"name":"a","name":"b","quantity":1,"unit_price":100,"total_amount":100}`,
		19:   `{"name":"a","quantity":1,"unit_price":100,"total_amount":1e400}`,
		23:   `{"name":"a","quantity":1,"unit_price":100,"total_amount":100,"product_identifiers":{"brand":5,"extra":[1e999]}}`,
		29:   `{"name":"a","quantity":"two","unit_price":100,"total_amount":100}`,
		997:  `{"quantity":1,"unit_price":100,"total_amount":100}`,
		1200: `{"name":"","quantity":1,"unit_price":100,"total_amount":100,"z":1}`,
	}
	unknown := `"values":[1,"two",{"a":1,"a":2},[1e400],{"b":{"c":[{"d":1,"d":2}]}}]`
	for _, tt := range []struct {
		name, op string
		side     Side
		status   int
		body     string
		want     []string // rule@pointer that must be among the findings
	}{
		{"kp request, bad lines", "createCreditSession", Request, 0,
			kpHead + `"order_lines":` + kpLines(998, bad) + `,` + unknown + `}`,
			[]string{"schema.minimum@/order_lines/3/quantity", "schema.maxLength@/order_lines/7/quantity_unit", "schema.nullable@/order_lines/11/image_url",
				"body.unknown-field@/order_lines/13/colour", "body.duplicate-key@/order_lines/17/name", "body.number-out-of-range@/order_lines/19/total_amount",
				"schema.type@/order_lines/29/quantity", "schema.required@/order_lines/997/name", "body.duplicate-key@/values/2/a", "body.number-out-of-range@/values/3/0"}},
		{"kp request, over maxItems", "createCreditSession", Request, 0,
			kpHead + `"order_lines":` + kpLines(1500, bad) + `}`,
			[]string{"schema.maxItems@/order_lines", "schema.minimum@/order_lines/3/quantity", "schema.minLength@/order_lines/1200/name", "body.unknown-field@/order_lines/1200/z"}},
		{"kp request, no lines", "createCreditSession", Request, 0,
			kpHead + `"order_lines":[]}`, []string{"schema.minItems@/order_lines"}},
		{"kp request, lines twice", "createCreditSession", Request, 0,
			kpHead + `"order_lines":` + kpLines(50, bad) + `,"order_lines":` + kpLines(40, nil) + `}`,
			[]string{"body.duplicate-key@/order_lines", "body.number-out-of-range@/order_lines/19/total_amount"}},
		{"kp request, lines not an array", "createCreditSession", Request, 0,
			kpHead + `"order_lines":{"a":` + kpLines(5, bad) + `}}`, []string{"schema.type@/order_lines"}},
		{"kp response, bad lines", "readCreditSession", Response, 200,
			kpHead + `"status":"incomplete","order_lines":` + kpLines(300, bad) + `,` + unknown + `}`,
			[]string{"schema.minimum@/order_lines/3/quantity", "schema.maxLength@/order_lines/7/quantity_unit"}},
		{"hpp read, unknown array", "getSessionById", Response, 200,
			`{"session_id":"s1","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z",` + unknown + `}`,
			[]string{"body.unknown-field@/values", "body.duplicate-key@/values/4/b/c/0/d"}},
		{"hpp read, wrong status and unknown array", "getSessionById", Response, 200,
			`{"session_id":"s1","status":"COMPLETE","updated_at":"x",` + unknown + `}`,
			[]string{"body.unknown-field@/values", "schema.required@/expires_at"}},
		{"hpp callback, bad lines", "hppStatusUpdateCallback", Request, 0,
			`{"event_id":"e","session":{"session_id":"s","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z","order_lines":` + kpLines(20, bad) + `}}`,
			nil},
	} {
		for _, mode := range []Mode{Default, Strict} {
			res := bothWays(t, tt.name, func() Result {
				res, err := v.ValidateBody(tt.op, tt.side, tt.status, "application/json", []byte(tt.body), mode)
				if err != nil {
					t.Fatal(err)
				}
				return res
			})
			got := map[string]bool{}
			for _, i := range res.Issues {
				got[i.Rule+"@"+i.Pointer] = true
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("%s (%v): no %s among%s", tt.name, mode, w, dump(res))
				}
			}
		}
	}
	// The guided decode did stream the lines and skip the unknown array.
	op := v.Operation("createCreditSession")
	schema := op.op.RequestBody.Value.Content.Get("application/json").Schema.Value
	g, value, _, ok := v.decodeGuided([]byte(kpHead+`"order_lines":`+kpLines(10, nil)+`,`+unknown+`}`), schema, Request, true, Default, v.schemaOpts)
	if !ok || len(g.streams) != 1 || g.streams[0].pointer != "/order_lines" || g.streams[0].n != 10 {
		t.Fatalf("guided decode: ok %v, streams %+v", ok, g)
	}
	if m := value.(map[string]any); !reflect.DeepEqual(m["values"], skipped{}) || len(m["order_lines"].(keptItems)) != 1 {
		t.Errorf("stand-ins: values %#v, order_lines %#v", m["values"], m["order_lines"])
	}
}

// oneOfInItems is a contract whose array elements hold a oneOf: the real
// contract has none yet, and a streamed element is checked inside a batch
// whose pointers start at the batch, not at the body.
const oneOfInItems = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    post:
      operationId: px
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                lines:
                  type: array
                  items:
                    type: object
                    properties:
                      alt:
                        oneOf:
                          - {title: a string, type: string}
                          - {title: an object with id, type: object, required: [id], properties: {id: {type: string}}}
      responses:
        "204": {description: ok}
`

// The reasons a oneOf message gives name the body's pointers, whichever
// way the body was checked: a streamed element's oneOf once said "/476/alt"
// (its place in a batch) for /lines/1500/alt.
func TestStreamedOneOfMessageNamesTheBodyPointer(t *testing.T) {
	v, err := Load([]byte(oneOfInItems))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`{"lines":[`)
	for i := range 1600 {
		if i > 0 {
			b.WriteByte(',')
		}
		if i == 1500 {
			b.WriteString(`{"alt":{"id":5}}`)
		} else {
			b.WriteString(`{"alt":"x"}`)
		}
	}
	b.WriteString(`]}`)
	res := bothWays(t, "oneOf in items", func() Result {
		res, err := v.ValidateBody("px", Request, 0, "application/json", []byte(b.String()), Default)
		if err != nil {
			t.Fatal(err)
		}
		return res
	})
	if len(res.Issues) != 1 || res.Issues[0].Pointer != "/lines/1500/alt" || !strings.Contains(res.Issues[0].Message, "(/lines/1500/alt") {
		t.Errorf("want one oneOf issue at /lines/1500/alt naming that pointer; got%s", dump(res))
	}
}
