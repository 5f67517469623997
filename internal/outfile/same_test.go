package outfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

func TestSameFileComparesFilesNotStrings(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	testkit.WriteFile(t, at("real.xml"), "")
	testkit.Symlink(t, "real.xml", at("link.xml"))
	testkit.Symlink(t, "not-yet.json", at("dangling.json"))
	if err := os.Link(at("real.xml"), at("hard.xml")); err != nil {
		t.Fatal(err)
	}
	testkit.Mkdir(t, at("sub"))
	testkit.Symlink(t, "sub", at("subLink"))
	t.Chdir(dir)

	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"real.xml", "./real.xml", true},
		{"real.xml", at("real.xml"), true},
		{"sub/../real.xml", "real.xml", true},
		{"link.xml", "real.xml", true},
		{"dangling.json", "not-yet.json", true},
		{"hard.xml", "real.xml", true},
		{"subLink/r.md", "sub/r.md", true},
		{"real.xml", "other.xml", false},
		{"link.xml", "dangling.json", false},
		{"sub/r.md", "sub/r.json", false},
	} {
		if got := SameFile(c.a, c.b); got != c.same {
			t.Errorf("SameFile(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
