package har

import (
	"bytes"
	"encoding/json"
)

// The HAR 1.2 objects (http://www.softwareishard.com/blog/har-12-spec/):
// the one set of types the writer fills and the reader
// (internal/recording) decodes. Request and Response are pointers so the
// reader can tell a missing object from an empty one. The fields only the
// writer fills, for other tools, have Skipped* types: the reader decodes
// none of them, so whatever a capture holds there (any JSON value) costs
// nothing and is never an error.

// LogEntry is one element of log.entries.
type LogEntry struct {
	Started  SkippedString `json:"startedDateTime"`
	Time     SkippedNumber `json:"time"`
	Request  *Request      `json:"request"`
	Response *Response     `json:"response"`
	Cache    SkippedObject `json:"cache"`
	Timings  Timings       `json:"timings"`
	Comment  SkippedString `json:"comment,omitempty"`
}

// Request is an entry's request.
type Request struct {
	Method      string        `json:"method"`
	URL         string        `json:"url"`
	HTTPVersion SkippedString `json:"httpVersion"`
	Cookies     SkippedPairs  `json:"cookies"`
	Headers     []NameValue   `json:"headers"`
	QueryString SkippedPairs  `json:"queryString"`
	PostData    *PostData     `json:"postData,omitempty"`
	HeadersSize SkippedNumber `json:"headersSize"`
	BodySize    SkippedNumber `json:"bodySize"`
}

// Response is an entry's response.
type Response struct {
	Status      int           `json:"status"`
	StatusText  SkippedString `json:"statusText"`
	HTTPVersion SkippedString `json:"httpVersion"`
	Cookies     SkippedPairs  `json:"cookies"`
	Headers     []NameValue   `json:"headers"`
	Content     *Content      `json:"content"`
	RedirectURL SkippedString `json:"redirectURL"`
	HeadersSize SkippedNumber `json:"headersSize"`
	BodySize    SkippedNumber `json:"bodySize"`
}

// NameValue is a header, cookie or query parameter.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// PostData is a request body.
type PostData struct {
	MimeType string `json:"mimeType"`
	Text     Text   `json:"text"`
	// Encoding is not in HAR 1.2's postData, but tools write it there as on
	// content, and kconform reads it: a body that is not UTF-8 is base64.
	Encoding string `json:"encoding,omitempty"`
}

// Content is a response body.
type Content struct {
	Size     SkippedNumber `json:"size"`
	MimeType string        `json:"mimeType"`
	Text     Text          `json:"text,omitzero"`
	Encoding string        `json:"encoding,omitempty"`
}

// Timings is an entry's timings, in milliseconds; the reader skips them.
type Timings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

func (*Timings) UnmarshalJSON([]byte) error { return nil }

// The types of the fields the reader skips: they write as their values and
// read as nothing.
type (
	SkippedString string
	// SkippedNumber writes a whole number (a size, -1 for unknown) as an
	// integer, as encoding/json writes any float64 below 1e21.
	SkippedNumber float64
	SkippedPairs  []NameValue
	SkippedObject struct{}
)

func (*SkippedString) UnmarshalJSON([]byte) error { return nil }
func (*SkippedNumber) UnmarshalJSON([]byte) error { return nil }
func (*SkippedPairs) UnmarshalJSON([]byte) error  { return nil }
func (*SkippedObject) UnmarshalJSON([]byte) error { return nil }

// Text is a body as the entry holds it, read in one copy: a JSON string
// unquoted into its bytes, any other value (Polly.js writes a JSON body as
// the parsed value itself) as its JSON text. A json.RawMessage would copy
// the literal first, so a 100 MB body was held three times (entry, literal,
// text) while read.
type Text struct {
	data     []byte
	isString bool
	// bad is set when a string literal could not be unquoted.
	bad bool
}

// StringText is the text s, written as a JSON string.
func StringText(s string) Text { return Text{data: []byte(s), isString: true} }

// Bytes is the text: a string's bytes, or another value's JSON text; nil
// when the entry held null or nothing.
func (t Text) Bytes() []byte { return t.data }

// IsString reports whether the entry held a JSON string.
func (t Text) IsString() bool { return t.isString }

// Bad reports a string literal that could not be unquoted.
func (t Text) Bad() bool { return t.bad }

// IsZero reports an empty text, which the writer leaves out of content.
func (t Text) IsZero() bool { return len(t.data) == 0 }

// OwnBufferSize: a text literal longer than this came in a buffer of its
// own (internal/recording's splitter gives every entry larger than one of
// its slabs, which are this size, a buffer of its own) that nothing reads
// again once decoded. Such a body is unquoted in, or kept as, those bytes
// rather than copied, so a large body is held once.
const OwnBufferSize = 256 << 10

// UnmarshalJSON reads the text; see OwnBufferSize for a large one.
func (t *Text) UnmarshalJSON(b []byte) error {
	*t = Text{}
	own := len(b) > OwnBufferSize
	switch {
	case string(b) == "null":
	case len(b) > 0 && b[0] == '"':
		t.isString = true
		t.data, t.bad = unquote(b, own)
		t.bad = !t.bad
		if own && len(t.data) < len(b)-len(b)/4 {
			// Much escaped: held at its size, the entry can go.
			t.data = bytes.Clone(t.data)
		}
	case own:
		t.data = b[:len(b):len(b)]
	default:
		t.data = append([]byte(nil), b...)
	}
	return nil
}

func (t Text) MarshalJSON() ([]byte, error) {
	if !t.isString && t.data != nil {
		return t.data, nil
	}
	return json.Marshal(string(t.data))
}
