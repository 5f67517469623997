// Package recording reads recorded Klarna traffic into exchanges: HAR 1.1/1.2
// captures (including the Polly.js variant), VCR cassettes, raw HTTP responses,
// kconform's own JSON exchange format, and JSON body fixtures with or without
// `_source` metadata. It only reads; checking what it reads is another
// package's job.
//
// The format is detected from the content; the file name's extension only
// sharpens the error when the content is not what the name promises. Large
// HAR captures are streamed entry by entry, so memory does not grow with the
// number of entries.
package recording

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/kconform/kconform/internal/exchange"
)

// Kind says how much of an exchange a record holds, which decides how it can
// be checked.
type Kind uint8

const (
	// KindExchange is a request and its response, with headers.
	KindExchange Kind = iota
	// KindRequest is a request, with headers, whose response was not recorded.
	KindRequest
	// KindResponse is a response, with headers, whose request was not
	// recorded: its operation comes from metadata, or must be given.
	KindResponse
	// KindRequestBody is a request body alone: no headers were recorded.
	KindRequestBody
	// KindResponseBody is a response body alone: no headers were recorded.
	KindResponseBody
	// KindCallbackBody is the body of a callback Klarna sends to a merchant.
	KindCallbackBody
	// KindBody is a body alone with nothing saying what it is: which
	// operation, which side, which status must all be given.
	KindBody
)

var kindNames = [...]string{
	KindExchange:     "exchange",
	KindRequest:      "request",
	KindResponse:     "response",
	KindRequestBody:  "request-body",
	KindResponseBody: "response-body",
	KindCallbackBody: "callback-body",
	KindBody:         "body",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText makes a Kind print as its name in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Record is one entry of a recording. Fields the file does not hold are
// zero: Method and URL "" when the request is unknown, Status 0 when the
// response status is.
type Record struct {
	// Index is the entry's 0-based position in its file (HAR log.entries,
	// VCR http_interactions, kconform exchanges); 0 for a single-entry file.
	Index    int
	Kind     Kind
	Exchange exchange.Exchange
	// Operation is the operationId the file names, "" when the method and
	// URL must decide.
	Operation string
	// Hint is free text from the file's metadata that says what the entry
	// is (a fixture's `_source.endpoint`), for resolving callbacks.
	Hint string
	// Err is set when this entry cannot be turned into an exchange (a HAR
	// entry with no response). The file's other entries are still read.
	Err error
	// Credentials are those the entry's raw form carries, found when Err
	// is set: its message may quote a secret that Exchange, decoded only in
	// part, does not hold (see exchange.Credentials for the forms).
	Credentials []string
}

// Format names a recording format.
type Format string

const (
	FormatHAR          Format = "har"
	FormatVCR          Format = "vcr"
	FormatHTTPResponse Format = "http-response"
	FormatExchanges    Format = "kconform-json"
	FormatFixture      Format = "fixture-json"
	FormatBody         Format = "body-json"
)

// Error is a problem reading a recording: it names the file and, when the
// problem is inside one, the entry.
type Error struct {
	File string
	// Entry is the entry's index, -1 when the problem is not in one entry.
	Entry int
	// Where is a path inside the entry or file, e.g. "response.status".
	Where string
	Err   error
}

func (e *Error) Error() string {
	msg := e.File
	if e.Entry >= 0 {
		msg += ": entry " + strconv.Itoa(e.Entry)
	}
	if e.Where != "" {
		msg += ": " + e.Where
	}
	return msg + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Reasons a file or entry cannot be read, for errors.Is.
var (
	ErrEmpty       = errors.New("empty file")
	ErrTruncated   = errors.New("truncated: the file ends in the middle of a value")
	ErrNotJSON     = errors.New("not JSON")
	ErrNotHAR      = errors.New("not a HAR capture")
	ErrHARVersion  = errors.New("unknown HAR version")
	ErrNoResponse  = errors.New("no response was recorded")
	ErrUnknownFile = errors.New("not a recording kconform reads")
	// ErrNotRegular: a named pipe, device or socket. It is never opened:
	// a pipe blocks until a writer comes, a device may never end.
	ErrNotRegular = errors.New("not a regular file")
	// ErrNothingChecked: a folder with no recording in it, or a file none of
	// whose entries could be checked against the contract. Not a read
	// error: the run says so and exits with its own code.
	ErrNothingChecked = errors.New("nothing was checked")
	// ErrDuplicateKey: an object of the file's own structure names a key
	// twice (two "log"s in a HAR): readers disagree on which one counts.
	ErrDuplicateKey = errors.New("duplicate key")
)

// duplicateKeyError says that key appears twice in where (a path such as
// "response" or "request.headers[2]"; "" for the top level).
func duplicateKeyError(key, where string) error {
	if where == "" {
		where = "the top level"
	}
	return errorf(ErrDuplicateKey, "%q appears twice in %s: readers disagree on which one counts", key, where)
}

// errorf wraps a reason with more detail, keeping it matchable by errors.Is.
func errorf(reason error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", reason, fmt.Sprintf(format, args...))
}
