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
	fuzzFormat(f, "fuzz.har", ".har",
		harOf(harEntryStandard),
		`{"log":{"entries":[{"request":{"method":"GET","url":"u"},"response":{"status":0}}],"version":"1.2"}}`,
		`{"log":{"version":"1.2","entries":[{"request":{"method":"POST","url":"u","postData":{"text":{"a":[1,2]}}},"response":{"status":200,"content":{"encoding":"base64","text":"e30="}}}]}}`,
		`{"exchanges":[{"method":"GET","url":"u","status":200,"response":{"body":"x"}}]}`,
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
		"http_interactions:\n- request: {method: get, uri: u}\n  response: {status: {code: 200}}\n",
	)
}

// fuzzFormat fuzzes the reader of the files called name (see fuzzReader),
// seeded with seeds and with the shared recordings whose names end in
// shared ("" for none).
func fuzzFormat(f *testing.F, name, shared string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if shared != "" {
		addShared(f, shared)
	}
	fuzzReader(f, name)
}

// fuzzReader reads every record of data as a file called name: no panic,
// no endless file, and every error an *Error that names the file.
func fuzzReader(f *testing.F, name string) {
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := OpenBytes(name, data)
		if err != nil {
			checkFuzzError(t, name, err)
			return
		}
		defer file.Close()
		for n := 0; ; n++ {
			rec, err := file.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				checkFuzzError(t, name, err)
				return
			}
			if rec.Err != nil {
				checkFuzzError(t, name, rec.Err)
			}
			if n > len(data) {
				t.Fatalf("more records (%d) than input bytes", n)
			}
		}
	})
}

// addShared seeds f with the shared recordings whose names end in suffix.
func addShared(f *testing.F, suffix string) {
	// Without them TestSharedRecordings skips, or fails under CI.
	dir, _ := groundtruth.Locate("recordings")
	shared, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range shared {
		if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && strings.HasSuffix(e.Name(), suffix) {
			f.Add(data)
		}
	}
}

// FuzzVCR: VCR cassettes (YAML).
func FuzzVCR(f *testing.F) {
	fuzzFormat(f, "fuzz.yml", ".yml",
		"http_interactions:\n- request: {method: get, uri: u}\n  response: {status: {code: 200}}\n",
		"interactions:\n- request:\n    method: POST\n    uri: https://api.klarna.com/payments/v1/sessions\n    body: {string: '{}'}\n  response:\n    status: {code: 200}\n    body: {string: '{\"session_id\":\"x\"}'}\n",
		"&a [*a, *a]\n",
	)
}

// FuzzHTTPResponse: raw HTTP responses.
func FuzzHTTPResponse(f *testing.F) {
	fuzzFormat(f, "fuzz.txt", ".txt",
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
		"HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n2\r\n{}\r\n0\r\n\r\n",
		"HTTP/2 204\r\n\r\n",
	)
}

// FuzzExchanges: kconform's JSON exchange format, a list or one exchange.
func FuzzExchanges(f *testing.F) {
	fuzzFormat(f, "fuzz.json", "",
		`{"exchanges":[{"method":"GET","url":"u","status":200,"response":{"body":"x"}}]}`,
		`{"exchanges":[{"operation":"hppStatusUpdateCallback","request":{"headers":{"A":["1","2"]},"body":{"a":1}}},{"status":200,"operation":"getSessionById","response":{"body":"e30=","encoding":"base64"}}],"_note":1}`,
		`{"_source":"x","method":"DELETE","url":"https://api.klarna.com/hpp/v1/sessions/x","status":204}`,
	)
}

// FuzzFixture: _source fixtures and bare JSON bodies.
func FuzzFixture(f *testing.F) {
	fuzzFormat(f, "fuzz.json", ".json",
		`{"_source":{"endpoint":"POST /hpp/v1/sessions (201 body)"},"response":{"session_id":"x"}}`,
		`{"_source":{"endpoint":"status_update callback"},"callback":{"session":{}}}`,
		`{"_source":{"operation":"createCreditSession"},"method":"post","path":"/payments/v1/sessions","body":{}}`,
		`{"session_id":"x","status":"WAITING","a":1,"a":2}`,
	)
}

func checkFuzzError(t *testing.T, name string, err error) {
	t.Helper()
	var re *Error
	if !errors.As(err, &re) || re.File != name || !strings.HasPrefix(err.Error(), name+": ") {
		t.Fatalf("error does not name the file: %#v", err)
	}
}
