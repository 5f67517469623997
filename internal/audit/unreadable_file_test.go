package audit

import (
	"strings"
	"testing"
)

// A file refused as unreadable after its entries were checked (a HAR with
// a second "log", one truncated after its first entry) vouches for none
// of them: they are not counted as conforming, and the run fails.
func TestUnreadableFileCountsNoConformingEntry(t *testing.T) {
	dir := t.TempDir()
	good := har(hppRead("s1", hppSession("s1", "WAITING", "2024-01-03T12:00:00Z", "2024-01-05T11:00:00Z", "")))
	for name, data := range map[string]string{
		"duplog.har": strings.TrimSuffix(strings.TrimSpace(good), "}") + `,"log":{"version":"1.2","entries":[]}}`,
		"trunc.har":  strings.TrimSuffix(strings.TrimSpace(good), "]}}") + `,{"request":`,
	} {
		path := writeFile(t, dir, name, data)
		c, sum := run(t, Options{}, path)
		if c.errs[path] == nil || len(c.entries) != 1 || c.entries[0].Verdict != Conforms {
			t.Fatalf("%s: want its one entry checked, then the file refused; got %+v, %v", name, c.entries, c.errs[path])
		}
		if sum.Conforming != 0 || sum.Unreadable != 1 || sum.UnreadableFiles != 1 || sum.Entries != 1 || sum.ExitCode() != ExitUnreadable {
			t.Errorf("%s: summary %+v", name, sum)
		}
	}
}
