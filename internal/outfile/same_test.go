package outfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSameFileComparesFilesNotStrings(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	if err := os.WriteFile(at("real.xml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("real.xml", at("link.xml")))
	must(os.Symlink("not-yet.json", at("dangling.json")))
	must(os.Link(at("real.xml"), at("hard.xml")))
	must(os.Mkdir(at("sub"), 0o755))
	must(os.Symlink("sub", at("subLink")))
	wd, _ := os.Getwd()
	must(os.Chdir(dir))
	t.Cleanup(func() { _ = os.Chdir(wd) })

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
