package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

// Every path here is inside t.TempDir(): a test that renames over a real
// device (/dev/null, /dev/stdout) would break the machine it runs on.

func TestCommitWritesThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.md")
	link := filepath.Join(dir, "link.md")
	testkit.WriteFile(t, real, "original")
	testkit.Symlink(t, "real.md", link)
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the symlink %s was replaced (mode %v, err %v)", link, fi.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Fatalf("the link's target holds %q, want %q", b, "new")
	}
	assertNoTemporaryFiles(t, dir)
}

func TestCommitWritesThroughASymlinkChainIntoAnotherFolder(t *testing.T) {
	dir := t.TempDir()
	other := testkit.Mkdir(t, filepath.Join(dir, "other"))
	real := filepath.Join(other, "real.json")
	testkit.WriteFile(t, real, "original")
	mid := filepath.Join(dir, "mid")
	link := filepath.Join(dir, "link")
	testkit.Symlink(t, real, mid)
	testkit.Symlink(t, "mid", link)
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{link, mid} {
		if fi, err := os.Lstat(l); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the symlink %s was replaced", l)
		}
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Fatalf("the chain's target holds %q, want %q", b, "new")
	}
	assertNoTemporaryFiles(t, dir)
	assertNoTemporaryFiles(t, other)
}

// A dangling symlink is written like a shell's > writes it: the file it
// names is created, the link stays.
func TestCommitCreatesTheTargetOfADanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link.md")
	testkit.Symlink(t, "later.md", link)
	if err := Check(link); err != nil {
		t.Fatalf("Check refused a dangling link whose folder exists: %v", err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the dangling symlink %s was replaced", link)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "later.md")); string(b) != "new" {
		t.Fatalf("the link's target holds %q, want %q", b, "new")
	}

	gone := filepath.Join(dir, "gone")
	testkit.Symlink(t, filepath.Join(dir, "no-such-folder", "x.md"), gone)
	err := Check(gone)
	if err == nil || !strings.Contains(err.Error(), "no-such-folder") {
		t.Errorf("Check(link into a missing folder) = %v, want an error naming the folder", err)
	}
}

func TestANonRegularFileIsRefusedNotReplaced(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	link := filepath.Join(dir, "link")
	testkit.Symlink(t, "pipe", link)
	for _, p := range []string{fifo, link} {
		err := Check(p)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Check(%s) = %v, want a refusal: not a regular file", p, err)
		}
		if err := WriteFile(p, []byte("new")); err == nil {
			t.Errorf("WriteFile(%s) succeeded", p)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("the FIFO was replaced (writing %s)", p)
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link to the FIFO was replaced")
	}
	assertNoTemporaryFiles(t, dir)
}

func TestTheSweepLooksBesideTheLinksTarget(t *testing.T) {
	dir := t.TempDir()
	other := testkit.Mkdir(t, filepath.Join(dir, "other"))
	real := filepath.Join(other, "real.md")
	link := filepath.Join(dir, "link.md")
	testkit.Symlink(t, real, link)
	stale := filepath.Join(other, tempPrefix(real)+"999999999-1")
	testkit.WriteFile(t, stale, "half")
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file beside the link's target is still there")
	}
}
