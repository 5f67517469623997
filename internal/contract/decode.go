package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/kconform/kconform/internal/jsonscan"
)

// bigString is the length from which a guided decode reads a string in
// place.
const bigString = 64 << 10

// decodeBody turns a JSON body into the values encoding/json gives for an
// `any` (map[string]any, []any, string, float64, bool, nil), in one pass over
// the bytes, and reports what encoding/json passes in silence or words in Go
// terms: a key that appears twice in one object (the last value is the one
// checked, as encoding/json keeps it; a first-wins reader sees the other),
// and a number that no float64 holds (1e400). Every caller that decodes a
// body to check it (validate, the run's transport, the lifecycle checks)
// comes through here, so the rule lives in one place.
//
// err is set when the body is not JSON; value is then nil. problems never
// stop the decoding, so the rest of the body is still checked: a duplicate
// key keeps its last value, and a number out of range is held as the
// largest float64 of its sign (what the checker must not judge: see
// checkBody, which reports it once, at its pointer).
func decodeBody(body []byte) (value any, problems []bodyProblem, err error) {
	return decode(body, nil, nil)
}

// decode is decodeBody, guided by g from the root's place at (both nil for
// a plain decode: see stream.go).
func decode(body []byte, g *guide, at *place) (value any, problems []bodyProblem, err error) {
	d := decoder{data: body, g: g}
	d.skipSpace()
	value = d.value(0, at)
	if d.err == nil {
		d.skipSpace()
		if d.pos < len(d.data) {
			d.fail("invalid character " + quoteChar(d.data[d.pos]) + " after top-level value")
		}
	}
	if d.err != nil && g != nil {
		return nil, nil, d.err // the caller decodes it the plain way
	}
	if d.err != nil {
		// The standard decoder words syntax errors as users know them; ask
		// it. Should it accept what this one refused, its value is used.
		var v any
		if stdErr := json.Unmarshal(body, &v); stdErr != nil {
			return nil, nil, stdErr
		}
		return v, nil, nil
	}
	return value, d.problems, nil
}

// bodyProblem is something wrong with a well-formed JSON body.
type bodyProblem struct {
	pointer string
	rule    string
	message string
}

// decoder is a recursive descent over one JSON text. Nesting is bounded by
// MaxJSONDepth, which TooDeep checks before, so recursion stays shallow.
type decoder struct {
	data     []byte
	pos      int
	err      error
	problems []bodyProblem
	// path is where the value being decoded is: an object key, or an
	// array index when key is unset. It is only turned into a JSON pointer
	// when a problem is reported, so an array costs no string per element.
	path []pathToken
	// g, when set, streams large arrays and skips what no schema reads
	// (stream.go); each value then has a place, nil where it is decoded
	// whole.
	g *guide
}

type pathToken struct {
	key   string
	index int
	isKey bool
}

func (d *decoder) fail(msg string) {
	if d.err == nil {
		d.err = errors.New(msg)
	}
}

func (d *decoder) skipSpace() { d.pos = jsonscan.SkipSpace(d.data, d.pos) }

func (d *decoder) value(depth int, at *place) any {
	if d.pos >= len(d.data) {
		d.fail("unexpected end of JSON input")
		return nil
	}
	if depth > MaxJSONDepth {
		d.fail("nested too deep")
		return nil
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth, at)
	case c == '[':
		return d.array(depth, at)
	case c == '"':
		s, _ := d.string()
		return s
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return d.literal("true", true)
	case c == 'f':
		return d.literal("false", false)
	case c == 'n':
		return d.literal("null", nil)
	default:
		d.fail("invalid character " + quoteChar(c) + " looking for beginning of value")
		return nil
	}
}

func (d *decoder) literal(word string, v any) any {
	if !strings.HasPrefix(string(d.data[d.pos:min(len(d.data), d.pos+len(word))]), word) {
		d.fail("invalid literal")
		return nil
	}
	d.pos += len(word)
	return v
}

func (d *decoder) object(depth int, at *place) any {
	d.pos++ // '{'
	m := map[string]any{}
	var plan *objectPlan
	if at != nil && at.schema != nil {
		plan = d.g.v.objectPlan(at.schema)
	}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return at.built(m)
	}
	for d.err == nil {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			d.fail("want an object key")
			return nil
		}
		key, ok := d.string()
		if !ok {
			return nil
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			d.fail("want ':' after an object key")
			return nil
		}
		d.pos++
		d.skipSpace()
		d.path = append(d.path, pathToken{key: key, isKey: true})
		child, streams := at.member(plan, key), d.g.count()
		v := d.value(depth+1, child)
		if _, dup := m[key]; dup && d.err == nil {
			d.problems = append(d.problems, bodyProblem{
				pointer: d.pointer(), rule: RuleBodyDuplicateKey,
				message: fmt.Sprintf("key %q appears more than once in this object: readers disagree on which value counts (the last one is checked here)", key),
			})
			d.g.dropBefore(streams, d.pointer())
		}
		d.path = d.path[:len(d.path)-1]
		m[key] = v
		end, ok := d.separator('}', "an object member")
		if !ok {
			return nil
		}
		if end {
			return at.built(m)
		}
	}
	return nil
}

func (d *decoder) array(depth int, at *place) any {
	d.pos++ // '['
	var s *streamed
	if at != nil && at.stream != nil {
		s = d.g.begin(d, at.stream)
	}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		if s != nil {
			return d.g.finish(s)
		}
		return at.built([]any{})
	}
	ignored := at.ignored()
	var a []any
	if !ignored && s == nil {
		// Counted first, allocated once: a large slice grown by append
		// leaves about four times its size behind, and an element is 16
		// bytes however small its value.
		a = make([]any, 0, countElements(d.data[d.pos:]))
	}
	for i := 0; d.err == nil; i++ {
		d.skipSpace()
		d.path = append(d.path, pathToken{index: i})
		start := d.pos
		v := d.value(depth+1, at.element())
		switch {
		case s != nil && d.err == nil:
			d.g.element(s, v, d.pos-start) // checked now, never held
		case !ignored:
			a = append(a, v)
		}
		d.path = d.path[:len(d.path)-1]
		end, ok := d.separator(']', "an array element")
		if !ok {
			return nil
		}
		if end {
			if s != nil {
				return d.g.finish(s)
			}
			return at.built(a)
		}
	}
	return nil
}

// separator reads what follows an object member or array element (what):
// a ',' before the next one, or closer, which ends the value (end). Any
// other byte, or the end of the input, fails (ok is false).
func (d *decoder) separator(closer byte, what string) (end, ok bool) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		d.fail("unexpected end of JSON input")
		return false, false
	}
	switch d.data[d.pos] {
	case ',':
		d.pos++
		return false, true
	case closer:
		d.pos++
		return true, true
	default:
		d.fail("want ',' or '" + string(closer) + "' after " + what)
		return false, false
	}
}

// countElements counts the elements of the array whose content starts data
// (after its '['), from its commas outside strings and nested values. On
// broken JSON the count is only a guess: the decoder reports the error.
func countElements(data []byte) int {
	n, depth := 1, 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			for i++; i < len(data); i++ {
				j := bytes.IndexAny(data[i:], `"\`)
				if j < 0 {
					return n
				}
				i += j
				if data[i] == '"' {
					break
				}
				i++ // the escaped byte
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				return n
			}
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		}
	}
	return n
}

// string reads a JSON string. The common case, no escape and valid UTF-8,
// is one conversion; anything else is left to encoding/json, which turns
// escapes and invalid UTF-8 into the same string it always has.
func (d *decoder) string() (string, bool) {
	start := d.pos
	d.pos++ // '"'
	simple := true
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			raw := d.data[start+1 : d.pos-1]
			if simple && utf8.Valid(raw) {
				if d.g != nil && len(raw) >= bigString {
					// A guided decode's value lives while the body is
					// checked, and the body is not changed meanwhile:
					// a long string is read in place, not copied.
					return unsafe.String(&raw[0], len(raw)), true
				}
				return string(raw), true
			}
			var s string
			if err := json.Unmarshal(d.data[start:d.pos], &s); err != nil {
				d.fail("invalid string")
				return "", false
			}
			return s, true
		case c == '\\':
			simple = false
			d.pos += 2
		case c < 0x20:
			d.fail("control character in string")
			return "", false
		default:
			d.pos++
		}
	}
	d.fail("unexpected end of JSON input")
	return "", false
}

// number reads a JSON number as encoding/json does (a float64). One that no
// float64 holds is reported at its pointer, in the user's terms.
func (d *decoder) number() any {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	switch {
	case d.pos < len(d.data) && d.data[d.pos] == '0':
		d.pos++
	case digits() == 0:
		d.fail("invalid number")
		return nil
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if digits() == 0 {
			d.fail("invalid number")
			return nil
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			d.fail("invalid number")
			return nil
		}
	}
	text := d.data[start:d.pos]
	if len(text) == 1 && text[0] <= '9' {
		return smallNumbers[text[0]-'0'] // no allocation for 0-9
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		d.problems = append(d.problems, bodyProblem{
			pointer: d.pointer(), rule: RuleNumberOutOfRange,
			message: "number out of range: it is larger than any number a JSON reader can hold (about 1.8e308)",
		})
		if text[0] == '-' {
			return -math.MaxFloat64
		}
		return math.MaxFloat64
	}
	return f
}

// pointer is the RFC 6901 JSON pointer of the value being decoded.
func (d *decoder) pointer() string {
	var b strings.Builder
	for _, tok := range d.path {
		b.WriteByte('/')
		if tok.isKey {
			b.WriteString(pointerEscaper.Replace(tok.key))
		} else {
			b.WriteString(strconv.Itoa(tok.index))
		}
	}
	return b.String()
}

// smallNumbers are the one-digit numbers, boxed once: an array of many
// small values would otherwise allocate each.
var smallNumbers = [10]any{0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	return strconv.QuoteRune(rune(c))
}
