// Package groundtruth finds the shared ground truth (the reference, the
// public recordings, the seed documents) that CI clones as ../shared beside
// the repository, for the tests that read it. Without it such a test is
// skipped on a workstation and fails under CI, naming the missing path, so
// a CI checkout without it cannot pass by testing less.
package groundtruth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Path returns the path of shared/<elem...>. When it does not exist, a test
// is skipped, or, with CI set, fails saying what is missing.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	p, err := Locate(elem...)
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		msg := "shared ground truth missing: " + err.Error() + " (CI clones the shared/ directory beside the repository)"
		if InCI() {
			t.Fatalf("%s; CI is set, so this test must run", msg)
		}
		t.Skip(msg)
	}
	return p
}

// Locate is where shared/<elem...> is when present: beside the module root
// (the directory with go.mod, found upwards from the working directory).
// Path is what a test that needs it calls.
func Locate(elem ...string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(append([]string{filepath.Dir(dir), "shared"}, elem...)...), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// InCI reports whether CI is set to anything but "", "0" or "false" (.ci/run
// sets CI=true): there every test that needs something installed or cloned
// beside the repository must run.
func InCI() bool {
	switch v := os.Getenv("CI"); {
	case v == "", v == "0", strings.EqualFold(v, "false"):
		return false
	}
	return true
}
