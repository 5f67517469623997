package mock

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/kconform/kconform/internal/jsonscan"
)

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
