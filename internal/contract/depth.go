package contract

// MaxJSONDepth bounds how deeply nested a body may be before it is checked.
// The contract's deepest value is about five levels down, and kin-openapi's
// oneOf validation costs more than linear time in the depth: a body 10,000
// levels deep held a CPU for over 10 s. Such a body is reported, not visited.
const MaxJSONDepth = 64

// TooDeep reports whether JSON text (valid or not) opens arrays or objects
// more than MaxJSONDepth levels deep, skipping string contents.
func TooDeep(body []byte) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range body {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
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
