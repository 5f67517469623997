// Package jsonscan tells the string literals of JSON text from the rest, a
// byte at a time and across buffers, for the scans that must not parse:
// the contract's depth bound, the mock's number rewrite and the recording
// reader's splitter; and skips the whitespace between tokens, for the
// contract's decoder and the recording reader's duplicate-key scan. The
// text need not be valid JSON.
package jsonscan

import "bytes"

// Strings is the state of a scan: inside a string literal or not, and
// whether the last byte was a backslash in one. The zero value is outside.
type Strings struct{ in, escaped bool }

// Inside reports whether the scan is inside a string literal.
func (s *Strings) Inside() bool { return s.in }

// Step takes the next byte and reports whether it belongs to a string
// literal, its quotes included.
func (s *Strings) Step(c byte) bool {
	switch {
	case s.in:
		switch {
		case s.escaped:
			s.escaped = false
		case c == '\\':
			s.escaped = true
		case c == '"':
			s.in = false
		}
		return true
	case c == '"':
		s.in = true
		return true
	}
	return false
}

// Plain is how many bytes at the start of buf are string content that
// changes nothing (no quote, no backslash): a scan may skip them. It is 0
// outside a string and right after a backslash.
func (s *Strings) Plain(buf []byte) int {
	if !s.in || s.escaped {
		return 0
	}
	if j := bytes.IndexAny(buf, `"\`); j >= 0 {
		return j
	}
	return len(buf)
}

// SkipSpace is the index of the first byte of data at or after i that is
// not JSON whitespace (RFC 8259 section 2), or len(data).
func SkipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}
