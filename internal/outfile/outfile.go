// Package outfile writes a file that a reader never sees half-written: the
// content goes to a temporary file next to the final path and is renamed
// into place on Commit. Reports, captures and anything else a run writes
// use it, so an interrupted run leaves the old file (or none), never a
// truncated one.
//
// A killed process cannot remove its temporary file, so the name says whose
// it is: .<name>.kconform-tmp-<pid>-<random>. The next Create of the same
// path removes the ones it can prove stale (see sweep).
//
// A path that is a symlink is written through: the temporary file goes
// beside the file the link ends in and replaces that file, so the link
// stays. A dangling link is written like a shell's > writes it: the file it
// names is created (its folder must exist). An existing file that is not a
// regular file (a device, FIFO or socket, or a link to one) is refused:
// the rename would replace the device itself (/dev/null for root), and a
// stream cannot take a write that is all-or-nothing.
package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StaleAfter is the age (last write) past which a temporary file is stale
// even when a process with its pid runs: pids are reused, and no run writes
// an output for that long (assumption: a run is bounded by its --deadline).
const StaleAfter = 24 * time.Hour

// tempPrefix starts the name of every temporary file behind path.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".kconform-tmp-"
}

// Check says whether path can be written: it is named, it is (or links
// to) a regular file or nothing yet, and the folder it lands in exists.
// Commands call it before they start work, so a typo in a path fails at
// once instead of after a long run.
func Check(path string) error {
	_, err := check(path)
	return err
}

// check is Check that also returns the file a write to path lands on.
func check(path string) (string, error) {
	if path == "" {
		return "", errors.New("no file name")
	}
	target, what := path, path
	if r := resolve(path); r != absolute(path) {
		target, what = r, fmt.Sprintf("%s (which links to %s)", path, r)
	}
	// The kernel follows the links first: a /proc/self/fd link (behind
	// /dev/stdout) names "pipe:[N]" or "socket:[N]", not a path, and
	// followed by hand it looks like a file not created yet.
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		fi, err = os.Stat(target) // a dangling link: what it would create
	} else if _, terr := os.Stat(target); terr != nil {
		what = path // "pipe:[N]" is no path to show
	}
	switch {
	case err == nil && fi.IsDir():
		return "", fmt.Errorf("%s is a folder", what)
	case err == nil && !fi.Mode().IsRegular():
		return "", fmt.Errorf("%s is not a regular file (a device, FIFO or socket): kconform writes its outputs only to regular files", what)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("%s cannot be written: %v", what, err)
	}
	dir := filepath.Dir(target)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("the folder %s does not exist", dir)
	}
	return target, nil
}

func absolute(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// File is the temporary file behind a path being written.
type File struct {
	f      *os.File
	path   string // as given, for messages
	target string // the file the rename replaces: path with its symlinks followed
	done   bool
}

// Create checks path and opens the temporary file in the folder of the
// file it lands on (a rename across file systems would not be atomic).
func Create(path string) (*File, error) {
	target, err := check(path)
	if err != nil {
		return nil, err
	}
	sweep(target)
	f, err := os.CreateTemp(filepath.Dir(target), tempPrefix(target)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return nil, err
	}
	return &File{f: f, path: path, target: target}, nil
}

var errClosed = errors.New("outfile: the file is already committed or aborted")

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) {
	if f.done {
		return 0, errClosed
	}
	return f.f.Write(p)
}

// Path is the final path.
func (f *File) Path() string { return f.path }

// Commit syncs the temporary file and renames it to the path. On error the
// temporary file is removed and the path is left as it was.
func (f *File) Commit() error {
	if f.done {
		return errClosed
	}
	f.done = true
	err := f.f.Chmod(0o644)
	if err == nil {
		err = f.f.Sync()
	}
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Checked at Create; checked again as the run may have been long.
		if fi, lerr := os.Lstat(f.target); lerr == nil && !fi.Mode().IsRegular() {
			err = errors.New("it is no longer a regular file; left as it is")
		}
	}
	if err == nil {
		err = os.Rename(f.f.Name(), f.target)
	}
	if err != nil {
		os.Remove(f.f.Name())
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Abort removes the temporary file; the path is left as it was. It does
// nothing after Commit, so `defer f.Abort()` is always safe.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.f.Close()
	os.Remove(f.f.Name())
}

// WriteFile writes data to path through a temporary file.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// sweep removes the temporary files that a killed writer of path left: the
// ones whose process is gone, and the ones not written for StaleAfter. Its
// own process's files and every other name are left alone; a file it
// cannot remove stays (the write goes on, the sweep is best effort).
func sweep(path string) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(path)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		if processGone(pid) || time.Since(info.ModTime()) > StaleAfter {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// processGone reports whether no process has the pid. Where that cannot be
// told (permission, platform), the process counts as running.
func processGone(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return true // Windows: no such process
	}
	defer p.Release()
	return errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

// WriteByName is for a writer that only takes a file name (Ginkgo's JUnit
// report): write fills the temporary file by its name, then it is renamed
// to path, or removed if write fails.
func WriteByName(path string, write func(name string) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := write(f.f.Name()); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
