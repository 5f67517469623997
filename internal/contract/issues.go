package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/kconform/kconform/internal/exchange"
)

// addSchemaErrors turns kin-openapi's schema errors into issues, one per
// leaf failure, each with its JSON pointer. Messages use the error's reason
// only: kin-openapi's full error text repeats the offending value, which may
// be a secret.
func (r *Result) addSchemaErrors(side Side, in, prefix string, err error) {
	for _, l := range leafSchemaErrors(err) {
		r.addLeaf(side, in, prefix+l.pointer, l)
	}
}

// addLeaf reports one leaf schema failure at ptr.
func (r *Result) addLeaf(side Side, in, ptr string, l leaf) {
	r.add(Violation, side, in, ptr, "schema."+l.err.SchemaField, schemaMessage(l.err, ptr))
}

// addRequestErrors handles what openapi3filter.ValidateRequest returns for
// parameters (the body is checked separately).
func (r *Result) addRequestErrors(err error) {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			r.addRequestErrors(e)
		}
		return
	}
	var reqErr *openapi3filter.RequestError
	if errors.As(err, &reqErr) && reqErr.Parameter != nil {
		in := reqErr.Parameter.In
		name := reqErr.Parameter.Name
		var se *openapi3.SchemaError
		if errors.As(reqErr.Err, &se) {
			r.add(Violation, Request, in, name, RuleParameter, fmt.Sprintf("parameter %s: %s", name, schemaMessage(se, "")))
			return
		}
		reason := reqErr.Reason
		if reason == "" && reqErr.Err != nil {
			reason = reqErr.Err.Error()
		}
		r.add(Violation, Request, in, name, RuleParameter, fmt.Sprintf("parameter %s: %s", name, reason))
		return
	}
	r.add(Violation, Request, InRoute, "", RuleParameter, err.Error())
}

// leaf is one schema failure and the JSON pointer of the value it is about.
type leaf struct {
	err     *openapi3.SchemaError
	pointer string
}

// leafSchemaErrors flattens MultiErrors, and the allOf wrappers around
// them, into the SchemaErrors they hold. A oneOf/anyOf failure is kept as one
// error (its message lists why each alternative failed) rather than exploded
// into every alternative's errors. kin-openapi extends the paths of errors
// inside allOf/oneOf as they travel up, so every pointer is already complete.
func leafSchemaErrors(err error) []leaf {
	var out []leaf
	var walk func(err error)
	walk = func(err error) {
		// Only a MultiError at this level is a list of separate failures; one
		// found deeper (errors.As would find it) belongs to a oneOf alternative.
		if multi, ok := err.(openapi3.MultiError); ok {
			for _, e := range multi {
				walk(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if !errors.As(err, &se) {
			return
		}
		if se.SchemaField == "allOf" {
			if inner := wrappedErrors(se.Origin); inner != nil {
				walk(inner)
				return
			}
		}
		out = append(out, leaf{err: se, pointer: pointer(se.JSONPointer())})
	}
	walk(err)
	return out
}

// wrappedErrors returns the per-subschema errors kin-openapi keeps behind an
// allOf/oneOf failure: Origin wraps a private list type whose Unwrap gives a
// MultiError.
func wrappedErrors(origin error) openapi3.MultiError {
	u := errors.Unwrap(origin)
	if u == nil {
		u = origin
	}
	if m, ok := u.(interface{ Unwrap() error }); ok {
		if me, ok := m.Unwrap().(openapi3.MultiError); ok {
			return me
		}
	}
	return nil
}

// schemaMessage says what is wrong without echoing the value. at is the
// body's pointer of the value: a oneOf's reasons name their fields under it
// (kin-openapi's own pointers start wherever the check started, a batch of
// streamed elements for one).
func schemaMessage(se *openapi3.SchemaError, at string) string {
	switch se.SchemaField {
	case "oneOf", "anyOf":
		return alternativesMessage(se, at)
	case "enum":
		return enumMessage(se)
	case "not":
		if n := se.Schema.Not; n != nil && n.Value != nil {
			if d := firstNonEmpty(n.Value.Title, n.Value.Description); d != "" {
				return "forbidden: " + d
			}
		}
		return "matches a shape the contract forbids"
	}
	if se.SchemaField == "format" {
		// kin-openapi's reason for a date-time quotes its whole regular
		// expression; the format's name says enough, and the value what
		// came, when it is only a timestamp's characters.
		if i := strings.Index(se.Reason, " (string doesn't match pattern"); i > 0 {
			if shown, ok := timestampActual(se.Value); ok {
				return "value " + shown + strings.TrimPrefix(se.Reason[:i], "string")
			}
			return se.Reason[:i]
		}
	}
	if se.Reason != "" {
		return se.Reason
	}
	return fmt.Sprintf("does not satisfy %q", se.SchemaField)
}

// enumMessage says what came and what is allowed, in kin-openapi's words.
func enumMessage(se *openapi3.SchemaError) string {
	allowed, _ := json.Marshal(se.Schema.Enum)
	return "value " + enumActual(se.Value, se.Schema.Enum) + enumNotAllowed + string(allowed)
}

const enumNotAllowed = " is not one of the allowed values "

// enumValueShown is the value an enum message shows, in each of the forms
// enumActual writes it: a JSON string, a description in parentheses, or
// a number, bool or null; and the value a date-time message shows.
var enumValueShown = regexp.MustCompile(`value (?:"(?:[^"\\]|\\.)*"|\([^)]*\)|\S+)(` + enumNotAllowed + `| doesn't match the format )`)

// WithoutActual is an issue message without the values it shows (an
// enum's, a date-time's): the same defect met with other values, such as a
// lowercase status read as "waiting" and called back as "in_progress",
// then has the same message. The message of a violation itself keeps its
// value.
func WithoutActual(message string) string {
	return enumValueShown.ReplaceAllString(message, "value$1")
}

// timestampChars are the characters of a date or date-time in any of its
// usual spellings (RFC 3339, with a space, a slash date, epoch digits).
const timestampChars = "0123456789-:.+/ TtZz"

// maxTimestamp bounds a shown timestamp: RFC 3339 with nanoseconds and an
// offset is 35 characters.
const maxTimestamp = 40

// timestampActual shows a value that failed a date or date-time format
// when it is a timestamp spelt otherwise: a short string of a timestamp's
// characters only, with a date's or a time's separator. Anything else (a
// secret in the wrong field has letters) is described by its length.
func timestampActual(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	if len(s) <= maxTimestamp && strings.Trim(s, timestampChars) == "" && strings.ContainsAny(s, "-:/") && strings.ContainsAny(s, "0123456789") {
		return strconv.Quote(s), true
	}
	return fmt.Sprintf("(%d characters)", utf8.RuneCountInString(s)), true
}

// enumActual shows a value that failed an enum when it could be one of the
// enum's values written otherwise ("COMPLETE" for "COMPLETED", "waiting",
// "in progress"): a number or bool, or a string on one line that is shorter
// than a secret worth hiding, resembles an allowed value, or is a word of
// letters in one case (an enum value of another shape of a oneOf) no longer
// than the longest allowed value and a few characters more. Anything else
// (digits and mixed case: a password is as short as "incomplete") may be a
// secret in the wrong field and is described by its length only.
func enumActual(v any, enum []any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case string:
		shown := strconv.Quote(v)
		short := len(shown) <= longestOf(enum)+enumSlack
		if !strings.Contains(shown, `\`) && (len(v) < exchange.MinSecret || resemblesOne(v, enum) || (short && oneCaseWord(v))) {
			return shown
		}
		return fmt.Sprintf("(%d characters)", utf8.RuneCountInString(v))
	case float64:
		shown := strconv.FormatFloat(v, 'g', -1, 64)
		if len(shown) > longestOf(enum)+enumSlack {
			return fmt.Sprintf("(%d characters)", len(shown))
		}
		return shown
	case map[string]any:
		return "(an object)"
	case []any:
		return "(an array)"
	default:
		return "(of another type)"
	}
}

// enumSlack is how much longer than the longest allowed value a number or
// a word may be and still be shown.
const enumSlack = 8

// longestOf is the length of the longest allowed value, as JSON.
func longestOf(enum []any) int {
	longest := 0
	for _, e := range enum {
		b, _ := json.Marshal(e)
		longest = max(longest, len(b))
	}
	return longest
}

// oneCaseWord: s is ASCII letters and separators (_ - space), all upper or
// all lower case, as enum values are; a credential has digits or mixed case.
func oneCaseWord(s string) bool {
	upper, lower := false, false
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c == '_' || c == '-' || c == ' ':
		default:
			return false
		}
	}
	return !(upper && lower)
}

// resemblesOne: s is one of the allowed strings but for case, separators
// (_ - space) and a few letters (at most a third of the allowed value's).
func resemblesOne(s string, enum []any) bool {
	norm := strings.NewReplacer("_", "", "-", "", " ", "")
	got := []rune(strings.ToLower(norm.Replace(s)))
	for _, e := range enum {
		want, ok := e.(string)
		if !ok {
			continue
		}
		w := []rune(strings.ToLower(norm.Replace(want)))
		if editDistance(got, w) <= max(1, len(w)/3) {
			return true
		}
	}
	return false
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// alternativesMessage explains a oneOf/anyOf failure by the alternative
// that came closest, with its reasons, and names the others tried. Closest
// is the one with the fewest failures, where a value outside an enum (the
// status that tells a completed session from a waiting one) counts as a
// shape for another kind of object: the user's object is most likely the
// shape whose enums it meets, and the reasons of the others would only say
// that it is not them.
func alternativesMessage(se *openapi3.SchemaError, at string) string {
	alts := se.Schema.OneOf
	kind := "oneOf"
	if se.SchemaField == "anyOf" {
		alts, kind = se.Schema.AnyOf, "anyOf"
	}
	if strings.Contains(se.Reason, "more than one") {
		return "matches more than one of the alternatives (" + kind + "): " + titles(alts)
	}
	perAlt := wrappedErrors(se.Origin)
	own := pointer(se.JSONPointer())
	best, bestScore, reasons := -1, 0, []string(nil)
	for i := range alts {
		if i >= len(perAlt) {
			break
		}
		var why []string
		score := 0
		for _, l := range leafSchemaErrors(perAlt[i]) {
			ptr := at + strings.TrimPrefix(l.pointer, own)
			why = append(why, strings.TrimPrefix(ptr+" ", " ")+schemaMessage(l.err, ptr))
			score++
			if l.err.SchemaField == "enum" {
				score += otherKind
			}
		}
		if len(why) > 0 && (best < 0 || score < bestScore) {
			best, bestScore, reasons = i, score, why
		}
	}
	if best < 0 {
		return "matches none of the allowed shapes: " + titles(alts)
	}
	msg := "matches none of the allowed shapes; closest is " + altTitle(best, alts[best]) + " (" + strings.Join(reasons, "; ") + ")"
	var others []string
	for i, alt := range alts {
		if i != best {
			others = append(others, altTitle(i, alt))
		}
	}
	if len(others) > 0 {
		msg += "; also tried: " + strings.Join(others, " | ")
	}
	return msg
}

// otherKind is what a value outside an alternative's enum adds to its count
// of failures: more than any count of other failures.
const otherKind = 1 << 16

func titles(alts openapi3.SchemaRefs) string {
	ts := make([]string, len(alts))
	for i, a := range alts {
		ts[i] = altTitle(i, a)
	}
	return strings.Join(ts, " | ")
}

// altTitle names an alternative by its title, else by its position.
func altTitle(i int, alt *openapi3.SchemaRef) string {
	if alt.Value != nil && alt.Value.Title != "" {
		return alt.Value.Title
	}
	return fmt.Sprintf("alternative %d", i+1)
}

// pointer renders path segments as an RFC 6901 JSON pointer.
func pointer(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(escapePointer(s))
	}
	return b.String()
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(s string) string { return pointerEscaper.Replace(s) }

// safeMessage reports a schema failure of a single value (a header) by its
// reason only.
func safeMessage(err error) string {
	if leaves := leafSchemaErrors(err); len(leaves) > 0 {
		return schemaMessage(leaves[0].err, "")
	}
	return "invalid value"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func sortStrings(s []string) { sort.Strings(s) }
