package contract

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/kconform/kconform/openapi"
)

// Validator checks exchanges against one loaded OpenAPI document. It is safe
// for concurrent use; build it once and share it.
type Validator struct {
	spec       []byte // what doc was loaded from
	doc        *openapi3.T
	operations []*Operation
	byID       map[string]*Operation
	schemaOpts []openapi3.SchemaValidationOption
	shapes     sync.Map // *openapi3.Schema -> *shape, for the unknown-field walk
	plans      sync.Map // *openapi3.Schema -> *objectPlan, for the guided decode

	machineOnce sync.Once
	machine     *StateMachine
	machineErr  error
}

// Operation is one operation of the document.
type Operation struct {
	ID     string
	Method string
	// Path is the template, e.g. /hpp/v1/sessions/{session_id}; empty for a callback.
	Path string
	// Callback is true for an operation that Klarna sends to a merchant URL.
	Callback bool

	segments []string
	op       *openapi3.Operation
	route    *routers.Route
}

// Responses returns the documented status codes of the operation, sorted.
func (o *Operation) Responses() []string {
	keys := make([]string, 0, o.op.Responses.Len())
	for k := range o.op.Responses.Map() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var (
	defaultOnce      sync.Once
	defaultValidator *Validator
	defaultErr       error
)

// Default returns the validator for the embedded kconform document, loading
// it on first use.
func DefaultValidator() (*Validator, error) {
	defaultOnce.Do(func() { defaultValidator, defaultErr = Load(openapi.Spec) })
	return defaultValidator, defaultErr
}

// Load parses and validates an OpenAPI document and prepares it for checking
// exchanges.
func Load(spec []byte) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %w", err)
	}
	registerFormats(doc)
	v := &Validator{
		spec:       spec,
		doc:        doc,
		byID:       map[string]*Operation{},
		schemaOpts: append(doc.GetSchemaValidationOptions(), openapi3.MultiErrors()),
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			o := &Operation{
				ID:       op.OperationID,
				Method:   method,
				Path:     path,
				segments: splitPath(path),
				op:       op,
				route:    &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
			}
			if err := v.add(o); err != nil {
				return nil, err
			}
			if err := v.addCallbacks(op); err != nil {
				return nil, err
			}
		}
	}
	// Literal segments win over parameters when two templates could match.
	sort.SliceStable(v.operations, func(i, j int) bool {
		return literalCount(v.operations[i].segments) > literalCount(v.operations[j].segments)
	})
	return v, nil
}

func (v *Validator) add(o *Operation) error {
	if o.ID == "" {
		return fmt.Errorf("operation %s %s has no operationId", o.Method, o.Path)
	}
	if _, dup := v.byID[o.ID]; dup {
		return fmt.Errorf("operationId %q is used twice", o.ID)
	}
	v.byID[o.ID] = o
	if !o.Callback {
		v.operations = append(v.operations, o)
	}
	return nil
}

func (v *Validator) addCallbacks(op *openapi3.Operation) error {
	for _, cb := range op.Callbacks {
		for _, expr := range cb.Value.Map() {
			for method, cop := range expr.Operations() {
				if err := v.add(&Operation{ID: cop.OperationID, Method: method, Callback: true, op: cop}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Document returns the loaded document (read-only: do not modify it).
func (v *Validator) Document() *openapi3.T { return v.doc }

// Spec returns the bytes the document was loaded from (read-only), for a
// reader that needs what loading drops, such as the order of the paths.
func (v *Validator) Spec() []byte { return v.spec }

// Operation returns the operation with the given operationId, or nil.
func (v *Validator) Operation(id string) *Operation { return v.byID[id] }

// Operations returns every routable (non-callback) operation.
func (v *Validator) Operations() []*Operation {
	return append([]*Operation(nil), v.operations...)
}

// Match errors.
var (
	ErrNoOperation      = fmt.Errorf("no operation of the contract has this path")
	ErrMethodNotAllowed = fmt.Errorf("the contract has this path, but not with this method")
)

// Find matches a method and URL to an operation. Any host matches, so
// playground, production, mock and loopback URLs all work; a path under a
// prefix (a mock mounted at /klarna/...) matches too. It returns the path
// parameters, unescaped.
func (v *Validator) Find(method, rawURL string) (*Operation, map[string]string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the whole URL, userinfo and all.
		return nil, nil, fmt.Errorf("URL cannot be parsed")
	}
	segs := splitPath(u.EscapedPath())
	pathFound := false
	// Try the whole path first, then drop leading segments one at a time.
	for start := 0; start < len(segs); start++ {
		for _, o := range v.operations {
			params, ok := matchSegments(o.segments, segs[start:])
			if !ok {
				continue
			}
			if o.Method != strings.ToUpper(method) {
				pathFound = true
				continue
			}
			return o, params, nil
		}
		if pathFound {
			return nil, nil, ErrMethodNotAllowed
		}
	}
	return nil, nil, ErrNoOperation
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func literalCount(segs []string) int {
	n := 0
	for _, s := range segs {
		if !isParam(s) {
			n++
		}
	}
	return n
}

func isParam(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}

func matchSegments(template, path []string) (map[string]string, bool) {
	if len(template) != len(path) {
		return nil, false
	}
	var params map[string]string
	for i, t := range template {
		if isParam(t) {
			if path[i] == "" {
				return nil, false
			}
			val, err := url.PathUnescape(path[i])
			if err != nil {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, 2)
			}
			params[t[1:len(t)-1]] = val
			continue
		}
		if t != path[i] {
			return nil, false
		}
	}
	return params, true
}

// registerFormats makes the document check the formats it uses that
// kin-openapi leaves unchecked by default. They are scoped to this document,
// not registered globally, so nothing else in the process is affected.
func registerFormats(doc *openapi3.T) {
	doc.SetStringFormatValidator("uri", openapi3.NewCallbackValidator(validateAbsoluteURI))
	doc.SetStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail))
	doc.SetStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122))
}

// validateAbsoluteURI accepts an absolute http(s) URL with a host: what every
// URL field in the contract holds.
func validateAbsoluteURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("not an absolute http(s) URL")
	}
	if u.Host == "" {
		return fmt.Errorf("URL has no host")
	}
	return nil
}

// requestOptions are what kin-openapi's request check needs: every error,
// this document's formats, and no authentication check (credentials are
// the suites' business, and recordings have them redacted). The body is
// checked by kconform itself, the same way as a response body.
func (v *Validator) requestOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:              true,
		ExcludeRequestBody:      true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: v.schemaOpts,
	}
}
