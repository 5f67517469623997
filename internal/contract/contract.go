// Package contract checks HTTP exchanges against kconform's OpenAPI document for
// the Klarna HPP and KP APIs, and reports every violation with where it is (a
// JSON pointer into the body, or a header or parameter name) and which rule it
// breaks. It closes the ways kin-openapi's defaults are lenient: undocumented
// statuses, unchecked uri/email formats, unknown fields and routing that only
// knows the hosts listed in `servers` are all reported here.
package contract

import (
	"fmt"
	"strings"
)

// Mode decides how additions to the contract are reported.
type Mode uint8

const (
	// Default: what Klarna documents must hold; additions (unknown fields,
	// undocumented statuses, operations outside the contract) are warnings.
	Default Mode = iota
	// Strict: additions are violations too.
	Strict
)

// ParseMode reads "default" or "strict".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(s) {
	case "", "default":
		return Default, nil
	case "strict":
		return Strict, nil
	}
	return Default, fmt.Errorf("unknown validation mode %q (want default or strict)", s)
}

func (m Mode) String() string {
	if m == Strict {
		return "strict"
	}
	return "default"
}

// addition is the severity of something the contract does not list.
func (m Mode) addition() Severity {
	if m == Strict {
		return Violation
	}
	return Warning
}

// Severity says whether an issue breaks the contract.
type Severity string

const (
	Violation Severity = "violation"
	Warning   Severity = "warning"
)

// Side is the half of the exchange an issue is in.
type Side string

const (
	Request  Side = "request"
	Response Side = "response"
)

// Where an issue was found within its side.
const (
	InBody        = "body"
	InHeader      = "header"
	InPath        = "path"
	InQuery       = "query"
	InStatus      = "status"
	InContentType = "content-type"
	InRoute       = "route"
)

// Rule ids that are not a JSON Schema keyword. Schema failures use
// "schema." followed by the keyword (schema.required, schema.enum, ...).
const (
	RuleUnknownOperation    = "route.unknown-operation"
	RuleMethodNotAllowed    = "route.method-not-allowed"
	RuleUndocumentedStatus  = "status.undocumented"
	RuleContentType         = "content-type.not-documented"
	RuleBodyMissing         = "body.missing"
	RuleBodyUnexpected      = "body.not-documented"
	RuleBodyMalformed       = "body.malformed-json"
	RuleBodyTooDeep         = "body.too-deep"
	RuleBodyDuplicateKey    = "body.duplicate-key"
	RuleNumberOutOfRange    = "body.number-out-of-range"
	RuleUnknownField        = "body.unknown-field"
	RuleHeaderMissing       = "header.required"
	RuleHeaderInvalid       = "header.invalid"
	RuleParameter           = "parameter.invalid"
	RuleCorrelationMismatch = "error.correlation-id-mismatch"
)

// Issue is one thing wrong with an exchange.
type Issue struct {
	Severity Severity `json:"severity"`
	Side     Side     `json:"side"`
	// In is one of the In* constants.
	In string `json:"in"`
	// Pointer is an RFC 6901 JSON pointer into the body ("" is the whole
	// body), or the header or parameter name.
	Pointer string `json:"pointer"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func (i Issue) String() string {
	where := string(i.Side) + " " + i.In
	if i.Pointer != "" || i.In == InBody {
		where += " " + quotePointer(i.In, i.Pointer)
	}
	return fmt.Sprintf("%s: %s [%s] %s", i.Severity, where, i.Rule, i.Message)
}

func quotePointer(in, p string) string {
	if in == InBody && p == "" {
		return "(root)"
	}
	return p
}

// Result is what validating one exchange (or one half of it) found.
type Result struct {
	// Operation is the operationId the exchange matched, "" when none did.
	Operation string  `json:"operation"`
	Issues    []Issue `json:"issues,omitempty"`
}

// OK reports whether nothing breaks the contract (warnings allowed).
func (r Result) OK() bool {
	for _, i := range r.Issues {
		if i.Severity == Violation {
			return false
		}
	}
	return true
}

// Violations returns the issues that break the contract.
func (r Result) Violations() []Issue { return r.filter(Violation) }

// Warnings returns the issues that only report additions.
func (r Result) Warnings() []Issue { return r.filter(Warning) }

func (r Result) filter(s Severity) []Issue {
	var out []Issue
	for _, i := range r.Issues {
		if i.Severity == s {
			out = append(out, i)
		}
	}
	return out
}

// merge appends other's issues; the operation of the first non-empty wins.
func (r *Result) merge(other Result) {
	if r.Operation == "" {
		r.Operation = other.Operation
	}
	r.Issues = append(r.Issues, other.Issues...)
}
