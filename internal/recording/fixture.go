package recording

import (
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// classifyObject decides what a small top-level JSON object is, from its keys:
//
//   - "_source" present: a fixture found in a public repository, a body
//     wrapped with metadata saying where it came from (see fixtureRecord),
//     unless the object is one exchange in kconform's format, where
//     "_source" is a comment like any "_" key (isExchange);
//   - "url", or "status"/"operation" with "request"/"response": one exchange
//     in kconform's format;
//   - anything else: a body alone, with nothing saying what it is.
func classifyObject(name string, keys map[string]json.RawMessage, reopen func() (io.ReadCloser, error)) (*File, error) {
	fail := func(err error) (*File, error) { return nil, &Error{File: name, Entry: -1, Err: err} }
	_, hasURL := keys["url"]
	_, hasStatus := keys["status"]
	_, hasOperation := keys["operation"]
	_, hasRequest := keys["request"]
	_, hasResponse := keys["response"]
	switch {
	case keys["_source"] != nil && !isExchange(keys):
		rec, err := fixtureRecord(keys)
		if err != nil {
			return fail(err)
		}
		return single(name, FormatFixture, rec), nil
	case hasURL || ((hasStatus || hasOperation) && (hasRequest || hasResponse)):
		raw, err := json.Marshal(keys)
		if err != nil {
			return fail(err)
		}
		rec, err := parseExchange(raw, 0)
		if err != nil {
			rec.Err = &Error{File: name, Entry: 0, Err: err}
			rec.Credentials = rawCredentials(raw)
		}
		return single(name, FormatExchanges, rec), nil
	}
	body, err := reread(reopen)
	if err != nil {
		return fail(err)
	}
	rec := Record{Kind: KindBody}
	rec.Exchange.RequestBody = body
	rec.Exchange.ResponseBody = body
	return single(name, FormatBody, rec), nil
}

// isExchange reports whether an object is one exchange in kconform's format:
// only exchange keys and comments, with a request line or a status, and any
// request or response a message (headers, body, encoding). A fixture's
// "response" is the body itself, whose keys are the API's fields.
func isExchange(keys map[string]json.RawMessage) bool {
	if checkKeys(keys, exchangeKeys, "") != nil {
		return false
	}
	_, hasURL := keys["url"]
	_, hasStatus := keys["status"]
	_, hasOperation := keys["operation"]
	if !hasURL && !hasStatus && !hasOperation {
		return false
	}
	for _, side := range []string{"request", "response"} {
		m, ok := keys[side]
		if !ok || string(m) == "null" {
			continue
		}
		sub, err := objectKeys(m, side)
		if err != nil || checkKeys(sub, messageKeys, side) != nil {
			return false
		}
	}
	return true
}

func reread(reopen func() (io.ReadCloser, error)) ([]byte, error) {
	rc, err := reopen()
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// fixtureSource is the `_source` metadata of the shared fixtures. Only
// endpoint says what the body is; the rest says where it was found.
type fixtureSource struct {
	Endpoint  string `json:"endpoint"`
	Operation string `json:"operation"`
}

var (
	// "POST /hpp/v1/sessions (201 body, ...)": a method and a path or URL.
	endpointRequest = regexp.MustCompile(`^\s*(GET|POST|PUT|PATCH|DELETE)\s+(\S+)`)
	// "(201 body" or "201 response": the status of a response body.
	endpointStatus = regexp.MustCompile(`\b([1-5][0-9][0-9])\s+(?:body|response)\b`)
)

// fixtureRecord reads a `_source`-wrapped fixture. The body sits under the
// key that says its side: "request", "response", "callback", or "body" (a
// request when "method" and "path" name where it was sent, as a client's
// request snapshot does). `_source.endpoint` gives the method, path and
// status when the file itself does not.
func fixtureRecord(keys map[string]json.RawMessage) (Record, error) {
	var src fixtureSource
	if err := json.Unmarshal(keys["_source"], &src); err != nil {
		return Record{}, errorf(ErrUnknownFile, "_source: want an object")
	}
	rec := Record{Operation: src.Operation, Hint: src.Endpoint}
	if op, ok := stringKey(keys, "operation"); ok {
		rec.Operation = op
	}
	ex := &rec.Exchange
	if m := endpointRequest.FindStringSubmatch(src.Endpoint); m != nil {
		ex.Method, ex.URL = m[1], m[2]
	}
	if m := endpointStatus.FindStringSubmatch(src.Endpoint); m != nil {
		ex.Status, _ = strconv.Atoi(m[1])
	}
	if method, ok := stringKey(keys, "method"); ok {
		ex.Method = strings.ToUpper(method)
	}
	if path, ok := stringKey(keys, "path"); ok {
		ex.URL = path
	}
	if status, ok := keys["status"]; ok {
		if err := json.Unmarshal(status, &ex.Status); err != nil {
			return rec, errorf(ErrUnknownFile, "status: want a number")
		}
	}
	body, side := fixtureBody(keys)
	if side == "" {
		return rec, errorf(ErrUnknownFile, "a _source fixture needs its body under \"request\", \"response\", \"callback\" or \"body\"")
	}
	switch {
	case side == "callback":
		rec.Kind = KindCallbackBody
		if ex.Method == "" {
			ex.Method = "POST"
		}
	case side == "request" || (side == "body" && ex.Method != "" && ex.Status == 0):
		rec.Kind = KindRequestBody
	case side == "response" || (side == "body" && ex.Status > 0):
		rec.Kind = KindResponseBody
	default:
		rec.Kind = KindBody
	}
	if rec.Kind == KindResponseBody || rec.Kind == KindBody {
		ex.ResponseBody = body
	}
	if rec.Kind != KindResponseBody {
		ex.RequestBody = body
	}
	return rec, nil
}

func fixtureBody(keys map[string]json.RawMessage) ([]byte, string) {
	for _, side := range []string{"callback", "request", "response", "body"} {
		if b, ok := keys[side]; ok {
			return b, side
		}
	}
	return nil, ""
}

func stringKey(keys map[string]json.RawMessage, key string) (string, bool) {
	raw, ok := keys[key]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return "", false
	}
	return s, true
}
