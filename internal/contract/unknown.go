package contract

import (
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// shape is what the unknown-field walk needs of an object schema: the
// properties it names (through allOf/oneOf/anyOf too) and whether it is open.
type shape struct {
	props map[string]*openapi3.Schema
	items *openapi3.Schema
	// required: the properties the object requires outright (relaxRequest).
	required map[string]bool
	// open: additionalProperties is explicitly allowed, or the object lists no
	// properties at all, so no key can be unknown.
	open bool
}

// The contract's objects do not say additionalProperties: false, because
// Klarna adds fields over time and a client must tolerate them; kin-openapi
// therefore accepts any extra field silently. This walk reports each one:
// a warning by default, a violation in strict mode.
//
// g, when set, holds the arrays a guided decode streamed (stream.go): a
// stand-in's findings are reported where the array would have been walked.
func (v *Validator) reportUnknownFields(res *Result, side Side, schema *openapi3.Schema, value any, ptr string, mode Mode, g *guide) {
	switch val := value.(type) {
	case *streamMark, keptItems:
		res.Issues = append(res.Issues, g.unknownAt(val, ptr)...)
	case map[string]any:
		sh := v.shapeOf(schema)
		for _, k := range sortedKeys(val) {
			child := ptr + "/" + escapePointer(k)
			ps, known := sh.props[k]
			if !known {
				if !sh.open {
					res.add(mode.addition(), side, InBody, child, RuleUnknownField, "field "+k+" is not in the contract")
				}
				continue
			}
			v.reportUnknownFields(res, side, ps, val[k], child, mode, g)
		}
	case []any:
		sh := v.shapeOf(schema)
		if sh.items == nil {
			return
		}
		for i, item := range val {
			v.reportUnknownFields(res, side, sh.items, item, ptr+"/"+strconv.Itoa(i), mode, g)
		}
	}
}

func (v *Validator) shapeOf(schema *openapi3.Schema) *shape {
	if s, ok := v.shapes.Load(schema); ok {
		return s.(*shape)
	}
	sh := &shape{props: map[string]*openapi3.Schema{}, required: map[string]bool{}}
	collectShape(schema, sh, map[*openapi3.Schema]bool{})
	requiredOf(schema, sh.required, map[*openapi3.Schema]bool{})
	if len(sh.props) == 0 {
		sh.open = true
	}
	v.shapes.Store(schema, sh)
	return sh
}

// collectShape merges the schema's own properties first, then those of its
// allOf, oneOf and anyOf parts, so the most complete definition of a field
// (the base object, not a oneOf branch's narrowing) is the one walked into.
func collectShape(schema *openapi3.Schema, sh *shape, seen map[*openapi3.Schema]bool) {
	if schema == nil || seen[schema] {
		return
	}
	seen[schema] = true
	ap := schema.AdditionalProperties
	if (ap.Has != nil && *ap.Has) || ap.Schema != nil {
		sh.open = true
	}
	for name, ref := range schema.Properties {
		if _, ok := sh.props[name]; !ok && ref.Value != nil {
			sh.props[name] = ref.Value
		}
	}
	if sh.items == nil && schema.Items != nil {
		sh.items = schema.Items.Value
	}
	for _, group := range []openapi3.SchemaRefs{schema.AllOf, schema.OneOf, schema.AnyOf} {
		for _, ref := range group {
			collectShape(ref.Value, sh, seen)
		}
	}
}
