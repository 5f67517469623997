package runner

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestWithoutStacksDropsGoroutinesOnly: the goroutine sections of a
// progress report go, what is around them stays, and a spec's progress
// dot passes at once, before its line ends.
func TestWithoutStacksDropsGoroutinesOnly(t *testing.T) {
	var out bytes.Buffer
	w := WithoutStacks(&out)
	_, _ = io.WriteString(w, "•")
	if out.String() != "•" {
		t.Fatalf("a dot was held back: %q", out.String())
	}
	for _, chunk := range []string{
		"\n  In [It] (Node Runtime: 285ms)\n",
		"\n", "  \x1b[1m\x1b[4mSpec Goroutine\x1b[0m\n",
		"  goroutine 73 [select]\n", "    github.com/x.(*A).match(0x251a91cc7960)\n", "      /x/a.go:558\n",
		"  > github.com/kconform/x.f({0x110c8d0})\n", "      /x/b.go:130\n", "\n",
		"  Begin Additional Progress Reports >>\n", "    one callback\n",
		"  Other Goroutines\n", "  goroutine 8 [chan receive]\n", "    net.(*netFD).accept(0x7c630e14700)\n",
		"[FAILED] interrupted\n",
	} {
		_, _ = io.WriteString(w, chunk)
	}
	got := out.String()
	if strings.Contains(got, "goroutine ") || strings.Contains(got, "0x") || strings.Contains(got, "Goroutine") {
		t.Errorf("stacks left in:\n%s", got)
	}
	for _, keep := range []string{"In [It]", "Begin Additional Progress Reports", "one callback", "[FAILED] interrupted"} {
		if !strings.Contains(got, keep) {
			t.Errorf("%q was dropped:\n%s", keep, got)
		}
	}
}
