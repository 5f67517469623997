package contract

import "github.com/kconform/kconform/internal/jsonscan"

// MaxJSONDepth bounds how deeply nested a body may be before it is checked.
// The contract's deepest value is about five levels down, and kin-openapi's
// oneOf validation costs more than linear time in the depth: a body 10,000
// levels deep held a CPU for over 10 s. Such a body is reported, not visited.
const MaxJSONDepth = 64

// TooDeep reports whether JSON text (valid or not) opens arrays or objects
// more than MaxJSONDepth levels deep, skipping string contents.
func TooDeep(body []byte) bool {
	depth := 0
	var s jsonscan.Strings
	for _, c := range body {
		switch {
		case s.Step(c):
		case c == '[' || c == '{':
			depth++
			if depth > MaxJSONDepth {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
