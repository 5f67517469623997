package openapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/groundtruth"
	"github.com/kconform/kconform/openapi"
)

func loadDoc(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatalf("load kconform.yaml: %v", err)
	}
	return doc
}

func TestDocumentIsValidOpenAPI(t *testing.T) {
	doc := loadDoc(t)
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("kconform.yaml does not validate: %v", err)
	}
}

func TestEveryOperationIsNamedTaggedAndAuthenticated(t *testing.T) {
	doc := loadDoc(t)
	if s := doc.Components.SecuritySchemes["basicAuth"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "basic" {
		t.Fatalf("components.securitySchemes.basicAuth must be HTTP Basic")
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			}
			if len(op.Tags) == 0 {
				t.Errorf("%s has no tag", where)
			}
			for _, status := range []int{401, 429} {
				if op.Responses.Status(status) == nil {
					t.Errorf("%s does not document %d", where, status)
				}
			}
		}
	}
}

// Every 4xx/5xx with a JSON body uses the shared error schema.
func TestEveryErrorResponseUsesErrorV2(t *testing.T) {
	doc := loadDoc(t)
	errorV2 := doc.Components.Schemas["ErrorV2"].Value
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code, ref := range op.Responses.Map() {
				if code[0] != '4' && code[0] != '5' {
					continue
				}
				media := ref.Value.Content.Get("application/json")
				if media == nil {
					t.Errorf("%s %s %s has no application/json body", method, path, code)
					continue
				}
				if media.Schema.Value != errorV2 {
					t.Errorf("%s %s %s: JSON body is not #/components/schemas/ErrorV2", method, path, code)
				}
			}
		}
	}
}

// referenceStatuses are the operations and statuses of reference/klarna-api.md
// §1.1 and §2.1, plus 401 and 429 which the contract adds everywhere (D-auth,
// real 429 captures) and 500 for KP (D-kperr).
var referenceStatuses = map[string][]string{
	"createHppSession":     {"201", "400", "401", "403", "404", "429"},
	"getSessionById":       {"200", "401", "403", "404", "429"},
	"disableHppSession":    {"204", "400", "401", "403", "404", "429"},
	"distributeHppSession": {"201", "204", "400", "401", "403", "404", "429", "503"},
	"createCreditSession":  {"200", "400", "401", "403", "429", "500"},
	"readCreditSession":    {"200", "401", "403", "404", "429", "500"},
	"updateCreditSession":  {"204", "400", "401", "403", "404", "429", "500"},
	"createOrder":          {"200", "400", "401", "403", "404", "409", "429", "500"},
	"cancelAuthorization":  {"204", "401", "403", "404", "429", "500"},
	"purchaseToken":        {"200", "400", "401", "403", "404", "409", "429", "500"},
	// KCO orders, hosted by HPP (issue 16): K-kco-api, K-kco-err.
	"createCheckoutOrder": {"201", "400", "401", "403", "429", "500"},
	"readCheckoutOrder":   {"200", "401", "403", "404", "429", "500"},
}

func TestDocumentCoversEveryReferenceOperationAndStatus(t *testing.T) {
	doc := loadDoc(t)
	found := map[string][]string{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			var codes []string
			for code := range op.Responses.Map() {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			found[op.OperationID] = codes
		}
	}
	for id, want := range referenceStatuses {
		got, ok := found[id]
		if !ok {
			t.Errorf("operation %s is missing", id)
			continue
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s documents %v, want exactly %v", id, got, want)
		}
	}
	if len(found) != len(referenceStatuses) {
		t.Errorf("document has %d operations, reference has %d", len(found), len(referenceStatuses))
	}
}

// schemaNames maps a reference appendix schema to the contract's schema that
// holds its fields (state rules wrap the field lists, see x-go-type).
var schemaNames = map[string]string{
	"SessionResponseV1":     "SessionFieldsV1",
	"DistributionRequestV1": "DistributionFieldsV1",
}

// enumsNotEnforced are appendix enums the contract deliberately drops, each
// with an x-kconform-note in the document.
var enumsNotEnforced = map[string]bool{
	"DistributionContactV1.access_id": true, // three example values: an authoring artifact
}

// enumsExtended are appendix enums the contract widens with values newer
// evidence shows; the contract keeps every appendix value and says why in an
// x-kconform-note on the enum.
var enumsExtended = map[string]string{
	// D-kpinit lists buy_and_link and buy_and_default_tokenize (reference §8).
	"session.intent":        "intent",
	"session_create.intent": "intent",
	"session_read.intent":   "intent",
}

// TestDocumentHasEveryAppendixField reads Appendix A and B of the reference
// (the field tables generated from Klarna's own documents) and checks each
// schema, field, required list and enum is in the contract.
func TestDocumentHasEveryAppendixField(t *testing.T) {
	f, err := os.Open(groundtruth.Path(t, "reference", "klarna-api.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc := loadDoc(t)

	header := regexp.MustCompile("^\\*\\*`([A-Za-z0-9_]+)`\\*\\* — required: `\\[(.*)\\]`")
	row := regexp.MustCompile("^\\| `([a-z0-9_]+)` \\| ([^|]*) \\| ([^|]*) \\|")
	enumRe := regexp.MustCompile(`enum=\[([^\]]*)\]`)
	inAppendix := false
	var current *openapi3.Schema
	var currentName string
	checked := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## Appendix") {
			inAppendix = true
			continue
		}
		if !inAppendix {
			continue
		}
		if m := header.FindStringSubmatch(line); m != nil {
			currentName = m[1]
			name := currentName
			if alias, ok := schemaNames[name]; ok {
				name = alias
			}
			sref := doc.Components.Schemas[name]
			if sref == nil {
				t.Errorf("schema %s (reference %s) is missing", name, currentName)
				current = nil
				continue
			}
			current = sref.Value
			for _, req := range splitQuoted(m[2]) {
				if !contains(current.Required, req) {
					t.Errorf("%s: reference requires %q, the contract does not", currentName, req)
				}
			}
			continue
		}
		m := row.FindStringSubmatch(line)
		if m == nil || current == nil {
			continue
		}
		field := m[1]
		prop := current.Properties[field]
		if prop == nil {
			t.Errorf("%s.%s is in the reference but not in the contract", currentName, field)
			continue
		}
		checked++
		if em := enumRe.FindStringSubmatch(m[3]); em != nil && !enumsNotEnforced[currentName+"."+field] {
			want := splitQuoted(em[1])
			got := enumOf(prop.Value)
			if schema, ok := enumsExtended[currentName+"."+field]; ok {
				checkExtendedEnum(t, doc, currentName+"."+field, schema, got, want)
			} else if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s.%s enum is %v, reference says %v", currentName, field, got, want)
			}
		}
	}
	if checked < 150 {
		t.Fatalf("only %d appendix fields were checked; the reference format may have changed", checked)
	}
	t.Logf("%d appendix fields checked", checked)
}

// checkExtendedEnum: a widened enum keeps every reference value, adds at
// least one, and its schema carries the note and source saying why.
func checkExtendedEnum(t *testing.T, doc *openapi3.T, field, schema string, got, want []string) {
	t.Helper()
	for _, w := range want {
		if !contains(got, w) {
			t.Errorf("%s enum %v lost the reference value %q", field, got, w)
		}
	}
	if len(got) <= len(want) {
		t.Errorf("%s is listed in enumsExtended but its enum %v adds nothing to %v", field, got, want)
	}
	s := doc.Components.Schemas[schema].Value
	if s.Extensions["x-kconform-note"] == nil || s.Extensions["x-kconform-source"] == nil {
		t.Errorf("%s: the widened enum %s needs an x-kconform-note and an x-kconform-source", field, schema)
	}
}

func enumOf(s *openapi3.Schema) []string {
	if s.Items != nil && s.Items.Value != nil && len(s.Enum) == 0 {
		s = s.Items.Value
	}
	var out []string
	for _, e := range s.Enum {
		out = append(out, e.(string))
	}
	return out
}

func splitQuoted(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.Trim(strings.TrimSpace(part), `"'`)
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// extension decodes one vendor extension of a schema into out.
func extension(t *testing.T, doc *openapi3.T, schema, name string, out any) *openapi3.Schema {
	t.Helper()
	ref := doc.Components.Schemas[schema]
	if ref == nil || ref.Value == nil {
		t.Fatalf("components.schemas.%s is missing", schema)
	}
	raw, ok := ref.Value.Extensions[name]
	if !ok {
		t.Fatalf("components.schemas.%s has no %s", schema, name)
	}
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatalf("%s.%s: %v", schema, name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		t.Fatalf("%s.%s does not parse: %v", schema, name, err)
	}
	return ref.Value
}

// The state machine holds together (contract.ReadStateMachine checks it
// against the enum) and has the documented edges of reference §3.1.
func TestHppStatusTransitionsFollowTheEnum(t *testing.T) {
	v, err := contract.Load(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	m, err := v.StateMachine()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Source, "§3.1") {
		t.Errorf("x-kconform-transitions note must cite reference §3.1, got %q", m.Source)
	}
	// The documented edges of reference §3.1, so that a slip in the YAML shows.
	for _, e := range [][2]string{
		{"WAITING", "IN_PROGRESS"}, {"IN_PROGRESS", "COMPLETED"}, {"IN_PROGRESS", "FAILED"}, {"IN_PROGRESS", "BACK"},
		{"IN_PROGRESS", "CANCELLED"}, {"IN_PROGRESS", "ERROR"}, {"FAILED", "IN_PROGRESS"}, {"BACK", "IN_PROGRESS"},
		{"ERROR", "IN_PROGRESS"}, {"WAITING", "DISABLED"}, {"IN_PROGRESS", "DISABLED"}, {"FAILED", "DISABLED"},
		{"BACK", "DISABLED"}, {"ERROR", "DISABLED"}, {"MANUAL_ID_CHECK", "DISABLED"},
	} {
		if !m.Documented(e[0], e[1]) {
			t.Errorf("edge %s→%s (reference §3.1) is missing", e[0], e[1])
		}
	}
	// The one edge no page documents says so.
	if !m.Documented("IN_PROGRESS", "MANUAL_ID_CHECK") || !strings.Contains(m.Source, "assumption A-manual-id-check") {
		t.Errorf("IN_PROGRESS→MANUAL_ID_CHECK must be listed and labelled assumption A-manual-id-check")
	}
}

// placeholdersExtension is x-kconform-placeholders on components.schemas.MerchantUrlsV1.
type placeholdersExtension struct {
	Note         string `json:"x-kconform-note"`
	Placeholders []struct {
		Name      string   `json:"name"`
		Fields    []string `json:"fields"`
		Condition string   `json:"condition"`
	} `json:"placeholders"`
}

func TestMerchantURLPlaceholdersNameRealFields(t *testing.T) {
	doc := loadDoc(t)
	var ph placeholdersExtension
	s := extension(t, doc, "MerchantUrlsV1", "x-kconform-placeholders", &ph)
	if !strings.Contains(ph.Note, "§1.3") {
		t.Errorf("x-kconform-placeholders note must cite reference §1.3, got %q", ph.Note)
	}
	var names []string
	for _, p := range ph.Placeholders {
		names = append(names, p.Name)
		if p.Condition == "" {
			t.Errorf("%s has no condition", p.Name)
		}
		if len(p.Fields) == 0 {
			t.Errorf("%s names no field", p.Name)
		}
		for _, f := range p.Fields {
			if s.Properties[f] == nil {
				t.Errorf("%s: %q is not a property of MerchantUrlsV1", p.Name, f)
			}
		}
	}
	want := []string{"{{session_id}}", "{{authorization_token}}", "{{order_id}}"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("placeholders = %v, want the documented %v (reference §1.3)", names, want)
	}
}
