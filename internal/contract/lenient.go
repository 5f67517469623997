package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kconform/kconform/internal/exchange"
)

// Request leniency classes. Klarna's playground answered 200 to requests the
// schema refuses, in three ways that are classes, not single fields:
//
//   - a read-only field sent back in a request (REC-nebulab: a create-order
//     body carrying the session's status, authorization_token,
//     payment_method_categories ...);
//   - an enum value that differs from a listed one only in case (REC-nebulab:
//     intended_use "subscription");
//   - null in an optional field that is not nullable (REC-solidus-null:
//     an order line's image_url).
//
// For requests a client sends (not the callbacks Klarna sends) each is
// reported where it is, as a warning by default and a violation in strict
// mode, and the body is then checked as the server evidently read it: the
// read-only field and the null left out, the enum value in the contract's
// case. Responses get none of this: there the same departures stay
// violations, because kin-openapi checks the body as it is.
//
// The rule ids are the schema keywords kin-openapi uses for the same failures,
// so a class reads the same in both modes and next to other schema issues.
const (
	RuleReadOnly = "schema.readOnly"
	RuleEnum     = "schema.enum"
	RuleNullable = "schema.nullable"
)

// leniency is the severity of a request departure a real server accepted.
func (m Mode) leniency() Severity {
	if m == Strict {
		return Violation
	}
	return Warning
}

// relaxRequest walks value along schema, reports each departure of the three
// classes and returns the value with them undone. Maps are changed in place:
// value is the caller's freshly decoded copy.
func (v *Validator) relaxRequest(res *Result, schema *openapi3.Schema, value any, mode Mode) any {
	start := len(res.Issues)
	var buf [8]string // deep enough for every body of the contract
	path := buf[:0]
	if nv, replaced := v.relax(res, schema, value, &path, mode); replaced {
		value = nv
	}
	// Maps were visited in no particular order: sort what was found.
	sortByPointer(res.Issues[start:])
	return value
}

func sortByPointer(issues []Issue) {
	if len(issues) > 1 {
		sort.SliceStable(issues, func(i, j int) bool { return issues[i].Pointer < issues[j].Pointer })
	}
}

// relax is relaxRequest's walk. path holds the segments down to value; a
// pointer is only built for an issue, so a conforming body costs no strings.
// It returns the value to put in value's place when that one must be
// replaced (an enum value in the contract's case); maps and arrays are
// changed in place, and left alone when nothing departs.
func (v *Validator) relax(res *Result, schema *openapi3.Schema, value any, path *[]string, mode Mode) (any, bool) {
	if schema == nil {
		return nil, false
	}
	switch val := value.(type) {
	case map[string]any:
		sh := v.shapeOf(schema)
		for k, child := range val {
			ps, known := sh.props[k]
			if !known {
				continue // the unknown-field walk reports it
			}
			*path = append(*path, k)
			switch {
			case ps.ReadOnly:
				res.add(mode.leniency(), Request, InBody, pointer(*path), RuleReadOnly,
					"field "+k+" is read-only: the server sets it and a request should not send it (real servers accept it; checked without it)")
				delete(val, k)
			case child == nil && !ps.Nullable && !sh.required[k]:
				res.add(mode.leniency(), Request, InBody, pointer(*path), RuleNullable,
					"optional field "+k+" is null where the contract allows no null; leave it out (real servers accept it as absent; checked without it)")
				delete(val, k)
			default:
				if nv, replaced := v.relax(res, ps, child, path, mode); replaced {
					val[k] = nv
				}
			}
			*path = (*path)[:len(*path)-1]
		}
	case []any:
		items := v.shapeOf(schema).items
		if items == nil {
			return nil, false
		}
		for i := range val {
			*path = append(*path, strconv.Itoa(i))
			if nv, replaced := v.relax(res, items, val[i], path, mode); replaced {
				val[i] = nv
			}
			*path = (*path)[:len(*path)-1]
		}
	case string:
		if canonical, ok := caseVariant(schema.Enum, val); ok {
			res.add(mode.leniency(), Request, InBody, pointer(*path), RuleEnum,
				fmt.Sprintf("value differs only in case from the allowed value %q (real servers accept it; checked as that value)", canonical))
			return canonical, true
		}
	}
	return nil, false
}

// caseVariant returns the one enum value s matches when case is ignored, if s
// is not itself a value of the enum.
func caseVariant(enum []any, s string) (string, bool) {
	if len(enum) == 0 {
		return "", false
	}
	match, n := "", 0
	for _, e := range enum {
		es, ok := e.(string)
		if !ok {
			continue
		}
		if es == s {
			return "", false
		}
		if strings.EqualFold(es, s) {
			match, n = es, n+1
		}
	}
	return match, n == 1
}

// requiredOf collects the properties schema requires outright: its own list
// and those of its allOf parts. A oneOf/anyOf branch's list applies only when
// that branch is the one matched, so it does not count here.
func requiredOf(schema *openapi3.Schema, into map[string]bool, seen map[*openapi3.Schema]bool) {
	if schema == nil || seen[schema] {
		return
	}
	seen[schema] = true
	for _, r := range schema.Required {
		into[r] = true
	}
	for _, ref := range schema.AllOf {
		requiredOf(ref.Value, into, seen)
	}
}

// Relaxed reports whether a leniency class let the request through: the
// server is then to read the body as RelaxRequestBody gives it.
func (r Result) Relaxed() bool {
	for _, i := range r.Issues {
		if i.Side == Request && i.In == InBody && i.Severity == Warning &&
			(i.Rule == RuleReadOnly || i.Rule == RuleEnum || i.Rule == RuleNullable) {
			return true
		}
	}
	return false
}

// RelaxRequestBody returns the request body of ex as a server that accepts
// the leniency classes reads it: read-only fields and nulls of optional fields
// left out, enum values in the contract's case. A body it cannot read (no
// operation, not JSON) is returned as it is. The reference mock serves this
// body, so what it stores and echoes is what the contract allows.
func (v *Validator) RelaxRequestBody(ex exchange.Exchange) []byte {
	op, _, err := v.Find(ex.Method, ex.URL)
	if err != nil || TooDeep(ex.RequestBody) || op.op.RequestBody == nil || op.op.RequestBody.Value == nil {
		return ex.RequestBody
	}
	media := op.op.RequestBody.Value.Content.Get(ex.RequestHeader.Get("Content-Type"))
	if media == nil || media.Schema == nil || media.Schema.Value == nil || !isJSON(ex.RequestHeader.Get("Content-Type")) {
		return ex.RequestBody
	}
	dec := json.NewDecoder(bytes.NewReader(ex.RequestBody))
	dec.UseNumber() // amounts pass through digit for digit
	var value any
	if err := dec.Decode(&value); err != nil {
		return ex.RequestBody
	}
	value = v.relaxRequest(&Result{}, media.Schema.Value, value, Default)
	out, err := json.Marshal(value)
	if err != nil {
		return ex.RequestBody
	}
	return out
}
