package har

import (
	"unicode/utf16"
	"unicode/utf8"
)

// unquote decodes a JSON string literal (quotes included) that encoding/json
// has already checked, into its bytes. It is the one step of reading a HAR
// body that runs on every entry: json.Unmarshal into a string would scan the
// literal again and copy it twice. Invalid UTF-8 is kept as it is, so the
// body is what was recorded.
//
// inPlace writes the bytes over the literal itself, which then holds them:
// no escape is shorter than what it stands for, so the write never passes
// the read. It is for a large body, which would otherwise be held twice.
func unquote(lit []byte, inPlace bool) ([]byte, bool) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return nil, false
	}
	s := lit[1 : len(lit)-1]
	// Most of a body is plain text between escapes: copy runs at a time.
	var out []byte
	if inPlace {
		out = s[:0:len(s)]
	} else {
		out = make([]byte, 0, len(s))
	}
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] != '\\' {
			j++
		}
		out = append(out, s[i:j]...)
		if j == len(s) {
			break
		}
		if j+1 >= len(s) {
			return nil, false
		}
		switch c := s[j+1]; c {
		case '"', '\\', '/':
			out = append(out, c)
			i = j + 2
		case 'b':
			out, i = append(out, '\b'), j+2
		case 'f':
			out, i = append(out, '\f'), j+2
		case 'n':
			out, i = append(out, '\n'), j+2
		case 'r':
			out, i = append(out, '\r'), j+2
		case 't':
			out, i = append(out, '\t'), j+2
		case 'u':
			r, ok := hex4(s[j+2:])
			if !ok {
				return nil, false
			}
			i = j + 6
			if utf16.IsSurrogate(r) {
				// A pair is two escapes; a lone half becomes U+FFFD, as
				// encoding/json does.
				r2, ok := rune(-1), false
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, ok = hex4(s[i+2:])
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r, i = dec, i+6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, false
		}
	}
	return out, true
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
