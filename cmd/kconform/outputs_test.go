package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/testkit"
	"github.com/kconform/kconform/suites/runner"
)

// TestRunRefusesTwoOutputsThatAreOneFile: outputs are compared as files,
// so a symlink or a hard link to another output is refused before the
// run, exit 2, naming both flags.
func TestRunRefusesTwoOutputsThatAreOneFile(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.md")
	must(t, os.WriteFile(report, []byte("old"), 0o644))
	link := filepath.Join(dir, "link.xml")
	hard := filepath.Join(dir, "hard.har")
	must(t, os.Symlink("report.md", link))
	must(t, os.Link(report, hard))
	for _, args := range [][]string{
		{"--report", report, "--junit-report", link},
		{"--report", report, "--record", hard},
		{"--record", filepath.Join(dir, "dangling.har"), "--report-json", filepath.Join(dir, "new.json")},
	} {
		if strings.HasSuffix(args[1], "dangling.har") {
			must(t, os.Symlink("new.json", args[1]))
		}
		var stdout, stderr bytes.Buffer
		code := runSuites(args, func(string) string { return "" }, &stdout, &stderr)
		if code != runner.ExitBadUsage {
			t.Errorf("%q: exit %d, want %d (stderr %s)", args, code, runner.ExitBadUsage, stderr.String())
		}
		if !strings.Contains(stderr.String(), "name the same file") || !strings.Contains(stderr.String(), args[0]) || !strings.Contains(stderr.String(), args[2]) {
			t.Errorf("%q: stderr does not name both flags and the file:\n%s", args, stderr.String())
		}
	}
	if b, _ := os.ReadFile(report); string(b) != "old" {
		t.Errorf("a refused run changed %s: %q", report, b)
	}
}

// TestBadLabelFilterSaysWhatIsWrongWithoutColour: a label filter that does
// not parse is a usage error that says what is wrong with it, in plain text
// when the output is a pipe (Ginkgo's parser message carried ANSI codes,
// even with NO_COLOR set).
func TestBadLabelFilterSaysWhatIsWrongWithoutColour(t *testing.T) {
	for _, env := range []map[string]string{{}, {"NO_COLOR": "1"}} {
		var stdout, stderr bytes.Buffer
		code := runSuites([]string{"--label-filter", "(("}, func(k string) string { return env[k] }, &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if code != runner.ExitBadUsage || strings.Contains(out, "\x1b") || !strings.Contains(out, `--label-filter "((" is not a label filter: mismatched '(' - could not find matching ')'`) {
			t.Errorf("env %v: exit %d, output %q; want 2, plain text saying the '(' is unmatched", env, code, out)
		}
	}
}

// TestRunWritesThroughSymlinkedOutputs: an output that is a symlink is
// written through, the link kept (a reviewer's --report link.md turned the
// link into a plain file and left its target stale). Paths stay inside
// t.TempDir(): never a real device.
func TestRunWritesThroughSymlinkedOutputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	must(t, os.Mkdir(other, 0o755))
	real := filepath.Join(dir, "real.md")
	must(t, os.WriteFile(real, []byte("original"), 0o644))
	links := map[string]string{ // link -> the file it ends in
		filepath.Join(dir, "link.md"):   real,
		filepath.Join(dir, "link.json"): filepath.Join(other, "r.json"), // dangling: created
		filepath.Join(dir, "link.har"):  filepath.Join(other, "run.har"),
		filepath.Join(dir, "link.xml"):  filepath.Join(other, "junit.xml"),
	}
	for l, target := range links {
		must(t, os.Symlink(target, l))
	}
	r := runChild(t, 2*time.Minute, nil, "--label-filter", "kp && lifecycle && !consumer",
		"--report", filepath.Join(dir, "link.md"), "--report-json", filepath.Join(dir, "link.json"),
		"--record", filepath.Join(dir, "link.har"), "--junit-report", filepath.Join(dir, "link.xml"))
	if r.exit != 0 {
		t.Fatalf("exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
	for l, target := range links {
		if fi, err := os.Lstat(l); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the symlink %s was replaced by the run", l)
		}
		if b, err := os.ReadFile(target); err != nil || len(b) == 0 || string(b) == "original" {
			t.Errorf("%s (the target of %s) was not written: %q, %v", target, l, b, err)
		}
	}
}

// TestRunRefusesAnOutputThatIsNotARegularFile: a FIFO (a device or a
// socket alike) would be replaced by the rename; the run is refused before
// it starts, exit 2, naming the flag and the path, and the FIFO stays.
func TestRunRefusesAnOutputThatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := testkit.Fifo(t, filepath.Join(dir, "pipe"))
	link := filepath.Join(dir, "out")
	must(t, os.Symlink(fifo, link))
	for _, args := range [][]string{{"--report-json", link}, {"--report", fifo}, {"--record", link}, {"--junit-report", fifo}} {
		var stdout, stderr bytes.Buffer
		code := runSuites(args, func(string) string { return "" }, &stdout, &stderr)
		if code != runner.ExitBadUsage {
			t.Errorf("%q: exit %d, want %d (stderr %s)", args, code, runner.ExitBadUsage, stderr.String())
		}
		if !strings.Contains(stderr.String(), args[0]+` "`+args[1]+`"`) || !strings.Contains(stderr.String(), "not a regular file") {
			t.Errorf("%q: stderr does not name the flag, the path and the problem:\n%s", args, stderr.String())
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("%q: the FIFO was replaced", args)
		}
	}
}

// TestRunRefusesStdoutThatIsAPipe: `kconform run --report /dev/stdout |
// cat` ran every spec and then failed to write the report (/dev/stdout
// links to /proc/self/fd/1, a link to "pipe:[N]"); it is refused before
// the run, exit 2, for every output flag. The pipe here is the test's
// own, reached the way /dev/stdout reaches the shell's.
func TestRunRefusesStdoutThatIsAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	must(t, err)
	defer r.Close()
	defer w.Close()
	fd := fmt.Sprintf("/proc/self/fd/%d", w.Fd())
	if _, err := os.Lstat(fd); err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	stdout := filepath.Join(t.TempDir(), "stdout")
	must(t, os.Symlink(fd, stdout))
	for _, flag := range []string{"--report", "--report-json", "--junit-report", "--json-report", "--record"} {
		args := []string{flag, stdout, "--focus", "qr_code"}
		var out, errOut bytes.Buffer
		code := runSuites(args, func(string) string { return "" }, &out, &errOut)
		if code != runner.ExitBadUsage || !strings.Contains(errOut.String(), flag+` "`+stdout+`"`) || !strings.Contains(errOut.String(), "not a regular file") {
			t.Errorf("%q: exit %d, stderr %q; want %d naming the flag, the path and the problem", args, code, errOut.String(), runner.ExitBadUsage)
		}
	}
}
