package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

func TestCommitReplacesThePathOnlyAtTheEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.md")
	testkit.WriteFile(t, path, "old")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("before Commit the path holds %q, want the old content", b)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("after Commit the path holds %q, want %q", b, "new")
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Write after Commit succeeded")
	}
	assertNoTemporaryFiles(t, filepath.Dir(path))
}

func TestAbortLeavesThePathAsItWas(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.har")
	testkit.WriteFile(t, path, "old")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("half"))
	f.Abort()
	f.Abort() // twice is harmless
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("after Abort the path holds %q, want the old content", b)
	}
	assertNoTemporaryFiles(t, dir)
}

func TestCheckNamesWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ path, want string }{
		{"", "no file name"},
		{dir, "is a folder"},
		{filepath.Join(dir, "missing", "r.md"), "does not exist"},
	} {
		err := Check(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%q) = %v, want an error saying %q", tc.path, err, tc.want)
		}
		if _, err := Create(tc.path); err == nil {
			t.Errorf("Create(%q) succeeded", tc.path)
		}
	}
	if err := Check(filepath.Join(dir, "new.md")); err != nil {
		t.Errorf("Check of a new file in an existing folder: %v", err)
	}
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	if err := WriteFile(path, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "{}" {
		t.Fatalf("got %q", b)
	}
}

func assertNoTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".kconform-tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestWriteByName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "junit.xml")
	if err := WriteByName(path, func(name string) error { return os.WriteFile(name, []byte("<x/>"), 0o600) }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "<x/>" {
		t.Fatalf("got %q", b)
	}
	if err := WriteByName(path, func(string) error { return os.ErrInvalid }); err == nil {
		t.Error("a failed write was committed")
	}
	if b, _ := os.ReadFile(path); string(b) != "<x/>" {
		t.Errorf("a failed write changed the path: %q", b)
	}
	assertNoTemporaryFiles(t, dir)
}
