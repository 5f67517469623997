package recording

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/groundtruth"
)

// FuzzHAR feeds arbitrary bytes to the reader as a .har file: it must never
// panic, and every error must be an *Error naming the file.
//
//	go test -run='^$' -fuzz=FuzzHAR -fuzztime=30s -fuzzminimizetime=2s ./internal/recording
//
// (-fuzzminimizetime keeps the minimization of each new input short;
// the default minute per input stalls a 30 s run.)
func FuzzHAR(f *testing.F) {
	f.Add([]byte(harOf(harEntryStandard)))
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"GET","url":"u"},"response":{"status":0}}],"version":"1.2"}}`))
	f.Add([]byte(`{"log":{"version":"1.2","entries":[{"request":{"method":"POST","url":"u","postData":{"text":{"a":[1,2]}}},"response":{"status":200,"content":{"encoding":"base64","text":"e30="}}}]}}`))
	f.Add([]byte(`{"exchanges":[{"method":"GET","url":"u","status":200,"response":{"body":"x"}}]}`))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}"))
	f.Add([]byte("http_interactions:\n- request: {method: get, uri: u}\n  response: {status: {code: 200}}\n"))
	// The shared recordings add to the corpus when present (without them
	// TestSharedRecordings skips, or fails under CI).
	dir, _ := groundtruth.Locate("recordings")
	if shared, err := os.ReadDir(dir); err == nil {
		for _, e := range shared {
			if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && strings.HasSuffix(e.Name(), ".har") {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := OpenBytes("fuzz.har", data)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		defer file.Close()
		for n := 0; ; n++ {
			rec, err := file.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				checkFuzzError(t, err)
				return
			}
			if rec.Err != nil {
				checkFuzzError(t, rec.Err)
			}
			if n > len(data) {
				t.Fatalf("more records (%d) than input bytes", n)
			}
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var re *Error
	if !errors.As(err, &re) || re.File != "fuzz.har" || !strings.HasPrefix(err.Error(), "fuzz.har: ") {
		t.Fatalf("error does not name the file: %#v", err)
	}
}
