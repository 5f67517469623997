package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRefusesTwoOutputsThatAreOneFile: outputs are compared as files,
// so a symlink or a hard link to another output is refused before the
// run, exit 2, naming both flags.
func TestRunRefusesTwoOutputsThatAreOneFile(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.md")
	if err := os.WriteFile(report, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.xml")
	hard := filepath.Join(dir, "hard.har")
	if err := os.Symlink("report.md", link); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(report, hard); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--report", report, "--junit-report", link},
		{"--report", report, "--record", hard},
		{"--record", filepath.Join(dir, "dangling.har"), "--report-json", filepath.Join(dir, "new.json")},
	} {
		if strings.HasSuffix(args[1], "dangling.har") {
			if err := os.Symlink("new.json", args[1]); err != nil {
				t.Fatal(err)
			}
		}
		var stdout, stderr bytes.Buffer
		code := runSuites(args, func(string) string { return "" }, &stdout, &stderr)
		if code != runBadUsage {
			t.Errorf("%q: exit %d, want %d (stderr %s)", args, code, runBadUsage, stderr.String())
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
		if code != runBadUsage || strings.Contains(out, "\x1b") || !strings.Contains(out, `--label-filter "((" is not a label filter: mismatched '(' - could not find matching ')'`) {
			t.Errorf("env %v: exit %d, output %q; want 2, plain text saying the '(' is unmatched", env, code, out)
		}
	}
}
