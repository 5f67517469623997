package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/jsonscan"
)

// maxRequestBody: 1000 order lines (the contract's maximum) of a few
// hundred bytes each fit with room to spare.
const maxRequestBody = 8 << 20

// validateRequests checks every API request against the contract in default
// mode, the mode that accepts what Klarna accepts (unknown fields are only
// warnings), and answers a violation with Klarna's 400 BAD_VALUE naming the
// fields. The body is read once here and handed on as bytes.
func (s *Server) validateRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A path the API lacks goes to the router's 404 unvalidated.
		if s.faults.has(FaultValidationOff) || len(s.methodsOf(r.URL.EscapedPath())) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		var body []byte
		if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
			b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					writeAPIError(w, r, newAPIError(http.StatusBadRequest, codeBadValue, "Bad value: body (larger than "+strconv.Itoa(maxRequestBody)+" bytes)"))
					return
				}
				writeAPIError(w, r, badValue("body"))
				return
			}
			body = b
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		// Refused before validation: see contract.MaxJSONDepth.
		if contract.TooDeep(body) {
			writeAPIError(w, r, newAPIError(http.StatusBadRequest, codeBadValue, "Bad value: body (nested too deeply)"))
			return
		}
		ex := exchange.Exchange{Method: r.Method, URL: r.URL.RequestURI(), RequestHeader: r.Header, RequestBody: body}
		res := s.validator.ValidateRequest(ex, contract.Default)
		if fields := rejectedFields(res); len(fields) > 0 {
			writeAPIError(w, r, badValue(fields...))
			return
		}
		// Klarna accepts read-only fields, enum values in another case and
		// nulls in optional fields (contract/lenient.go); the handlers get the
		// body as Klarna reads it, so nothing off-contract is stored or echoed.
		if res.Relaxed() {
			body = s.validator.RelaxRequestBody(ex)
		}
		if body != nil {
			// Every number form the contract accepted must decode into the
			// generated types: 10000.0 is an integer to the contract.
			body = integralNumbers(body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		next.ServeHTTP(w, r)
	})
}

// rejectedFields names, once each and in the validator's order, the fields
// of every violation.
func rejectedFields(res contract.Result) []string {
	var fields []string
	for _, is := range res.Issues {
		if is.Severity != contract.Violation || leftToHandler(res.Operation, is) {
			continue
		}
		f := issueField(is)
		dup := false
		for _, seen := range fields {
			if seen == f {
				dup = true
				break
			}
		}
		if !dup {
			fields = append(fields, f)
		}
	}
	return fields
}

// leftToHandler: a distribution without the contact field its method needs
// breaks the contract's oneOf, but Klarna answers it with its own code
// (MISSING_CONTACT_DATA), so the handler checks that rule instead.
func leftToHandler(operation string, is contract.Issue) bool {
	return operation == "distributeHppSession" && is.In == contract.InBody && is.Pointer == "" && is.Rule == "schema.oneOf"
}

// issueField is the field an issue is about, as Klarna names fields:
// /order_lines/0/name is order_lines[0].name (D-kperr: order_lines[X].tax_rate).
func issueField(is contract.Issue) string {
	switch is.In {
	case contract.InBody:
		return pointerToField(is.Pointer)
	case contract.InContentType:
		return "Content-Type"
	case contract.InHeader, contract.InPath, contract.InQuery:
		if is.Pointer != "" {
			return is.Pointer
		}
	}
	return "request"
}

func pointerToField(ptr string) string {
	if ptr == "" {
		return "body"
	}
	var b strings.Builder
	for i, seg := range strings.Split(ptr[1:], "/") {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(seg); err == nil && i > 0 {
			b.WriteString("[" + seg + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

// maxExactInteger is 2^53: every integer up to it is exact in a float64, so
// the contract's integer check and this rewrite agree on them.
const maxExactInteger = 1 << 53

// integralNumbers rewrites the numbers of a JSON text that are whole but
// written with a fraction or an exponent (10000.0, 1e4, 2.5E3) as plain
// integers. The contract accepts them for an integer field (JSON has one
// number type), but the generated types decode into Go integers, which
// refuse them. Other numbers, and everything inside strings, are left as
// they are; body is returned unchanged when nothing needs rewriting.
func integralNumbers(body []byte) []byte {
	var out []byte
	last := 0 // body[:last] is in out already
	var s jsonscan.Strings
	for i := 0; i < len(body); i++ {
		if c := body[i]; s.Step(c) || c != '-' && (c < '0' || c > '9') {
			continue
		}
		end := i + 1
		plain := true
		for end < len(body) && strings.IndexByte("0123456789.eE+-", body[end]) >= 0 {
			if body[end] == '.' || body[end] == 'e' || body[end] == 'E' {
				plain = false
			}
			end++
		}
		if !plain {
			if f, err := strconv.ParseFloat(string(body[i:end]), 64); err == nil &&
				f == math.Trunc(f) && math.Abs(f) <= maxExactInteger {
				out = append(out, body[last:i]...)
				out = strconv.AppendInt(out, int64(f), 10)
				last = end
			}
		}
		i = end - 1
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// decodeErrorField is the field a body that the contract passed failed to
// decode at, as Klarna names fields (order_lines.quantity), or "body".
func decodeErrorField(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return typ.Field
	}
	return "body"
}
