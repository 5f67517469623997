package recording

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// File is an open recording: its detected format and its records, read one
// at a time with Next. A File is not safe for concurrent use.
type File struct {
	Name   string
	Format Format

	next  func() (Pending, error)
	close func() error
}

// Next returns the next record, io.EOF after the last one, or an *Error that
// stops the file (a truncated file, broken structure). A problem confined to
// one entry is not returned here: it is the record's Err.
func (f *File) Next() (Record, error) {
	p, err := f.next()
	if err != nil {
		return Record{}, err
	}
	return p.Record(), nil
}

// NextPending is Next without the decoding of the entry, for a caller that
// decodes entries on other goroutines: reading stays sequential, decoding
// need not.
func (f *File) NextPending() (Pending, error) { return f.next() }

// Pending is an entry read from a file but perhaps not yet decoded.
type Pending struct {
	rec Record
	// A HAR entry is decoded by Record: its raw JSON, where it starts in
	// the file, and the file's name for errors.
	har  []byte
	off  int64
	file string
}

// Index is the entry's position in its file.
func (p Pending) Index() int { return p.rec.Index }

// Record decodes the entry. It may be called from any goroutine, once. A
// caller that holds p elsewhere drops it first: a large entry's bytes are
// then garbage once decoded.
func (p Pending) Record() Record {
	if p.har == nil {
		return p.rec
	}
	large := len(p.har) >= collectFrom
	rec := decodeHAREntry(p.file, p.rec.Index, p.off, p.har)
	if large {
		// What reading the entry left (its pieces, its bytes when the
		// body was copied out) is garbage, but the last collection may
		// have seen it live, and the next waits until the heap doubles
		// that: checking the body would then grow the heap to four times
		// its size. Collect now, so the heap is sized by what is live,
		// and give the pages back, so the process is too.
		debug.FreeOSMemory()
	}
	return rec
}

// collectFrom is the size of an entry from which Record collects garbage:
// far above any real entry, so a collection costs little next to reading
// and checking it.
const collectFrom = 4 << 20

// Close releases the file.
func (f *File) Close() error {
	if f.close == nil {
		return nil
	}
	return f.close()
}

// Open opens a recording on disk and detects its format.
func Open(path string) (*File, error) {
	return open(path, func() (io.ReadCloser, error) { return OpenRegular(path) })
}

// OpenWith is Open reading the file through openFile, which may wrap it
// (to count the bytes read for a progress report); name is used in errors
// and to sharpen them by its extension. openFile may be called again to
// re-read a small file.
func OpenWith(name string, openFile func() (io.ReadCloser, error)) (*File, error) {
	return open(name, openFile)
}

// OpenBytes reads a recording held in memory; name is used in errors and to
// sharpen them by its extension.
func OpenBytes(name string, data []byte) (*File, error) {
	return open(name, func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
}

// readBufferSize is large enough that a typical HAR entry is decoded from one
// buffer fill.
const readBufferSize = 256 << 10

// open detects the format from the first bytes. reopen is called again only
// for a bare JSON body, whose exact bytes are re-read rather than rebuilt.
func open(name string, reopen func() (io.ReadCloser, error)) (*File, error) {
	rc, err := reopen()
	if err != nil {
		if re := (*Error)(nil); errors.As(err, &re) {
			return nil, err
		}
		return nil, &Error{File: name, Entry: -1, Err: unwrapPathError(err)}
	}
	f, err := detect(name, rc, reopen)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return f, nil
}

func detect(name string, rc io.ReadCloser, reopen func() (io.ReadCloser, error)) (*File, error) {
	br := bufio.NewReaderSize(rc, readBufferSize)
	first, err := firstByte(br)
	if errors.Is(err, io.EOF) {
		return nil, &Error{File: name, Entry: -1, Err: ErrEmpty}
	}
	if err != nil {
		return nil, &Error{File: name, Entry: -1, Err: err}
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case first == '{':
		return openJSON(name, ext, br, rc, reopen)
	case first == '[':
		return nil, &Error{File: name, Entry: -1, Err: errorf(ErrUnknownFile, "a JSON array at the top level; want an object (HAR, kconform exchanges or a body)")}
	case looksLikeHTTPResponse(br):
		return readHTTPResponse(name, br, rc)
	case ext == ".json" || ext == ".har":
		return nil, &Error{File: name, Entry: -1, Err: errorf(ErrNotJSON, "the file starts with %s, want '{'", describeByte(first))}
	default:
		return readVCR(name, ext, br, rc)
	}
}

// firstByte skips a UTF-8 byte order mark and white space, and returns the
// first significant byte without consuming it.
func firstByte(br *bufio.Reader) (byte, error) {
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c, br.UnreadByte()
	}
}

// describeByte names a byte for an error message without echoing content
// beyond that one character.
func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot %s: %w", pe.Op, pe.Err)
	}
	return err
}

// single returns a File that yields the given records and then io.EOF.
func single(name string, format Format, recs ...Record) *File {
	i := 0
	return &File{Name: name, Format: format, next: func() (Pending, error) {
		if i >= len(recs) {
			return Pending{}, io.EOF
		}
		i++
		return Pending{rec: recs[i-1]}, nil
	}}
}

// jsonError turns an encoding/json error into a reason a reader can act on:
// truncation, a syntax error at a byte offset, or a value of the wrong type
// (named by its JSON kind, never its content, which may be a secret).
func jsonError(err error, base int64) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return ErrTruncated
	case errors.As(err, &syn):
		return errorf(ErrNotJSON, "%s (at byte %d)", syn.Error(), base+syn.Offset)
	case errors.As(err, &typ):
		got, _, _ := strings.Cut(typ.Value, " ")
		where := typ.Field
		if where == "" {
			where = "value"
		}
		want := jsonKind(typ.Type.Kind().String())
		if got == "number" && want == "a number" {
			// The right kind, but no Go number holds it: 1e400, or 200.5
			// where a whole number goes.
			return fmt.Errorf("%s: number out of range or not a whole number", where)
		}
		return fmt.Errorf("%s: want %s, got %s", where, want, got)
	}
	return err
}

func jsonKind(goKind string) string {
	switch goKind {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "string":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	}
	return goKind
}
