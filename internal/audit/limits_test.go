package audit

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

// A body over MaxBody is reported at its entry, never decoded: one 100 MB
// body cost ten times its size in memory (issue 11, item 10). It is a
// violation, so a run does not pass on what it did not check.
func TestBodyOverMaxBodyIsReportedNotChecked(t *testing.T) {
	dir := t.TempDir()
	small := hppSession("s1", "WAITING", "2024-01-03T12:00:00Z", "2024-01-05T11:00:00Z", "")
	large := hppSession("s2", "WAITING", "2024-01-03T12:00:00Z", "2024-01-05T11:00:00Z", `,"padding":"`+strings.Repeat("x", 500)+`"`)
	path := filepath.Join(dir, "capture.har")
	testkit.WriteFile(t, path, har(hppRead("s1", small), hppRead("s2", large)))
	c, sum := run(t, Options{MaxBody: 300}, path)
	if len(c.entries) != 2 {
		t.Fatalf("%d entries", len(c.entries))
	}
	if e := c.entries[0]; e.Verdict != Conforms {
		t.Errorf("#0: %s %v", e.Verdict, rules(e))
	}
	e := c.entries[1]
	if e.Verdict != Violates || e.Operation != "getSessionById" || strings.Join(rules(e), ",") != "violation "+RuleBodyTooLarge+"@" {
		t.Errorf("#1: %s %s %v", e.Verdict, e.Operation, rules(e))
	}
	if !strings.Contains(e.Issues[0].Message, "--max-body 300") {
		t.Errorf("message: %s", e.Issues[0].Message)
	}
	if sum.ExitCode() != ExitViolations {
		t.Errorf("exit %d", sum.ExitCode())
	}
	// No limit: checked (the unknown field is a warning).
	c, _ = run(t, Options{MaxBody: -1}, path)
	if e := c.entries[1]; e.Verdict != Conforms {
		t.Errorf("without a limit: %s %v", e.Verdict, rules(e))
	}
}
