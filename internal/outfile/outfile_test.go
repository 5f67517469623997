package outfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/testkit"
)

// Every path here is inside t.TempDir(): a test that renames over a real
// device (/dev/null, /dev/stdout) would break the machine it runs on.

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
	fifo := testkit.Fifo(t, filepath.Join(dir, "pipe"))
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

// TestCreateRemovesStaleTemporaryFiles simulates runs killed while writing
// report.md: the next write of report.md removes the temporary files whose
// process is gone or that were not written for StaleAfter, and keeps those
// of a running process, of this process and of other outputs.
func TestCreateRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	dead := exec.Command(os.Args[0], "-test.run=^$")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	gone, alive, self := strconv.Itoa(dead.Process.Pid), strconv.Itoa(os.Getppid()), strconv.Itoa(os.Getpid())
	old := time.Now().Add(-2 * StaleAfter)
	files := map[string]struct {
		modified time.Time
		removed  bool
	}{
		".report.md.kconform-tmp-" + gone + "-123":  {time.Now(), true},  // its process is gone
		".report.md.kconform-tmp-" + alive + "-456": {old, true},         // a pid that runs, but far too old
		".report.md.kconform-tmp-" + alive + "-789": {time.Now(), false}, // may be a run in progress
		".report.md.kconform-tmp-" + self + "-1":    {old, false},        // this process's own
		".other.md.kconform-tmp-" + gone + "-123":   {old, false},        // another output's
		".report.md.kconform-tmp-notapid":           {old, false},        // not a name outfile gives
		".report.md.12345.tmp":                      {old, false},        // not a name outfile gives
	}
	for name, f := range files {
		p := filepath.Join(dir, name)
		if err := os.Chtimes(testkit.WriteFile(t, p, "half"), f.modified, f.modified); err != nil {
			t.Fatal(err)
		}
	}

	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	mine := tempPrefix(path) + self + "-"
	var sawMine bool
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), mine) {
			sawMine = true
		}
	}
	if !sawMine {
		t.Errorf("no temporary file named %s<random> while writing", mine)
	}
	for name, f := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if removed := os.IsNotExist(err); removed != f.removed {
			t.Errorf("%s: removed %v, want %v", name, removed, f.removed)
		}
	}
}

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

// TestAPipeBehindProcIsRefused: /dev/stdout when stdout is a pipe
// (`kconform run --report /dev/stdout | cat`) links to /proc/self/fd/1,
// which is a "magic" link to "pipe:[N]", not a path. Followed by hand,
// that looked like a file not yet created, so the run went ahead and
// failed at the end creating its temporary file beside "pipe:[N]".
func TestAPipeBehindProcIsRefused(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	fd := "/proc/self/fd/" + strconv.Itoa(int(w.Fd()))
	if _, err := os.Lstat(fd); err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	link := filepath.Join(t.TempDir(), "stdout") // as /dev/stdout is
	testkit.Symlink(t, fd, link)
	for _, p := range []string{fd, link} {
		if err := Check(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Check(%s) = %v, want a refusal: not a regular file", p, err)
		}
	}
}
