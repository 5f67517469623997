package har

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// unquote agrees with encoding/json on every valid string literal, and
// gives the same bytes in place as in a copy.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{``, `plain`, `{"a":"b\"c"}`, "\u00e9\u4e16\U0001F600", "\\/\b\f\n\r\t", "\x01"} {
		lit, _ := json.Marshal(s)
		f.Add(lit)
	}
	f.Add([]byte(`"\ud83d\ude00 \ud83d x \ude00 \u00"`))
	f.Add([]byte(`"\/\u0041"`))
	f.Fuzz(func(t *testing.T, lit []byte) {
		var want string
		if err := json.Unmarshal(lit, &want); err != nil {
			return
		}
		// A field's raw value has no white space around it.
		lit = bytes.TrimSpace(lit)
		if len(lit) == 0 || lit[0] != '"' {
			return
		}
		got, ok := unquote(lit, false)
		if !ok {
			t.Fatalf("unquote(%q) refused a valid literal", lit)
		}
		if inPlace, ok := unquote(bytes.Clone(lit), true); !ok || !bytes.Equal(inPlace, got) {
			t.Fatalf("unquote(%q) in place = %q, %v; copied %q", lit, inPlace, ok, got)
		}
		// encoding/json replaces invalid UTF-8 with U+FFFD; unquote keeps the bytes.
		if utf8.Valid(lit) && string(got) != want {
			t.Fatalf("unquote(%q) = %q; encoding/json says %q", lit, got, want)
		}
	})
}

func TestUnquoteRefuses(t *testing.T) {
	for _, lit := range []string{``, `"`, `x`, `"\"`, `"\x"`, `"\u12"`, `"\u12G4"`} {
		if _, ok := unquote([]byte(lit), false); ok {
			t.Errorf("unquote(%q) accepted", lit)
		}
	}
}
