package outfile

import (
	"os"
	"path/filepath"
)

// SameFile reports whether two output paths end in one file: the same
// path written differently (a, ./a, dir/../a), a symlink to the other
// (even one whose target does not exist yet), a symlinked folder, or a
// hard link. Two outputs that are one file would overwrite each other.
func SameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	if resolve(a) == resolve(b) {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb) // hard links
}

// resolve is the absolute path a write to p lands on: the symlinks of its
// folder and of the file itself followed, the file allowed not to exist.
func resolve(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	for range 40 { // the kernel's own limit on a symlink chain
		if dir, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
			p = filepath.Join(dir, filepath.Base(p))
		}
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return p
		}
		target, err := os.Readlink(p)
		if err != nil {
			return p
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
	return p
}

// Existing is the regular file at an output path before a run, found
// through its symlinks; Gone removes it if the run did not replace it.
type Existing struct {
	file string // path with its symlinks followed
	fi   os.FileInfo
}

// Before is the regular file now at path, and false when there is none.
func Before(path string) (Existing, bool) {
	file := resolve(path)
	fi, err := os.Lstat(file)
	if err != nil || !fi.Mode().IsRegular() {
		return Existing{}, false
	}
	return Existing{file: file, fi: fi}, true
}

// RemoveIfUnchanged removes the file if it is still the one Before found:
// a Commit renames a new file into place, so a write makes it another
// file. It reports whether it removed it.
func (e Existing) RemoveIfUnchanged() (bool, error) {
	fi, err := os.Lstat(e.file)
	if err != nil || !os.SameFile(e.fi, fi) || !fi.ModTime().Equal(e.fi.ModTime()) || fi.Size() != e.fi.Size() {
		return false, nil
	}
	if err := os.Remove(e.file); err != nil {
		return false, err
	}
	return true, nil
}
