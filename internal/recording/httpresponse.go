package recording

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
)

// A raw HTTP response file is what `curl -i` or a test fixture saves: a
// status line, header lines, a blank line and the body. The request is not
// in it; comment lines before the status line may say what it was:
//
//	# request: POST https://api.playground.klarna.com/payments/v1/sessions
//	# operation: createCreditSession
//	HTTP/1.1 200 OK
//	Content-Type: application/json
//
//	{"session_id": ...}
//
// The body is taken as it is: Content-Length and Transfer-Encoding are not
// applied, because saved responses hold the decoded body under the original
// headers (the omnipay fixtures say "chunked" over a plain body). The one
// exception is a body that is a whole chunked framing, last chunk included,
// under Transfer-Encoding: chunked (curl -i --raw, a packet capture): it is
// read as the body it frames.

// looksLikeHTTPResponse reports whether the first line that is not a "#"
// comment starts with "HTTP/", without consuming anything.
func looksLikeHTTPResponse(br *bufio.Reader) bool {
	head, _ := br.Peek(16 << 10)
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 || trimmed[0] == '#' {
			head = rest
			continue
		}
		return bytes.HasPrefix(trimmed, []byte("HTTP/"))
	}
	return false
}

func readHTTPResponse(name string, br *bufio.Reader, rc io.ReadCloser) (*File, error) {
	defer rc.Close()
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, &Error{File: name, Entry: -1, Err: err}
	}
	rec, line, err := parseHTTPResponse(data)
	if err != nil {
		where := ""
		if line > 0 {
			where = "line " + strconv.Itoa(line)
		}
		return nil, &Error{File: name, Entry: -1, Where: where, Err: err}
	}
	return single(name, FormatHTTPResponse, rec), nil
}

// parseHTTPResponse returns the record, or the 1-based line of the problem.
func parseHTTPResponse(data []byte) (Record, int, error) {
	rec := Record{Kind: KindResponse}
	ex := &rec.Exchange
	ex.ResponseHeader = http.Header{}
	lineNo := 0
	nextLine := func() (string, bool) {
		if len(data) == 0 {
			return "", false
		}
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		lineNo++
		return strings.TrimSuffix(string(line), "\r"), true
	}

	// Comments, then the status line.
	var status string
	for {
		line, ok := nextLine()
		if !ok {
			return rec, lineNo, errors.New("no status line (HTTP/1.1 200 OK)")
		}
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "#") {
			if err := readMetadata(&rec, strings.TrimSpace(t[1:])); err != nil {
				return rec, lineNo, err
			}
			continue
		}
		status = t
		break
	}
	code, err := parseStatusLine(status)
	if err != nil {
		return rec, lineNo, err
	}
	ex.Status = code

	// Header lines up to the blank line; the body is the rest, byte for byte.
	var last string
	for {
		line, ok := nextLine()
		if !ok || line == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			// An obsolete folded continuation of the previous header.
			if last == "" {
				return rec, lineNo, errors.New("a continuation line before any header")
			}
			vals := ex.ResponseHeader[last]
			vals[len(vals)-1] += " " + strings.TrimSpace(line)
			continue
		}
		k, v, found := strings.Cut(line, ":")
		k = strings.TrimSpace(k)
		if !found || k == "" || strings.ContainsAny(k, " \t") {
			return rec, lineNo, errors.New("a header line needs a name and a colon (Name: value)")
		}
		last = http.CanonicalHeaderKey(k)
		ex.ResponseHeader.Add(last, strings.TrimSpace(v))
	}
	ex.ResponseBody = data
	if strings.Contains(strings.ToLower(strings.Join(ex.ResponseHeader.Values("Transfer-Encoding"), ",")), "chunked") {
		if body, ok := dechunk(data); ok {
			ex.ResponseBody = body
		}
	}
	return rec, 0, nil
}

// dechunk reads data as a chunked body (RFC 9112 §7.1); ok is false unless
// it is one whole: chunks, the last chunk, trailer lines and the blank line
// that ends them, nothing after.
func dechunk(data []byte) ([]byte, bool) {
	br := bufio.NewReader(bytes.NewReader(data))
	body, err := io.ReadAll(httputil.NewChunkedReader(br))
	if err != nil {
		return nil, false
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, false
		}
		if line == "\r\n" || line == "\n" {
			break
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, false
	}
	return body, true
}

// readMetadata reads "request: METHOD URL" and "operation: ID" comments;
// other comments are ignored.
func readMetadata(rec *Record, comment string) error {
	key, val, ok := strings.Cut(comment, ":")
	if !ok {
		return nil
	}
	val = strings.TrimSpace(val)
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "request":
		method, url, ok := strings.Cut(val, " ")
		url = strings.TrimSpace(url)
		if !ok || method == "" || url == "" {
			return errors.New("# request: wants METHOD URL")
		}
		rec.Exchange.Method, rec.Exchange.URL = strings.ToUpper(method), url
	case "operation":
		rec.Operation = val
	}
	return nil
}

// parseStatusLine reads "HTTP/1.1 200 OK" or "HTTP/2 200".
func parseStatusLine(line string) (int, error) {
	proto, rest, _ := strings.Cut(line, " ")
	if !strings.HasPrefix(proto, "HTTP/") {
		return 0, errors.New("the status line must start with HTTP/")
	}
	codeText, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	code, err := strconv.Atoi(codeText)
	if err != nil || len(codeText) != 3 || code < 100 {
		return 0, fmt.Errorf("the status line has no three-digit status code")
	}
	return code, nil
}
