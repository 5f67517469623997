package audit

import (
	"os"
	"strings"
	"testing"
)

// Progress ends at the run's totals, counts each file's bytes once (a bare
// body is read twice), and changes nothing that is reported.
func TestProgressCountsTheRun(t *testing.T) {
	dir := t.TempDir()
	favicon := harEntry{Method: "GET", URL: "https://shop.example.com/favicon.ico", Status: 200,
		RespHeaders: map[string]string{"Content-Type": "image/x-icon"}, RespBody: "icon"}
	ok := hppRead("s1", hppSession("s1", "WAITING", t0, expires, ""))
	capture := har(ok, favicon, ok)
	files := []string{
		writeFile(t, dir, "a.har", capture),
		writeFile(t, dir, "b-cut.har", capture[:len(capture)-200]),
		writeFile(t, dir, "c-body.json", hppSession("s1", "WAITING", t0, expires, "")),
		dir + "/d-missing.har",
	}
	var size int64
	for _, f := range files {
		if info, err := os.Stat(f); err == nil {
			size += info.Size()
		}
	}

	var p Progress
	withProgress, sum := run(t, Options{Progress: &p}, files...)
	without, _ := run(t, Options{}, files...)
	if got, want := strings.Join(withProgress.events, "\n"), strings.Join(without.events, "\n"); got != want {
		t.Errorf("events with progress:\n%s\nwithout:\n%s", got, want)
	}
	clean := 0
	for _, e := range withProgress.entries {
		if e.Verdict == Conforms && len(e.Issues) == 0 {
			clean++
		}
	}
	if p.Files.Load() != int64(sum.Files) || p.Entries.Load() != int64(sum.Entries) || p.WithIssues.Load() != int64(sum.Entries-clean) {
		t.Errorf("progress files %d entries %d with issues %d; summary %+v with %d clean",
			p.Files.Load(), p.Entries.Load(), p.WithIssues.Load(), sum, clean)
	}
	if p.WithIssues.Load() == 0 || p.WithIssues.Load() == p.Entries.Load() {
		t.Errorf("want some entries with issues and some without, got %d of %d", p.WithIssues.Load(), p.Entries.Load())
	}
	if got := p.BytesRead.Load(); got != size {
		t.Errorf("bytes read %d, want the files' %d", got, size)
	}
}
