// Package har owns HAR 1.2 (the format browsers' developer tools and
// proxies save): the document's types, which internal/recording decodes for
// `kconform validate`, and the writer behind `kconform run --record`.
// Every exchange is redacted before it is written: no credential or session
// cookie ever reaches the file.
package har

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/outfile"
)

// Version is the HAR version written.
const Version = "1.2"

// Creator names the program that wrote the capture (log.creator).
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Entry is one exchange with its timing. Comment, when set, is written as
// the entry's comment (e.g. "deliberately invalid request").
type Entry struct {
	Started  time.Time
	Duration time.Duration
	Exchange exchange.Exchange
	Comment  string
}

// Writer streams entries to w as one HAR document. Call Close to end it.
// It is safe for concurrent use.
type Writer struct {
	mu  sync.Mutex
	w   *bufio.Writer
	n   int
	err error
}

// NewWriter writes the beginning of the document (log.version, log.creator)
// and returns a Writer for its entries.
func NewWriter(w io.Writer, c Creator) (*Writer, error) {
	hw := &Writer{w: bufio.NewWriter(w)}
	creator, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(hw.w, "{\n  \"log\": {\n    \"version\": %q,\n    \"creator\": %s,\n    \"entries\": [", Version, creator)
	return hw, nil
}

// Add writes one entry, redacted. The first error is kept and returned by
// every later call and by Close.
func (w *Writer) Add(e Entry) error {
	return w.add(toHAR(e))
}

// add writes one entry already in HAR form (and redacted).
func (w *Writer) add(e LogEntry) error {
	b, err := json.MarshalIndent(e, "      ", "  ")
	return w.addJSON(b, err)
}

// addJSON writes one entry's JSON text, indented as an element of
// log.entries; err is the error of making that text.
func (w *Writer) addJSON(b []byte, err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if err != nil {
		w.err = err
		return err
	}
	sep := ",\n      "
	if w.n == 0 {
		sep = "\n      "
	}
	w.n++
	if _, err := w.w.WriteString(sep); err != nil {
		w.err = err
		return err
	}
	if _, err := w.w.Write(b); err != nil {
		w.err = err
	}
	return w.err
}

// Len is the number of entries written so far.
func (w *Writer) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// Close ends the document and flushes it. It does not close the underlying
// writer.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	end := "\n    ]\n  }\n}\n"
	if w.n == 0 {
		end = "]\n  }\n}\n"
	}
	if _, err := w.w.WriteString(end); err != nil {
		w.err = err
		return err
	}
	w.err = w.w.Flush()
	if w.err == nil {
		w.err = errClosed
		return nil
	}
	return w.err
}

var errClosed = errors.New("har: the writer is closed")

// AddFiles adds the entries of captures this package wrote (one per
// process of a parallel run) in the order they completed, as one process
// writing them all would have. Each file is already in that order (an
// entry is written when its exchange ends) and is kept as written: HAR
// keeps the start to the millisecond only, so start plus duration may
// swap two exchanges of one millisecond (a read and the DELETE before
// it, say). Only the files are interleaved by that estimate.
func (w *Writer) AddFiles(paths ...string) error {
	type timed struct {
		raw  json.RawMessage // the entry as written: LogEntry reads only what validation needs
		done time.Time
	}
	files := make([][]timed, 0, len(paths))
	for _, p := range paths {
		var all []timed
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var doc struct {
			Log struct {
				Entries []json.RawMessage `json:"entries"`
			} `json:"log"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %v", p, err)
		}
		for i, raw := range doc.Log.Entries {
			var when struct {
				Started string  `json:"startedDateTime"`
				Time    float64 `json:"time"`
			}
			if err := json.Unmarshal(raw, &when); err != nil {
				return fmt.Errorf("%s: entry %d: %v", p, i, err)
			}
			started, err := time.Parse(time.RFC3339Nano, when.Started)
			if err != nil {
				return fmt.Errorf("%s: entry %d: startedDateTime %q: %v", p, i, when.Started, err)
			}
			all = append(all, timed{raw, started.Add(time.Duration(when.Time * float64(time.Millisecond)))})
		}
		files = append(files, all)
	}
	for {
		// The file whose next entry completed first (the earlier file on
		// a tie).
		next := -1
		for i, f := range files {
			if len(f) > 0 && (next < 0 || f[0].done.Before(files[next][0].done)) {
				next = i
			}
		}
		if next < 0 {
			return nil
		}
		t := files[next][0]
		files[next] = files[next][1:]
		var b bytes.Buffer
		err := json.Indent(&b, t.raw, "      ", "  ")
		if err := w.addJSON(b.Bytes(), err); err != nil {
			return err
		}
	}
}

// File is a HAR capture being written to a temporary file next to its
// final path (internal/outfile); Commit renames it into place, so the path
// never holds a half-written capture.
type File struct {
	*Writer
	out *outfile.File
}

// Create checks that path can be written (its folder exists, it is not a
// folder) and starts the capture in a temporary file in the same folder.
func Create(path string, c Creator) (*File, error) {
	out, err := outfile.Create(path)
	if err != nil {
		return nil, err
	}
	w, err := NewWriter(out, c)
	if err != nil {
		out.Abort()
		return nil, err
	}
	return &File{Writer: w, out: out}, nil
}

// Commit ends the document and moves it to its path.
func (f *File) Commit() error {
	if err := f.Writer.Close(); err != nil {
		f.out.Abort()
		return fmt.Errorf("write %s: %w", f.out.Path(), err)
	}
	return f.out.Commit()
}

// Abort removes the temporary file; the path is left as it was. It does
// nothing after Commit.
func (f *File) Abort() { f.out.Abort() }

func toHAR(e Entry) LogEntry {
	ex := e.Exchange.Redact()
	ms := float64(e.Duration.Microseconds()) / 1000
	started := e.Started
	if started.IsZero() {
		started = time.Now()
	}
	out := LogEntry{
		Started: SkippedString(started.UTC().Format("2006-01-02T15:04:05.000Z")),
		Time:    SkippedNumber(ms),
		Timings: Timings{Wait: ms},
		Comment: SkippedString(e.Comment),
		Request: &Request{
			Method:      ex.Method,
			URL:         ex.URL,
			HTTPVersion: "HTTP/1.1",
			Cookies:     []NameValue{},
			Headers:     headers(ex.RequestHeader),
			QueryString: query(ex.URL),
			HeadersSize: -1,
			BodySize:    SkippedNumber(len(ex.RequestBody)),
		},
		Response: &Response{
			Status:      ex.Status,
			StatusText:  SkippedString(http.StatusText(ex.Status)),
			HTTPVersion: "HTTP/1.1",
			Cookies:     []NameValue{},
			Headers:     headers(ex.ResponseHeader),
			RedirectURL: SkippedString(ex.ResponseHeader.Get("Location")),
			HeadersSize: -1,
			BodySize:    SkippedNumber(len(ex.ResponseBody)),
		},
	}
	if len(ex.RequestBody) > 0 {
		text, enc := bodyText(ex.RequestBody)
		out.Request.PostData = &PostData{MimeType: ex.RequestHeader.Get("Content-Type"), Text: text, Encoding: enc}
	}
	text, enc := bodyText(ex.ResponseBody)
	out.Response.Content = &Content{Size: SkippedNumber(len(ex.ResponseBody)), MimeType: ex.ResponseHeader.Get("Content-Type"), Text: text, Encoding: enc}
	return out
}

func bodyText(b []byte) (text Text, encoding string) {
	if utf8.Valid(b) {
		return StringText(string(b)), ""
	}
	return StringText(base64.StdEncoding.EncodeToString(b)), "base64"
}

// headers lists h sorted by name, one pair per value.
func headers(h http.Header) []NameValue {
	out := []NameValue{}
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			out = append(out, NameValue{Name: k, Value: v})
		}
	}
	return out
}

func query(raw string) []NameValue {
	out := []NameValue{}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	q := u.Query()
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[k] {
			out = append(out, NameValue{Name: k, Value: v})
		}
	}
	return out
}
