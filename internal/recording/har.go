package recording

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/har"
)

// harVersions are the HAR versions whose entries this reader understands
// (1.2 is what tools write today; 1.1 has the same entry shape).
var harVersions = map[string]bool{"1.1": true, "1.2": true}

// harStream reads log.entries one at a time. The token walk is positioned
// inside the log object when it starts; keys before "entries" are read
// first. The entries are then cut out by a splitter and decoded later
// (Pending.Record); what follows them (and log) is walked once they are
// done.
type harStream struct {
	w       *jsonWalk
	split   *splitter
	index   int
	version string
	done    bool
}

func openHAR(w *jsonWalk, br *bufio.Reader, rc io.ReadCloser) (*File, error) {
	if err := w.delim('{', "log"); err != nil {
		return nil, &Error{File: w.name, Entry: -1, Err: errorf(ErrNotHAR, "%v", err)}
	}
	s := &harStream{w: w}
	if err := s.toEntries(); err != nil {
		return nil, err
	}
	// The decoder has read ahead: continue from what it holds, then the file.
	s.split = newSplitter(io.MultiReader(w.dec.Buffered(), br), w.dec.InputOffset())
	// A file that can be read again at an offset lets a large entry be
	// read at its size (splitter.src): where the file is now, less what
	// is read ahead, is where the splitter starts.
	ra, ok := rc.(interface {
		io.ReaderAt
		io.Seeker
	})
	ahead, known := w.dec.Buffered().(interface{ Len() int })
	if ok && known {
		if pos, err := ra.Seek(0, io.SeekCurrent); err == nil {
			s.split.src = ra
			s.split.base = pos - int64(br.Buffered()+ahead.Len()) - w.dec.InputOffset()
		}
	}
	return &File{Name: w.name, Format: FormatHAR, next: s.next, close: rc.Close}, nil
}

// toEntries reads log's keys up to and including the '[' of "entries".
func (s *harStream) toEntries() error {
	for s.w.dec.More() {
		key, err := s.w.key()
		if err == nil {
			err = s.w.once(key, "log")
		}
		if err != nil {
			return s.fail(-1, "log", err)
		}
		switch key {
		case "version":
			if err := s.readVersion(s.w.dec); err != nil {
				return err
			}
		case "entries":
			if err := s.w.delim('[', "log.entries"); err != nil {
				return s.fail(-1, "", errorf(ErrNotHAR, "%v", err))
			}
			return nil
		default:
			if err := s.w.skip(); err != nil {
				return s.fail(-1, "log."+key, err)
			}
		}
	}
	return s.fail(-1, "", errorf(ErrNotHAR, "log has no \"entries\""))
}

func (s *harStream) readVersion(dec *json.Decoder) error {
	var v any
	if err := dec.Decode(&v); err != nil {
		return s.fail(-1, "log.version", jsonError(err, 0))
	}
	str, ok := v.(string)
	if !ok {
		return s.fail(-1, "log.version", errorf(ErrHARVersion, "want a string such as \"1.2\""))
	}
	if !harVersions[str] {
		return s.fail(-1, "log.version", errorf(ErrHARVersion, "%q (kconform reads 1.1 and 1.2)", str))
	}
	s.version = str
	return nil
}

func (s *harStream) fail(entry int, where string, err error) error {
	return &Error{File: s.w.name, Entry: entry, Where: where, Err: err}
}

func (s *harStream) next() (Pending, error) {
	if s.done {
		return Pending{}, io.EOF
	}
	raw, off, end, err := s.split.next()
	if err != nil {
		if s.split.inValue {
			return Pending{}, s.fail(s.index, "", err)
		}
		// Between entries: the array itself is broken.
		return Pending{}, s.fail(-1, "log.entries", err)
	}
	if end {
		s.done = true
		if err := s.finish(); err != nil {
			return Pending{}, err
		}
		return Pending{}, io.EOF
	}
	i := s.index
	s.index++
	return Pending{rec: Record{Index: i}, har: raw, off: off, file: s.w.name}, nil
}

// afterEntries turns what follows the entries' ']' (the rest of log, then
// the rest of the file) into a document a decoder can walk: prefixed with
// `{"_":{"_":0`, the remaining members of both objects complete it.
const afterEntries = `{"_":{"_":0`

// finish reads what follows the entries: the rest of log (its version may
// come last, as Polly.js writes keys in alphabetical order) and of the file.
func (s *harStream) finish() error {
	dec := json.NewDecoder(io.MultiReader(strings.NewReader(afterEntries), s.split.r))
	base := s.split.off - int64(len(afterEntries))
	w := &jsonWalk{name: s.w.name, dec: dec, base: base, seen: s.w.seen}
	fail := func(where string, err error) error { return s.fail(-1, where, err) }
	for range 2 { // '{' and "_" of each object of the prefix
		for range 2 {
			if _, err := dec.Token(); err != nil {
				return fail("log", jsonError(err, base))
			}
		}
	}
	if err := w.skip(); err != nil { // the prefix's 0
		return fail("log", err)
	}
	for dec.More() {
		key, err := w.key()
		if err == nil {
			err = w.once(key, "log")
		}
		if err != nil {
			return fail("log", err)
		}
		if key == "version" {
			if err := s.readVersion(dec); err != nil {
				return err
			}
			continue
		}
		if err := w.skip(); err != nil {
			return fail("log."+key, err)
		}
	}
	if _, err := dec.Token(); err != nil { // log's '}'
		return fail("log", jsonError(err, base))
	}
	for dec.More() {
		key, err := w.key()
		if err == nil {
			err = w.once(key, "")
		}
		if err == nil {
			err = w.skip()
		}
		if err != nil {
			return fail(key, err)
		}
	}
	if err := w.end(); err != nil {
		return fail("", err)
	}
	return nil
}

// decodeHAREntry turns the raw JSON of entry index into a record. Whatever
// is wrong with it (syntax, types, no response) stays with the entry. raw is
// the entry's own (a splitter's element): a large body is unquoted in it.
func decodeHAREntry(file string, index int, off int64, raw []byte) Record {
	rec := decodeHAREntryParts(file, index, off, raw)
	if rec.Err != nil {
		rec.Credentials = rawCredentials(raw)
	}
	return rec
}

func decodeHAREntryParts(file string, index int, off int64, raw []byte) Record {
	// Before decoding: a large body is unquoted in raw's own bytes.
	if where, key, dup := duplicateKey(raw); dup {
		return Record{Index: index, Err: &Error{File: file, Entry: index,
			Err: duplicateKeyError(key, where)}}
	}
	var e har.LogEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		if named := headerTypeError(raw, err); named != nil {
			err = named
		} else {
			err = jsonError(err, off)
		}
		return Record{Index: index, Err: &Error{File: file, Entry: index, Err: err}}
	}
	rec, err := harRecord(&e, index)
	if err != nil {
		rec.Err = &Error{File: file, Entry: index, Err: err}
	}
	return rec
}

// headerTypeError names the header of a type error in a header's name or
// value ("response header \"Content-Length\": value: want a string, got
// number"): encoding/json says only "response.headers.value", not which of
// the headers. nil for any other error.
func headerTypeError(raw []byte, err error) error {
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) {
		return nil
	}
	side, part, ok := strings.Cut(typ.Field, ".headers.")
	if !ok || (side != "request" && side != "response") || (part != "name" && part != "value") {
		return nil
	}
	type headers struct {
		Headers []map[string]json.RawMessage `json:"headers"`
	}
	var e struct{ Request, Response headers }
	if json.Unmarshal(raw, &e) != nil {
		return nil
	}
	hs := e.Request.Headers
	if side == "response" {
		hs = e.Response.Headers
	}
	for i, h := range hs {
		v, ok := h[part]
		if !ok || bytes.HasPrefix(bytes.TrimSpace(v), []byte(`"`)) || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			continue
		}
		which := fmt.Sprintf("%s header %d", side, i)
		var name string
		if json.Unmarshal(h["name"], &name) == nil && name != "" {
			which = fmt.Sprintf("%s header %q", side, name)
		}
		return fmt.Errorf("%s: %s: want a string, got %s", which, part, jsonValueKind(v))
	}
	return nil
}

// jsonValueKind is the JSON kind of a raw value, never its content.
func jsonValueKind(v json.RawMessage) string {
	switch b := bytes.TrimSpace(v); {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	default:
		return "number"
	}
}

// harRecord turns a decoded entry into an exchange. The returned record keeps
// the index and whatever was read even when err is set, so a report can say
// which request lost its response.
func harRecord(e *har.LogEntry, index int) (Record, error) {
	rec := Record{Index: index, Kind: KindExchange}
	if e.Request == nil {
		return rec, errors.New("request: missing")
	}
	rec.Exchange.Method = strings.ToUpper(e.Request.Method)
	rec.Exchange.URL = e.Request.URL
	if rec.Exchange.Method == "" || rec.Exchange.URL == "" {
		return rec, errors.New("request: method and url are required")
	}
	rec.Exchange.RequestHeader = harHeaders(e.Request.Headers)
	var err error
	if pd := e.Request.PostData; pd != nil {
		if rec.Exchange.RequestBody, err = harBody(pd.Text, pd.Encoding, pd.MimeType, "request.postData.text", rec.Exchange.RequestHeader); err != nil {
			return rec, err
		}
	}
	if e.Response == nil {
		return rec, errorf(ErrNoResponse, "the entry has no response (%s %s)", rec.Exchange.Method, exchange.RedactURL(rec.Exchange.URL))
	}
	if e.Response.Status <= 0 {
		return rec, errorf(ErrNoResponse, "response.status is %d: the request got no response (aborted, blocked or failed; %s %s)",
			e.Response.Status, rec.Exchange.Method, exchange.RedactURL(rec.Exchange.URL))
	}
	rec.Exchange.Status = e.Response.Status
	rec.Exchange.ResponseHeader = harHeaders(e.Response.Headers)
	if c := e.Response.Content; c != nil {
		if rec.Exchange.ResponseBody, err = harBody(c.Text, c.Encoding, c.MimeType, "response.content.text", rec.Exchange.ResponseHeader); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// harBody is a request's postData or a response's content as bytes (field
// names it in an error), with header's Content-Type filled in from
// mimeType where the tool left it out.
func harBody(text har.Text, encoding, mimeType, field string, header http.Header) ([]byte, error) {
	body, err := harText(text, encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	defaultContentType(header, mimeType, body)
	return body, nil
}

func harHeaders(hs []har.NameValue) http.Header {
	h := make(http.Header, len(hs))
	for _, kv := range hs {
		// HTTP/2 pseudo-headers (:method, :path, ...) are not headers.
		if kv.Name == "" || kv.Name[0] == ':' {
			continue
		}
		h.Add(kv.Name, kv.Value)
	}
	return h
}

// harText returns a body as bytes: a JSON string is the text itself (base64
// when encoding says so); any other JSON value is a body that Polly.js stored
// already parsed, and its JSON text is the body.
func harText(t har.Text, encoding string) ([]byte, error) {
	if !t.IsString() {
		if t.Bytes() == nil {
			return nil, nil
		}
		if encoding != "" {
			return nil, fmt.Errorf("encoding %q needs a string", encoding)
		}
		return t.Bytes(), nil
	}
	if t.Bad() {
		return nil, errorf(ErrNotJSON, "not a JSON string")
	}
	text := t.Bytes()
	switch strings.ToLower(encoding) {
	case "":
		return text, nil
	case "base64":
		b, err := base64.StdEncoding.AppendDecode(nil, text)
		if err != nil {
			return nil, fmt.Errorf("not valid base64 (encoding \"base64\")")
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown encoding %q (HAR knows base64)", encoding)
}

// defaultContentType fills in Content-Type from HAR's mimeType when a tool
// recorded the body's type but not the header.
func defaultContentType(h http.Header, mimeType string, body []byte) {
	if mimeType != "" && len(body) > 0 && h.Get("Content-Type") == "" {
		h.Set("Content-Type", mimeType)
	}
}
