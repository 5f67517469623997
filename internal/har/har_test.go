package har_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/har"
	"github.com/kconform/kconform/internal/recording"
)

const secret = "hunter2-har-secret"

func sample() []har.Entry {
	reqH := http.Header{"Authorization": {"Basic " + secret}, "Content-Type": {"application/json"}, "Cookie": {"s=" + secret}}
	return []har.Entry{
		{
			Started: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC), Duration: 12 * time.Millisecond,
			Exchange: exchange.Exchange{
				Method: "POST", URL: "http://u:" + secret + "@127.0.0.1:8080/hpp/v1/sessions?a=1&b=2",
				RequestHeader: reqH, RequestBody: []byte(`{"x":"é"}`),
				Status: 201, ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Set-Cookie": {"t=" + secret}},
				ResponseBody: []byte(`{"session_id":"1"}`),
			},
		},
		{
			Comment: "deliberately invalid request",
			Exchange: exchange.Exchange{
				Method: "GET", URL: "http://127.0.0.1:8080/x", RequestHeader: http.Header{},
				Status: 303, ResponseHeader: http.Header{"Location": {"/y"}},
				ResponseBody: []byte{0xff, 0xfe, 0x00},
			},
		},
	}
}

// TestRoundTrip writes exchanges and reads them back with the recording
// package `kconform validate` uses: the same exchanges, redacted.
func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := har.NewWriter(&buf, har.Creator{Name: "kconform", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	in := sample()
	for _, e := range in {
		if err := w.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), secret) {
		t.Fatalf("a secret reached the file:\n%s", buf.String())
	}
	var doc struct {
		Log struct {
			Version string
			Creator har.Creator
			Entries []map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if doc.Log.Version != "1.2" || doc.Log.Creator.Name != "kconform" || len(doc.Log.Entries) != 2 {
		t.Fatalf("log: %+v", doc.Log)
	}
	for _, k := range []string{"startedDateTime", "time", "request", "response", "cache", "timings"} {
		if _, ok := doc.Log.Entries[0][k]; !ok {
			t.Errorf("entry lacks %q", k)
		}
	}
	if got := doc.Log.Entries[0]["startedDateTime"]; got != "2026-01-02T03:04:05.006Z" {
		t.Errorf("startedDateTime %v", got)
	}

	f, err := recording.OpenBytes("x.har", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Format != recording.FormatHAR {
		t.Errorf("format %s", f.Format)
	}
	for i, e := range in {
		rec, err := f.Next()
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if rec.Err != nil {
			t.Fatalf("entry %d: %v", i, rec.Err)
		}
		want := e.Exchange.Redact()
		got := rec.Exchange
		if got.Method != want.Method || got.URL != want.URL || got.Status != want.Status ||
			!bytes.Equal(got.RequestBody, want.RequestBody) || !bytes.Equal(got.ResponseBody, want.ResponseBody) ||
			!reflect.DeepEqual(got.RequestHeader, want.RequestHeader) || !reflect.DeepEqual(got.ResponseHeader, want.ResponseHeader) {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if _, err := f.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last entry: %v", err)
	}
}

func TestEmpty(t *testing.T) {
	var buf bytes.Buffer
	w, _ := har.NewWriter(&buf, har.Creator{Name: "kconform"})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := recording.OpenBytes("x.har", buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if _, err := f.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("an empty capture: %v", err)
	}
}

// TestFileCommitAndAbort: nothing is at the path until Commit; Abort
// leaves the folder as it was.
func TestFileCommitAndAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.har")
	f, err := har.Create(path, har.Creator{Name: "kconform"})
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Add(sample()[0])
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the path exists before Commit: %v", err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // no effect after Commit
	if b, err := os.ReadFile(path); err != nil || !bytes.Contains(b, []byte(`"version": "1.2"`)) {
		t.Fatalf("after Commit: %v\n%s", err, b)
	}

	other := filepath.Join(dir, "aborted.har")
	f, err = har.Create(other, har.Creator{Name: "kconform"})
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Add(sample()[0])
	f.Abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("after Abort the folder holds %d files, want only run.har", len(entries))
	}

	for _, bad := range []string{filepath.Join(dir, "no-such-dir", "x.har"), dir, ""} {
		if _, err := har.Create(bad, har.Creator{}); err == nil {
			t.Errorf("Create(%q): no error", bad)
		}
	}
}
