package har_test

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/har"
	"github.com/kconform/kconform/internal/recording"
	"github.com/kconform/kconform/internal/testkit"
)

// TestAddFilesMergesInCompletionOrder writes two captures (two processes)
// whose exchanges interleave in time and merges them: every entry once,
// in the order they completed, still readable by kconform validate.
func TestAddFilesMergesInCompletionOrder(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	entry := func(path string, startMS, durMS int) har.Entry {
		return har.Entry{Started: t0.Add(time.Duration(startMS) * time.Millisecond), Duration: time.Duration(durMS) * time.Millisecond,
			Exchange: exchange.Exchange{Method: "GET", URL: "http://127.0.0.1/hpp/v1/sessions/" + path, Status: 200}}
	}
	files := map[string][]har.Entry{
		"a.har": {entry("a1", 0, 10), entry("a2", 20, 30)}, // done at 10, 50
		"b.har": {entry("b1", 5, 10), entry("b2", 15, 5)},  // done at 15, 20
		"c.har": nil,                                       // a process that recorded nothing
	}
	var paths []string
	for name, es := range files {
		paths = append(paths, writeCapture(t, filepath.Join(dir, name), es...))
	}
	buf, w := merge(t, paths...)
	f, err := recording.OpenBytes("merged.har", buf.Bytes())
	if err != nil {
		t.Fatalf("the merged capture does not read back: %v\n%s", err, buf.String())
	}
	defer f.Close()
	var order []string
	for {
		rec, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil || rec.Err != nil {
			t.Fatalf("entry %d: %v %v", len(order), err, rec.Err)
		}
		u := rec.Exchange.URL
		order = append(order, u[strings.LastIndex(u, "/")+1:])
	}
	if want := "a1 b1 b2 a2"; strings.Join(order, " ") != want {
		t.Errorf("merged order %q, want %q (by completion)", order, want)
	}
	// Entries are copied whole: the fields the reader skips (when they
	// started, how long they took) are still there for other tools.
	for _, want := range []string{`"startedDateTime": "2026-01-02T03:04:05.015Z"`, `"time": 30`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the merged capture lost %s:\n%s", want, buf.String())
		}
	}

	bad := testkit.WriteFile(t, filepath.Join(dir, "bad.har"), "{")
	if err := w.AddFiles(bad); err == nil || !strings.Contains(err.Error(), "bad.har") {
		t.Errorf("a broken capture: %v, want an error naming it", err)
	}
}

// TestAddFilesKeepsEachFileInOrder: a process writes its exchanges in the
// order they completed, but HAR keeps when they started to the millisecond
// only, so two exchanges of one millisecond can look as if they completed
// the other way round. Reordering them made a session read after its
// DELETE look as if it left DISABLED (kconform validate failed the merged
// capture of a clean `run --procs 4`): one file's order is kept as
// written, and only files are interleaved.
func TestAddFilesKeepsEachFileInOrder(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	// x: 0.1 ms to 0.6 ms; y: 0.7 ms to 0.8 ms. Written as started at 0
	// ms, x seems done at 0.5 and y at 0.1.
	path := writeCapture(t, filepath.Join(dir, "one.har"),
		har.Entry{Started: t0.Add(100 * time.Microsecond), Duration: 500 * time.Microsecond, Exchange: exchange.Exchange{Method: "DELETE", URL: "http://127.0.0.1/hpp/v1/sessions/x", Status: 204}},
		har.Entry{Started: t0.Add(700 * time.Microsecond), Duration: 100 * time.Microsecond, Exchange: exchange.Exchange{Method: "GET", URL: "http://127.0.0.1/hpp/v1/sessions/y", Status: 200}},
	)
	buf, _ := merge(t, path)
	x, y := strings.Index(buf.String(), "sessions/x"), strings.Index(buf.String(), "sessions/y")
	if x < 0 || y < 0 || x > y {
		t.Errorf("one file's entries reordered (x at %d, y at %d), want them as written:\n%s", x, y, buf.String())
	}
}

// writeCapture writes entries to a new HAR file at path, as one process of
// a run does, and returns path.
func writeCapture(t *testing.T, path string, entries ...har.Entry) string {
	t.Helper()
	f, err := har.Create(path, har.Creator{Name: "kconform", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := f.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

// merge merges the captures at paths into one HAR and returns it, and the
// (closed) writer that wrote it.
func merge(t *testing.T, paths ...string) (*bytes.Buffer, *har.Writer) {
	t.Helper()
	var buf bytes.Buffer
	w, err := har.NewWriter(&buf, har.Creator{Name: "kconform", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddFiles(paths...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w
}
