// Package testkit holds the steps the tests of many packages take the same
// way: files and folders put in place or the test stops, and a getenv read
// from a map. It imports only the standard library, so the tests of any
// package (internal or external) may use it without an import cycle.
package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteFile writes data to path (mode 0644), creating its folder first,
// and returns path; on any error the test stops.
func WriteFile(t testing.TB, path, data string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Mkdir creates the folder path (mode 0755, its parent must exist) and
// returns path; on an error, an existing folder included, the test stops.
func Mkdir(t testing.TB, path string) string {
	t.Helper()
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// Symlink makes link a symbolic link to target (as given: relative to
// link's folder or absolute); on an error the test stops.
func Symlink(t testing.TB, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// Env is a getenv that reads vars: a variable not in it is unset.
func Env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// ReadFile is the content of path; on an error the test stops.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
