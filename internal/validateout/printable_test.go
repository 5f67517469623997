package validateout

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain é ✓":         "plain é ✓",
		"\x1b[2J\x07\x7f\t": `\x1b[2J\x07\x7f\x09`,
		"a\u009bb":          `a\u009bb`,
		"bad \x9b byte":     `bad \x9b byte`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
