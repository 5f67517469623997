package coverage

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kconform/kconform/internal/contract"
	"go.yaml.in/yaml/v3"
)

// Where the document keeps what coverage compares a run with.
const (
	merchantURLsSchema    = "MerchantUrlsV1"
	placeholdersExtension = "x-kconform-placeholders"
)

// document is what coverage needs of the OpenAPI document, in its order.
type document struct {
	operations   []docOperation
	callbacks    []docCallback
	machine      *contract.StateMachine // the HPP state machine, as contract reads it
	placeholders []docPlaceholder
}

type docOperation struct {
	api, id, method, path string
	statuses              []int
}

type docCallback struct {
	api, id, name, expression string
}

type docPlaceholder struct {
	Name      string   `json:"name"`
	Fields    []string `json:"fields"`
	Condition string   `json:"condition"`
}

// readDocument reads the contract as v loaded it, and its source with yaml
// for its order: kin-openapi keeps paths and methods in maps, and a report
// that lists operations in the order the document does is easier to check
// against it.
func readDocument(v *contract.Validator) (*document, error) {
	doc := v.Document()
	order, err := pathOrder(v.Spec())
	if err != nil {
		return nil, err
	}
	d := &document{}
	for _, po := range order {
		item := doc.Paths.Value(po.path)
		if item == nil {
			continue
		}
		for _, method := range po.methods {
			op := item.GetOperation(strings.ToUpper(method))
			if op == nil {
				continue
			}
			api := ""
			if len(op.Tags) > 0 {
				api = strings.ToUpper(op.Tags[0])
			}
			d.operations = append(d.operations, docOperation{
				api: api, id: op.OperationID, method: strings.ToUpper(method), path: po.path, statuses: statusCodes(op.Responses),
			})
			for _, name := range slices.Sorted(maps.Keys(op.Callbacks)) {
				cb := op.Callbacks[name]
				if cb == nil || cb.Value == nil {
					continue
				}
				for _, expr := range slices.Sorted(maps.Keys(cb.Value.Map())) {
					for _, cop := range cb.Value.Value(expr).Operations() {
						d.callbacks = append(d.callbacks, docCallback{api: api, id: cop.OperationID, name: name, expression: expr})
					}
				}
			}
		}
	}
	if d.machine, err = v.StateMachine(); err != nil {
		return nil, err
	}
	if err := d.readPlaceholders(doc); err != nil {
		return nil, err
	}
	return d, nil
}

func schema(doc *openapi3.T, name string) *openapi3.SchemaRef {
	if doc.Components == nil {
		return nil
	}
	return doc.Components.Schemas[name]
}

func (d *document) readPlaceholders(doc *openapi3.T) error {
	ref := schema(doc, merchantURLsSchema)
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("the document has no components.schemas.%s", merchantURLsSchema)
	}
	var ext struct {
		Placeholders []docPlaceholder `json:"placeholders"`
	}
	if err := contract.DecodeExtension(ref.Value.Extensions, placeholdersExtension, &ext); err != nil {
		return fmt.Errorf("components.schemas.%s: %w", merchantURLsSchema, err)
	}
	d.placeholders = ext.Placeholders
	return nil
}

// statusCodes are the documented numeric statuses, ascending; "default" and
// ranges such as "4XX" name no single status and are left out.
func statusCodes(r *openapi3.Responses) []int {
	if r == nil {
		return nil
	}
	var out []int
	for k := range r.Map() {
		if n, err := strconv.Atoi(k); err == nil {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

type pathMethods struct {
	path    string
	methods []string
}

var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true,
}

// pathOrder reads the keys of paths, and the methods under each, in the
// order they are written.
func pathOrder(spec []byte) ([]pathMethods, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(spec, &root); err != nil {
		return nil, fmt.Errorf("read the OpenAPI document's order: %w", err)
	}
	paths := mappingValue(&root, "paths")
	if paths == nil {
		return nil, nil
	}
	var out []pathMethods
	for i := 0; i+1 < len(paths.Content); i += 2 {
		pm := pathMethods{path: paths.Content[i].Value}
		item := paths.Content[i+1]
		for j := 0; item.Kind == yaml.MappingNode && j+1 < len(item.Content); j += 2 {
			if k := strings.ToLower(item.Content[j].Value); httpMethods[k] {
				pm.methods = append(pm.methods, k)
			}
		}
		out = append(out, pm)
	}
	return out, nil
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
