package mock

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
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
