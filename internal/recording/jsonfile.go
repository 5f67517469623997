package recording

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// openJSON walks the top-level object's keys. A "log" object is a HAR
// capture and an "exchanges" array is kconform's exchange format; both are
// streamed from there. Any other object is small (a fixture or a body): its
// keys are kept and classified once the object ends.
func openJSON(name, ext string, br *bufio.Reader, rc io.ReadCloser, reopen func() (io.ReadCloser, error)) (*File, error) {
	w := &jsonWalk{name: name, dec: json.NewDecoder(br)}
	fail := func(entry int, where string, err error) (*File, error) {
		return nil, &Error{File: name, Entry: entry, Where: where, Err: err}
	}
	if _, err := w.dec.Token(); err != nil { // the '{' firstByte saw
		return fail(-1, "", jsonError(err, 0))
	}
	keys := map[string]json.RawMessage{}
	// A key twice breaks a recording's structure, but in a body alone it
	// is the contract's to report (body.duplicate-key), with the rest.
	var dupErr error
	for w.dec.More() {
		key, err := w.key()
		if err != nil {
			return fail(-1, "", err)
		}
		if err := w.once(key, ""); err != nil && dupErr == nil {
			dupErr = err
		}
		switch key {
		case "log", "exchanges":
			if dupErr != nil {
				return fail(-1, "", dupErr)
			}
			if key == "log" {
				return openHAR(w, br, rc)
			}
			return openExchanges(w, rc)
		}
		var v json.RawMessage
		if err := w.dec.Decode(&v); err != nil {
			return fail(-1, key, jsonError(err, 0))
		}
		keys[key] = v
	}
	if err := w.end(); err != nil {
		return fail(-1, "", err)
	}
	if dupErr != nil && (keys["_source"] != nil || isExchange(keys)) {
		return fail(-1, "", dupErr)
	}
	if ext == ".har" {
		return fail(-1, "", errorf(ErrNotHAR, "the top-level object has no \"log\""))
	}
	rc.Close()
	return classifyObject(name, keys, reopen)
}

// jsonWalk is a token walk through a JSON document, for the parts of a file
// that are read piece by piece.
type jsonWalk struct {
	name string
	dec  *json.Decoder
	// base is the file offset of the decoder's first byte, for errors.
	base int64
	// seen holds the keys read so far of each object of the file's own
	// structure, by where it is ("" the top level, "log"), so that a key
	// read twice is refused rather than one of its values being dropped.
	seen map[string]map[string]bool
}

// once records that the object at where has key, and refuses a second one:
// a HAR with two "log"s was read as its first (and empty) one, while other
// readers take the last.
func (w *jsonWalk) once(key, where string) error {
	if w.seen == nil {
		w.seen = map[string]map[string]bool{}
	}
	keys := w.seen[where]
	if keys == nil {
		keys = map[string]bool{}
		w.seen[where] = keys
	}
	if keys[key] {
		if where == "" {
			where = "the top-level object"
		}
		return duplicateKeyError(key, where)
	}
	keys[key] = true
	return nil
}

func (w *jsonWalk) key() (string, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return "", jsonError(err, w.base)
	}
	k, ok := tok.(string)
	if !ok {
		return "", errorf(ErrNotJSON, "want an object key, got %v", tok)
	}
	return k, nil
}

// delim reads the next token and requires it to be the given delimiter; what
// names the value in the error.
func (w *jsonWalk) delim(want json.Delim, what string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return jsonError(err, w.base)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%s: want %s, got %s", what, delimKind(want), tokenKind(tok))
	}
	return nil
}

// skip reads and drops one value.
func (w *jsonWalk) skip() error {
	var v json.RawMessage
	if err := w.dec.Decode(&v); err != nil {
		return jsonError(err, w.base)
	}
	return nil
}

// end reads the closing '}' of the top-level object and requires nothing
// but white space after it.
func (w *jsonWalk) end() error {
	if _, err := w.dec.Token(); err != nil {
		return jsonError(err, w.base)
	}
	if _, err := w.dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return errorf(ErrNotJSON, "more data after the top-level object")
		}
		return jsonError(err, w.base)
	}
	return nil
}

func delimKind(d json.Delim) string {
	switch d {
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return string(d)
}

// tokenKind names a token's JSON kind without its value.
func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return "'" + t.String() + "'"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a value"
}
