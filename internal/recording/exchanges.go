package recording

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// kconform's JSON exchange format (docs/validate.md "JSON exchange format"):
//
//	{"exchanges": [ {exchange}, ... ]}   or a single {exchange}
//
//	exchange: {"operation"?, "method"?, "url"?, "status"?, "request"?, "response"?}
//	message:  {"headers"?: {name: string | [string]}, "body"?: JSON value | string, "encoding"?: "base64"}
//
// A string body is the body text; any other JSON value is a JSON body as
// written, and implies Content-Type application/json when no header gives one. Keys starting with "_" are comments; any other unknown key is an
// error, so a typo does not silently drop a field.

type jsonExchange struct {
	Operation string       `json:"operation"`
	Method    string       `json:"method"`
	URL       string       `json:"url"`
	Status    int          `json:"status"`
	Request   *jsonMessage `json:"request"`
	Response  *jsonMessage `json:"response"`
}

type jsonMessage struct {
	Headers  map[string]json.RawMessage `json:"headers"`
	Body     json.RawMessage            `json:"body"`
	Encoding string                     `json:"encoding"`
}

var (
	exchangeKeys = keySet("operation", "method", "url", "status", "request", "response")
	messageKeys  = keySet("headers", "body", "encoding")
)

func keySet(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// exchangeStream reads the "exchanges" array one element at a time.
type exchangeStream struct {
	w     *jsonWalk
	index int
	done  bool
}

func openExchanges(w *jsonWalk, rc io.ReadCloser) (*File, error) {
	if err := w.delim('[', "exchanges"); err != nil {
		return nil, &Error{File: w.name, Entry: -1, Where: "exchanges", Err: err}
	}
	s := &exchangeStream{w: w}
	return &File{Name: w.name, Format: FormatExchanges, next: s.next, close: rc.Close}, nil
}

func (s *exchangeStream) next() (Pending, error) {
	rec, err := s.read()
	return Pending{rec: rec}, err
}

func (s *exchangeStream) read() (Record, error) {
	if s.done {
		return Record{}, io.EOF
	}
	if s.w.dec.More() {
		i := s.index
		s.index++
		var raw json.RawMessage
		if err := s.w.dec.Decode(&raw); err != nil {
			return Record{}, &Error{File: s.w.name, Entry: i, Err: jsonError(err, 0)}
		}
		rec, err := parseExchange(raw, i)
		if err != nil {
			rec.Err = &Error{File: s.w.name, Entry: i, Err: err}
			rec.Credentials = rawCredentials(raw)
		}
		return rec, nil
	}
	s.done = true
	if _, err := s.w.dec.Token(); err != nil { // ']'
		return Record{}, &Error{File: s.w.name, Entry: -1, Where: "exchanges", Err: jsonError(err, 0)}
	}
	for s.w.dec.More() {
		key, err := s.w.key()
		if err == nil {
			err = s.w.once(key, "")
		}
		if err == nil {
			err = s.w.skip()
		}
		if err != nil {
			return Record{}, &Error{File: s.w.name, Entry: -1, Where: key, Err: err}
		}
	}
	if err := s.w.end(); err != nil {
		return Record{}, &Error{File: s.w.name, Entry: -1, Err: err}
	}
	return Record{}, io.EOF
}

// parseExchange reads one exchange object and decides its kind from the
// parts present.
func parseExchange(raw json.RawMessage, index int) (Record, error) {
	rec := Record{Index: index}
	obj, err := objectKeys(raw, "exchange")
	if err != nil {
		return rec, err
	}
	if err := checkKeys(obj, exchangeKeys, ""); err != nil {
		return rec, err
	}
	for _, side := range []string{"request", "response"} {
		if m, ok := obj[side]; ok && string(m) != "null" {
			sub, err := objectKeys(m, side)
			if err != nil {
				return rec, err
			}
			if err := checkKeys(sub, messageKeys, side); err != nil {
				return rec, err
			}
		}
	}
	var x jsonExchange
	if err := json.Unmarshal(raw, &x); err != nil {
		return rec, jsonError(err, 0)
	}
	ex := &rec.Exchange
	ex.Method, ex.URL, ex.Status = strings.ToUpper(x.Method), x.URL, x.Status
	rec.Operation = x.Operation
	if (ex.Method == "") != (ex.URL == "") {
		return rec, errors.New("method and url go together: give both or neither")
	}
	if x.Response != nil && ex.Status <= 0 {
		return rec, errorf(ErrNoResponse, "a response needs a status (a positive number)")
	}
	if ex.RequestHeader, ex.RequestBody, err = x.Request.read("request"); err != nil {
		return rec, err
	}
	if ex.ResponseHeader, ex.ResponseBody, err = x.Response.read("response"); err != nil {
		return rec, err
	}
	// The sides present decide the kind, whatever names the operation: a
	// request is there when its line or its message is. "operation" names
	// the exchange, not a side of it, so it never drops the request.
	hasRequest := ex.Method != "" || x.Request != nil
	hasResponse := ex.Status > 0
	switch {
	case hasRequest && hasResponse:
		rec.Kind = KindExchange
	case hasRequest:
		rec.Kind = KindRequest
	case hasResponse:
		rec.Kind = KindResponse
	default:
		return rec, errors.New("nothing to check: give method and url, a status and response, or an operation and a request")
	}
	if ex.Method == "" && rec.Operation == "" && rec.Kind == KindRequest {
		return rec, errors.New("a request without method and url needs an operation")
	}
	return rec, nil
}

// read returns the message's headers and body bytes; a nil message is empty.
func (m *jsonMessage) read(side string) (http.Header, []byte, error) {
	if m == nil {
		return http.Header{}, nil, nil
	}
	h := make(http.Header, len(m.Headers))
	names := make([]string, 0, len(m.Headers))
	for name := range m.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		vals, err := headerValues(m.Headers[name])
		if err != nil {
			return nil, nil, fmt.Errorf("%s.headers.%s: %w", side, name, err)
		}
		for _, v := range vals {
			h.Add(name, v)
		}
	}
	body, err := jsonBody(m.Body, m.Encoding)
	if err != nil {
		return nil, nil, fmt.Errorf("%s.body: %w", side, err)
	}
	// A body written as a JSON value is JSON whatever the headers say
	// nothing about; a string body keeps what was recorded.
	if len(body) > 0 && m.Body[0] != '"' && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return h, body, nil
}

// headerValues accepts a string or an array of strings; the error names the
// JSON kind only, never the value.
func headerValues(raw json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err == nil {
		return many, nil
	}
	return nil, errors.New("want a string or an array of strings")
}

// jsonBody is harText's rule for kconform's format: a string is the body
// text (base64 when encoding says so), anything else is a JSON body.
func jsonBody(raw json.RawMessage, encoding string) ([]byte, error) {
	if len(raw) == 0 || string(raw) == "null" {
		if encoding != "" {
			return nil, fmt.Errorf("encoding %q without a body", encoding)
		}
		return nil, nil
	}
	if raw[0] != '"' {
		if encoding != "" {
			return nil, fmt.Errorf("encoding %q needs a string body", encoding)
		}
		return raw, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, jsonError(err, 0)
	}
	switch strings.ToLower(encoding) {
	case "":
		return []byte(s), nil
	case "base64":
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, errors.New("not valid base64")
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown encoding %q (want base64)", encoding)
}

// objectKeys decodes an object's members, keeping their values raw.
func objectKeys(raw json.RawMessage, what string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("%s: want an object", what)
	}
	return obj, nil
}

// checkKeys rejects keys that are neither known nor comments ("_...").
func checkKeys(obj map[string]json.RawMessage, known map[string]bool, where string) error {
	var unknown []string
	for k := range obj {
		if !known[k] && !strings.HasPrefix(k, "_") {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	prefix := ""
	if where != "" {
		prefix = where + ": "
	}
	return fmt.Errorf("%sunknown key %s (keys starting with _ are comments)", prefix, strings.Join(quoteAll(unknown), ", "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
