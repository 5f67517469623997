package validateout

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable is s with every control character (C0, DEL, C1) and every byte
// that is not UTF-8 written as \xNN (\u0085 for a C1 rune), the way header
// names are quoted already ("X-\x1b[1mBold"): text from a recording (a URL,
// a field or file name) never reaches a terminal as escape codes. The JSON
// and JUnit reports need no such step: their encoders escape these.
func Printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < utf8.RuneSelf && unprintable(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unprintable(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func unprintable(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }
