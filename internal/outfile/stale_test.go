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
