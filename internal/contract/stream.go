package contract

import (
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// A large body is checked without its whole decoded tree, which costs about
// eight times the body for an array of small values (16 bytes an element).
// The decoder is guided by the schema: an array that one schema alone reads
// (through properties, items and allOf, never oneOf/anyOf/not) is checked
// element by element as it is read, and a value that no schema reads (an
// unknown field's array or object) is read for its syntax and problems only.
// Anything else is decoded whole, as for a small body.
//
// The findings are those of the whole tree, in the same order: kin-openapi
// is run on a tree where each streamed array is a stand-in, and a stand-in
// that kin-openapi reaches is replaced by what its elements gave:
//
//   - an array whose elements and length passed is held as keptItems, its
//     first minItems elements, which pass again;
//   - an array that failed is held as a *streamMark, which kin-openapi
//     rejects as a value of no JSON type; that one leaf is replaced by the
//     array's findings, in kin-openapi's order (minItems, maxItems, then
//     each element's).
//
// A failing subtree and a failing stand-in steer kin-openapi alike (allOf
// collects every part's failures), and a stand-in kin-openapi never reaches
// (an allOf failed first) drops its findings as the whole tree would.
// TestStreamedFindingsEqualWhole* and FuzzValidate hold the two paths to the
// same findings.

// streamFrom is the body size from which checkBody streams. Small bodies
// take the plain path: it is faster, and most bodies are small. A variable
// so that tests can stream every body.
var streamFrom = 1 << 20

// place is where a value sits in the schema, for the guided decoder. A nil
// place is decoded whole.
type place struct {
	// schema is the one schema that reads the value, reached without
	// oneOf/anyOf/not; nil for a value no schema reads.
	schema *openapi3.Schema
	// stream is set when the value, if an array, is streamed.
	stream *arrayPlan
}

// unread is the place of a value no schema reads.
var unread = &place{}

// skipped stands for a value no schema reads: nothing looks at it.
type skipped struct{}

func (at *place) ignored() bool { return at != nil && at.schema == nil }

// built is what a decoded object or array is held as at this place.
func (at *place) built(v any) any {
	if at.ignored() {
		return skipped{}
	}
	return v
}

// member is the place of the member key of an object at this place.
func (at *place) member(plan *objectPlan, key string) *place {
	switch {
	case at.ignored():
		return at
	case plan == nil || plan.opaque:
		return nil
	}
	if p, ok := plan.members[key]; ok {
		return p
	}
	return unread
}

// element is the place of an element of an array at this place that is not
// streamed.
func (at *place) element() *place {
	if at.ignored() {
		return at
	}
	return nil
}

// objectPlan says, for an object one schema reads, where each member sits.
type objectPlan struct {
	// members: the keys some schema reads, each with its place (nil when
	// more than one schema, or a oneOf/anyOf/not branch, reads it).
	members map[string]*place
	// opaque: the object is read as a whole (an enum, a discriminator,
	// additionalProperties): every member is decoded whole.
	opaque bool
}

// objectPlan of the object schema s reads, cached per validator.
func (v *Validator) objectPlan(s *openapi3.Schema) *objectPlan {
	if p, ok := v.plans.Load(s); ok {
		return p.(*objectPlan)
	}
	plan := &objectPlan{members: map[string]*place{}}
	readers := map[string]int{}
	direct := map[string]*openapi3.Schema{}
	var walk func(s *openapi3.Schema, direct bool, depth int)
	walk = func(sc *openapi3.Schema, isDirect bool, depth int) {
		if sc == nil {
			return
		}
		ap := sc.AdditionalProperties
		if depth > MaxJSONDepth || len(sc.Enum) > 0 || sc.Discriminator != nil || sc.Always != nil ||
			ap.Schema != nil || (ap.Has != nil && !*ap.Has) {
			plan.opaque = true
			return
		}
		for name, ref := range sc.Properties {
			readers[name]++
			if isDirect && ref.Value != nil {
				direct[name] = ref.Value
			}
		}
		for _, ref := range sc.AllOf {
			walk(ref.Value, isDirect, depth+1)
		}
		for _, group := range []openapi3.SchemaRefs{sc.OneOf, sc.AnyOf} {
			for _, ref := range group {
				walk(ref.Value, false, depth+1)
			}
		}
		if sc.Not != nil {
			walk(sc.Not.Value, false, depth+1)
		}
	}
	walk(s, true, 0)
	for name, n := range readers {
		// A read-only field is left out of a request before it is
		// checked (lenient.go): it is decoded whole, like any field read
		// twice.
		if ps := direct[name]; n == 1 && ps != nil && !ps.ReadOnly {
			plan.members[name] = &place{schema: ps, stream: v.arrayPlan(ps)}
		} else {
			plan.members[name] = nil
		}
	}
	v.plans.Store(s, plan)
	return plan
}

// arrayPlan is how an array schema is checked element by element; nil when
// it cannot be (a composition, an enum, uniqueItems need the whole array).
type arrayPlan struct {
	schema *openapi3.Schema
	items  *openapi3.Schema
	// level is the schema without items: what it says of the array
	// itself (minItems, maxItems), checked on a stand-in of nil elements.
	level *openapi3.Schema
	// each is the schema without what it says of the array: what a batch
	// of elements is checked with.
	each *openapi3.Schema
}

// maxStandIn bounds the stand-in of an array over maxItems.
const maxStandIn = 1 << 16

func (v *Validator) arrayPlan(s *openapi3.Schema) *arrayPlan {
	if s.Items == nil || s.Items.Value == nil || len(s.PrefixItems) > 0 || len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) > 0 ||
		s.Not != nil || len(s.Enum) > 0 || s.UniqueItems || s.Always != nil || s.Discriminator != nil ||
		!s.Type.Permits(openapi3.TypeArray) || s.MinItems > maxStandIn || (s.MaxItems != nil && *s.MaxItems >= maxStandIn) {
		return nil
	}
	level, each := *s, *s
	level.Items = nil
	each.MinItems, each.MaxItems = 0, nil
	return &arrayPlan{schema: s, items: s.Items.Value, level: &level, each: &each}
}

// standIn is an array of n nil elements' length as the schema judges it:
// n itself when it is short, else a length on the same side of maxItems.
func (p *arrayPlan) standIn(n int) []any {
	switch {
	case uint64(n) < p.schema.MinItems:
	case p.schema.MaxItems != nil && uint64(n) > *p.schema.MaxItems:
		n = int(*p.schema.MaxItems) + 1
	default:
		n = int(p.schema.MinItems)
	}
	return make([]any, n)
}

// guide is the state of one guided decode: how the body is checked, and
// what each streamed array gave.
type guide struct {
	v       *Validator
	side    Side
	lenient bool
	mode    Mode
	opts    []openapi3.SchemaValidationOption
	streams []*streamed
	// byPointer: the last array streamed at each pointer (a duplicate key
	// drops the earlier ones).
	byPointer map[string]*streamed
}

// streamed is what one streamed array gave.
type streamed struct {
	plan    *arrayPlan
	pointer string
	segs    []string // the pointer's segments, for the lenient walk
	n       int
	dropped bool
	// kept: the first minItems elements, the stand-in of an array that
	// passed.
	kept []any
	// The findings, by the stage of checkBody that makes them.
	relax, schema, unknown []Issue
	// batch: the elements from first on, not yet checked by the schema.
	batch      []any
	first      int
	batchBytes int
}

// keptItems holds an array that passed: kin-openapi checks it as the []any
// it is, the walks of lenient.go and unknown.go pass it by.
type keptItems []any

// streamMark holds an array that failed.
type streamMark struct{ s *streamed }

// count is the number of arrays streamed so far.
func (g *guide) count() int {
	if g == nil {
		return 0
	}
	return len(g.streams)
}

// dropBefore drops the arrays streamed at or under ptr before the first
// `before`: they were in a value that a duplicate key replaced.
func (g *guide) dropBefore(before int, ptr string) {
	if g == nil {
		return
	}
	for _, s := range g.streams[:before] {
		if s.pointer == ptr || (len(s.pointer) > len(ptr) && s.pointer[len(ptr)] == '/' && s.pointer[:len(ptr)] == ptr) {
			s.dropped = true
		}
	}
}

// begin starts an array the plan checks element by element (decoder.array):
// each element is decoded, checked as checkBody would check it in the whole
// tree, and dropped.
func (g *guide) begin(d *decoder, plan *arrayPlan) *streamed {
	s := &streamed{plan: plan, pointer: d.pointer()}
	if g.lenient {
		for _, tok := range d.path {
			if tok.isKey {
				s.segs = append(s.segs, tok.key)
			} else {
				s.segs = append(s.segs, strconv.Itoa(tok.index))
			}
		}
	}
	return s
}

// element checks element s.n of a streamed array as checkBody checks the
// whole tree: the leniency classes first, then the schema, then unknown
// fields.
//
// The schema checks elements a batch at a time, each batch as an array of
// the items schema: kin-openapi's settings cost more than a small element.
func (g *guide) element(s *streamed, elem any, size int) {
	plan := s.plan
	i := s.n
	s.n++
	var r Result
	if g.lenient {
		path := append(s.segs, strconv.Itoa(i))
		if nv, replaced := g.v.relax(&r, plan.items, elem, &path, g.mode); replaced {
			elem = nv
		}
		s.relax, r.Issues = append(s.relax, r.Issues...), r.Issues[:0]
	}
	s.batch = append(s.batch, elem)
	if s.batchBytes += size; len(s.batch) == batchLen || s.batchBytes >= batchBytes {
		g.checkBatch(s)
	}
	switch elem.(type) {
	case map[string]any, []any:
		g.v.reportUnknownFields(&r, g.side, plan.items, elem, s.pointer+"/"+strconv.Itoa(i), g.mode, nil)
		s.unknown = append(s.unknown, r.Issues...)
	}
	if uint64(i) < plan.schema.MinItems {
		s.kept = append(s.kept, elem)
	}
}

// finish checks the array's own keywords and returns its stand-in.
func (g *guide) finish(s *streamed) any {
	plan := s.plan
	g.checkBatch(s)
	g.streams = append(g.streams, s)
	g.byPointer[s.pointer] = s
	var r Result
	if err := plan.level.VisitJSON(plan.standIn(s.n), g.opts...); err != nil {
		r.addSchemaErrors(g.side, InBody, s.pointer, err)
	}
	s.schema = append(r.Issues, s.schema...)
	if len(s.schema) == 0 {
		return keptItems(s.kept)
	}
	return &streamMark{s: s}
}

// Elements are checked batchLen at a time, or fewer when they come to
// batchBytes of JSON: a decoded value is several times its text.
const (
	batchLen   = 1024
	batchBytes = 256 << 10
)

// checkBatch checks the elements held since the last batch.
func (g *guide) checkBatch(s *streamed) {
	if len(s.batch) == 0 {
		return
	}
	if err := s.plan.each.VisitJSON(s.batch, g.opts...); err != nil {
		var r Result
		for _, l := range leafSchemaErrors(err) {
			// The leaf is at /j/... in the batch: element first+j.
			ptr := s.pointer
			if segs := l.err.JSONPointer(); len(segs) > 0 {
				j, _ := strconv.Atoi(segs[0])
				ptr += "/" + strconv.Itoa(s.first+j) + pointer(segs[1:])
			}
			r.addLeaf(g.side, InBody, ptr, l)
		}
		s.schema = append(s.schema, r.Issues...)
	}
	clear(s.batch)
	s.batch, s.batchBytes, s.first = s.batch[:0], 0, s.n
}

// relaxed is what the streamed arrays found in the leniency classes.
func (g *guide) relaxed() []Issue {
	var out []Issue
	for _, s := range g.streams {
		if !s.dropped {
			out = append(out, s.relax...)
		}
	}
	return out
}

// unknownAt is what the streamed array a stand-in holds found in unknown
// fields.
func (g *guide) unknownAt(value any, ptr string) []Issue {
	switch val := value.(type) {
	case *streamMark:
		return val.s.unknown
	case keptItems:
		if g != nil && g.byPointer[ptr] != nil {
			return g.byPointer[ptr].unknown
		}
	}
	return nil
}

// addSchemaErrors is Result.addSchemaErrors for a tree with stand-ins: a
// streamMark's leaf becomes its array's findings.
func (g *guide) addSchemaErrors(res *Result, err error) {
	for _, l := range leafSchemaErrors(err) {
		if m, ok := l.err.Value.(*streamMark); ok && l.err.SchemaField == "type" {
			res.Issues = append(res.Issues, m.s.schema...)
			continue
		}
		res.addLeaf(g.side, InBody, l.pointer, l)
	}
}

// decodeGuided decodes a body the guided way; ok is false when the body is
// not the plain JSON this decoder reads, to be decoded the plain way.
func (v *Validator) decodeGuided(body []byte, schema *openapi3.Schema, side Side, lenient bool, mode Mode, opts []openapi3.SchemaValidationOption) (*guide, any, []bodyProblem, bool) {
	g := &guide{v: v, side: side, lenient: lenient, mode: mode, opts: opts, byPointer: map[string]*streamed{}}
	value, problems, err := decode(body, g, &place{schema: schema, stream: v.arrayPlan(schema)})
	if err != nil {
		return nil, nil, nil, false
	}
	return g, value, problems, true
}
