package testkit

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestFilesArePutInPlace(t *testing.T) {
	dir := t.TempDir()
	p := WriteFile(t, filepath.Join(dir, "a", "b.txt"), "hello")
	if b := ReadFile(t, p); string(b) != "hello" {
		t.Fatalf("WriteFile, ReadFile: read back %q", b)
	}
	sub := Mkdir(t, filepath.Join(dir, "sub"))
	if fi, err := os.Stat(sub); err != nil || !fi.IsDir() {
		t.Fatalf("Mkdir: %v", err)
	}
	if fi, err := os.Lstat(Fifo(t, filepath.Join(dir, "pipe"))); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("Fifo: %v", err)
	}
	link := filepath.Join(dir, "link")
	Symlink(t, "a/b.txt", link)
	if b, err := os.ReadFile(link); err != nil || string(b) != "hello" {
		t.Fatalf("Symlink: read through it %q, %v", b, err)
	}
}

// A step that cannot be done stops the test (Fifo skips it): each runs
// in a test of its own that must stop.
func TestAFailedStepStopsTheTest(t *testing.T) {
	dir := t.TempDir()
	file := WriteFile(t, filepath.Join(dir, "file"), "x")
	for name, step := range map[string]func(t testing.TB){
		"WriteFile under a file": func(t testing.TB) { WriteFile(t, filepath.Join(file, "x"), "y") },
		"Mkdir of an existing":   func(t testing.TB) { Mkdir(t, dir) },
		"Symlink over a file":    func(t testing.TB) { Symlink(t, "x", file) },
		"ReadFile of a missing":  func(t testing.TB) { ReadFile(t, filepath.Join(dir, "missing")) },
		"Fifo in a missing":      func(t testing.TB) { Fifo(t, filepath.Join(dir, "missing", "pipe")) },
	} {
		if !fails(step) {
			t.Errorf("%s did not stop the test", name)
		}
	}
}

func TestEnvReadsTheMap(t *testing.T) {
	getenv := Env(map[string]string{"A": "1"})
	if getenv("A") != "1" || getenv("B") != "" {
		t.Fatalf("Env: A=%q B=%q", getenv("A"), getenv("B"))
	}
}

// fails runs step with a testing.TB whose Fatal or Skipf ends only the
// step, and reports whether one was called.
func fails(step func(t testing.TB)) bool {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		step(r)
	}()
	<-done
	return r.failed
}

type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(string, ...any) { r.Fatal() }

func (r *recorder) Fatal(args ...any) {
	r.failed = true
	runtime.Goexit() // as t.Fatal does: the step ends, the test goes on
}
