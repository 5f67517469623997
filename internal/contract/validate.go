package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/kconform/kconform/internal/exchange"
)

// extEmptyBodyAllowed marks a response that real servers send with no body.
const extEmptyBodyAllowed = "x-kconform-empty-body-allowed"

// Validate checks both halves of an exchange. When the response is a 4xx,
// the server rejected the request, which is what the contract asks of a bad
// request: request issues are then reported as warnings, not violations, so
// a correct rejection of a bad request conforms.
func (v *Validator) Validate(ex exchange.Exchange, mode Mode) Result {
	res := v.ValidateResponse(ex, mode)
	req := v.ValidateRequest(ex, mode)
	if ex.Status >= 400 && ex.Status < 500 {
		for i := range req.Issues {
			req.Issues[i].Severity = Warning
		}
	}
	// Both halves report the same routing problem; keep it once.
	if res.Operation == "" {
		return res
	}
	res.merge(req)
	return res
}

// ValidateRequest checks the request half: path, query and header parameters,
// content type and body.
func (v *Validator) ValidateRequest(ex exchange.Exchange, mode Mode) Result {
	op, params, res := v.route(ex, Request, mode)
	if op == nil {
		return res
	}
	httpReq, err := http.NewRequest(op.Method, ex.URL, http.NoBody)
	if err != nil {
		res.add(Violation, Request, InRoute, "", RuleParameter, "request URL cannot be parsed")
		return res
	}
	httpReq.Header = ex.RequestHeader
	if httpReq.Header == nil {
		httpReq.Header = http.Header{}
	}
	in := &openapi3filter.RequestValidationInput{
		Request: httpReq, PathParams: params, Route: op.route, Options: v.requestOptions(),
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		res.addRequestErrors(err)
	}
	v.checkRequestBody(&res, op, ex.RequestHeader.Get("Content-Type"), ex.RequestBody, mode)
	return res
}

// ValidateResponse checks the response half: status, headers, content type
// and body, against the operation the request matched.
func (v *Validator) ValidateResponse(ex exchange.Exchange, mode Mode) Result {
	op, _, res := v.route(ex, Response, mode)
	if op == nil {
		return res
	}
	v.checkResponse(&res, op, ex.Status, ex.ResponseHeader, ex.ResponseBody, mode)
	return res
}

// ValidateBody checks a body alone against an operation: the request body
// (side Request) or the body of one response status (side Response). It is
// what fixtures and callback bodies are checked with.
func (v *Validator) ValidateBody(operationID string, side Side, status int, contentType string, body []byte, mode Mode) (Result, error) {
	op := v.Operation(operationID)
	if op == nil {
		return Result{}, fmt.Errorf("unknown operation %q", operationID)
	}
	res := Result{Operation: op.ID}
	if side == Request {
		v.checkRequestBody(&res, op, contentType, body, mode)
		return res, nil
	}
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	resp := lookupResponse(op, status)
	if resp == nil {
		res.add(mode.addition(), Response, InStatus, strconv.Itoa(status), RuleUndocumentedStatus,
			fmt.Sprintf("status %d is not documented for %s (documented: %s)", status, op.ID, strings.Join(op.Responses(), ", ")))
		return res, nil
	}
	v.checkBody(&res, Response, resp.Content, false, contentType, body, nil, false, mode)
	return res, nil
}

// ValidateCallback checks a callback request that Klarna sends to a merchant
// URL (hppStatusUpdateCallback, kpAuthorizationCallback).
func (v *Validator) ValidateCallback(operationID string, contentType string, body []byte, mode Mode) (Result, error) {
	op := v.Operation(operationID)
	if op == nil || !op.Callback {
		return Result{}, fmt.Errorf("%q is not a callback of the contract", operationID)
	}
	return v.ValidateBody(operationID, Request, 0, contentType, body, mode)
}

func (v *Validator) route(ex exchange.Exchange, side Side, mode Mode) (*Operation, map[string]string, Result) {
	op, params, err := v.Find(ex.Method, ex.URL)
	switch {
	case err == nil:
		return op, params, Result{Operation: op.ID}
	case errors.Is(err, ErrMethodNotAllowed):
		var r Result
		r.add(mode.addition(), side, InRoute, "", RuleMethodNotAllowed, fmt.Sprintf("%s %s: %v", ex.Method, exchange.RedactURL(ex.URL), err))
		return nil, nil, r
	default:
		var r Result
		r.add(mode.addition(), side, InRoute, "", RuleUnknownOperation, fmt.Sprintf("%s %s: %v", ex.Method, exchange.RedactURL(ex.URL), err))
		return nil, nil, r
	}
}

func (r *Result) add(sev Severity, side Side, in, pointer, rule, msg string) {
	r.Issues = append(r.Issues, Issue{Severity: sev, Side: side, In: in, Pointer: pointer, Rule: rule, Message: msg})
}

// lookupResponse finds the documented response for a status: the exact
// code, then its range (2XX), then default.
func lookupResponse(op *Operation, status int) *openapi3.Response {
	if ref := op.op.Responses.Status(status); ref != nil && ref.Value != nil {
		return ref.Value
	}
	if ref := op.op.Responses.Default(); ref != nil && ref.Value != nil {
		return ref.Value
	}
	return nil
}

func (v *Validator) checkResponse(res *Result, op *Operation, status int, header http.Header, body []byte, mode Mode) {
	resp := lookupResponse(op, status)
	if resp == nil {
		res.add(mode.addition(), Response, InStatus, strconv.Itoa(status), RuleUndocumentedStatus,
			fmt.Sprintf("status %d is not documented for %s (documented: %s)", status, op.ID, strings.Join(op.Responses(), ", ")))
		return
	}
	for _, name := range sortedKeys(resp.Headers) {
		h := resp.Headers[name].Value
		val := header.Get(name)
		if val == "" {
			if h.Required {
				res.add(Violation, Response, InHeader, name, RuleHeaderMissing, fmt.Sprintf("header %s is required on %d", name, status))
			}
			continue
		}
		if h.Schema != nil && h.Schema.Value != nil {
			if err := h.Schema.Value.VisitJSON(val, v.schemaOpts...); err != nil {
				res.add(Violation, Response, InHeader, name, RuleHeaderInvalid, safeMessage(err))
			}
		}
	}
	emptyAllowed, _ := resp.Extensions[extEmptyBodyAllowed].(bool)
	// Response bodies are visited without VisitAsResponse: it only adds
	// writeOnly checks (the contract has no writeOnly field) and costs a deep
	// copy of the body per oneOf alternative.
	value := v.checkBody(res, Response, resp.Content, emptyAllowed, header.Get("Content-Type"), body, nil, false, mode)
	checkCorrelationID(res, header, value)
}

func (v *Validator) checkRequestBody(res *Result, op *Operation, contentType string, body []byte, mode Mode) {
	rb := op.op.RequestBody
	if rb == nil || rb.Value == nil {
		if len(bytes.TrimSpace(body)) > 0 {
			res.add(mode.addition(), Request, InBody, "", RuleBodyUnexpected, op.ID+" takes no request body")
		}
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if rb.Value.Required {
			res.add(Violation, Request, InBody, "", RuleBodyMissing, op.ID+" requires a request body")
		}
		return
	}
	// The leniency classes are for what clients send; a callback is sent by
	// Klarna, and is held to the contract like a response.
	v.checkBody(res, Request, rb.Value.Content, false, contentType, body, openapi3.VisitAsRequest(), !op.Callback, mode)
}

// checkBody validates a body against the content the contract lists for it
// and returns the decoded JSON value (nil when it is not JSON). lenient
// applies the request leniency classes (lenient.go) first.
func (v *Validator) checkBody(res *Result, side Side, content openapi3.Content, emptyAllowed bool, contentType string, body []byte, as openapi3.SchemaValidationOption, lenient bool, mode Mode) any {
	empty := len(bytes.TrimSpace(body)) == 0
	if len(content) == 0 {
		if !empty {
			res.add(mode.addition(), side, InBody, "", RuleBodyUnexpected, "the contract lists no body here")
		}
		return nil
	}
	if empty {
		if !emptyAllowed {
			res.add(Violation, side, InBody, "", RuleBodyMissing, "a body is required: "+strings.Join(sortedKeys(content), " or "))
		}
		return nil
	}
	media := content.Get(contentType)
	if media == nil {
		got := contentType
		if got == "" {
			got = "none"
		}
		res.add(Violation, side, InContentType, "", RuleContentType,
			fmt.Sprintf("content type %s is not documented here (documented: %s)", got, strings.Join(sortedKeys(content), ", ")))
		return nil
	}
	if !isJSON(contentType) {
		return nil // text/html and the like: the schema is a plain string.
	}
	if TooDeep(body) {
		res.add(Violation, side, InBody, "", RuleBodyTooDeep, fmt.Sprintf("body is nested more than %d levels deep", MaxJSONDepth))
		return nil
	}
	var schema *openapi3.Schema
	if media.Schema != nil {
		schema = media.Schema.Value
	}
	opts := v.schemaOpts
	if as != nil {
		opts = append([]openapi3.SchemaValidationOption{as}, opts...)
	}
	var (
		g        *guide
		value    any
		problems []bodyProblem
		err      error
		guided   bool
	)
	if schema != nil && len(body) >= streamFrom {
		g, value, problems, guided = v.decodeGuided(body, schema, side, lenient, mode, opts)
	}
	if !guided {
		value, problems, err = decodeBody(body)
	}
	if err != nil {
		reason := jsonErrorReason(err)
		if bytes.HasPrefix(body, utf8BOM) {
			// encoding/json names the BOM's first byte as the character 'ï'.
			reason = "it starts with a byte order mark (EF BB BF), which RFC 8259 §8.1 forbids in JSON sent over a network"
		}
		res.add(Violation, side, InBody, "", RuleBodyMalformed, "body is not valid JSON: "+reason)
		return nil
	}
	// Pointers of numbers out of range: the decoder holds each as the
	// largest float64, a stand-in the schema must not judge.
	var outOfRange map[string]bool
	for _, p := range problems {
		// RFC 8259 §4: names within an object SHOULD be unique, and readers
		// of one with duplicates differ in which value they keep. Klarna
		// documents nothing about them: a violation is an assumption, made
		// because a client and Klarna could read different values. A
		// number beyond float64 (RFC 8259 §6: beyond IEEE 754 double is not
		// interoperable) cannot be checked against a minimum or maximum.
		// Both are reported and the rest of the body is checked on.
		res.add(Violation, side, InBody, p.pointer, p.rule, p.message)
		if p.rule == RuleNumberOutOfRange {
			if outOfRange == nil {
				outOfRange = map[string]bool{}
			}
			outOfRange[p.pointer] = true
		}
	}
	if schema == nil {
		return value
	}
	checked := len(res.Issues)
	if lenient {
		value = v.relaxRequest(res, schema, value, mode)
		if g != nil {
			if more := g.relaxed(); len(more) > 0 {
				res.Issues = append(res.Issues, more...)
				sortByPointer(res.Issues[checked:])
			}
		}
	}
	if err := schema.VisitJSON(value, opts...); err != nil {
		if g != nil {
			g.addSchemaErrors(res, err)
		} else {
			res.addSchemaErrors(side, InBody, "", err)
		}
	}
	v.reportUnknownFields(res, side, schema, value, "", mode, g)
	if outOfRange != nil {
		// What the schema says of a stand-in is not about the body: the
		// number-out-of-range issue speaks for its pointer.
		kept := slices.DeleteFunc(res.Issues[checked:], func(i Issue) bool {
			return outOfRange[i.Pointer]
		})
		res.Issues = res.Issues[:checked+len(kept)]
	}
	foldIntoDuplicates(res, checked)
	return value
}

// foldIntoDuplicates makes each duplicate key one defect: its value is in
// doubt, so what the schema says of the value kept (at the key or under
// it) and of the shape of the object holding it (oneOf, anyOf: the key
// may decide it) follows from the duplicate. Those violations, from
// res.Issues[from:], are left out and named in the duplicate-key issue.
func foldIntoDuplicates(res *Result, from int) {
	for d := range res.Issues[:from] {
		dup := &res.Issues[d]
		if dup.Rule != RuleBodyDuplicateKey {
			continue
		}
		parent := dup.Pointer[:strings.LastIndex(dup.Pointer, "/")+1]
		parent = strings.TrimSuffix(parent, "/")
		var folded []string
		kept := slices.DeleteFunc(res.Issues[from:], func(i Issue) bool {
			follows := i.Severity == Violation && i.Side == dup.Side && i.In == dup.In &&
				(i.Pointer == dup.Pointer || strings.HasPrefix(i.Pointer, dup.Pointer+"/") ||
					((i.Rule == "schema.oneOf" || i.Rule == "schema.anyOf") && i.Pointer == parent))
			if follows {
				where := i.Pointer
				if where == "" {
					where = "(root)"
				}
				folded = append(folded, where+" ["+i.Rule+"]")
			}
			return follows
		})
		res.Issues = res.Issues[:from+len(kept)]
		if len(folded) > 0 {
			dup.Message += "; with it the body also fails " + strings.Join(folded, ", ") + ", counted here"
		}
	}
}

// checkCorrelationID: a JSON error body's correlation_id equals the
// Klarna-Correlation-Id header (REC: every recorded KP error).
func checkCorrelationID(res *Result, header http.Header, body any) {
	obj, ok := body.(map[string]any)
	if !ok {
		return
	}
	inBody, ok := obj["correlation_id"].(string)
	inHeader := header.Get("Klarna-Correlation-Id")
	if !ok || inHeader == "" || inBody == inHeader {
		return
	}
	res.add(Violation, Response, InBody, "/correlation_id", RuleCorrelationMismatch,
		"correlation_id differs from the Klarna-Correlation-Id header")
}

var utf8BOM = []byte("\ufeff")

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0])
	}
	mt = strings.ToLower(mt)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func jsonErrorReason(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%s (at byte %d)", syn.Error(), syn.Offset)
	}
	return err.Error()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}
