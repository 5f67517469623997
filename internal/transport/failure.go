package transport

import "regexp"

// A failed request's error, as Go's net and net/http word it, names the
// connection's addresses and ports ("read tcp 127.0.0.1:51510->
// 127.0.0.1:8080: read: connection reset by peer"): they differ for every
// connection, so each failure would read as a defect of its own, and they
// are no words of the user's. Failure says the kind of failure instead.

// failureKinds are the kinds of connection failure by the words Go uses;
// the first that matches wins.
var failureKinds = []struct {
	re  *regexp.Regexp
	say string
}{
	{regexp.MustCompile(`malformed HTTP|HTTP/1\.x transport connection broken`), "the target does not answer HTTP (malformed status line)"},
	{regexp.MustCompile(`connection reset|broken pipe`), "the target reset the connection"},
	{regexp.MustCompile(`connection refused`), "the target refused the connection"},
	{regexp.MustCompile(`Client\.Timeout|i/o timeout|deadline exceeded|timeout awaiting`), "the target did not answer in time"},
	{regexp.MustCompile(`\bEOF\b|server closed idle connection`), "the target closed the connection before a complete answer"},
}

// Failure is the kind of connection failure err is, in the user's words;
// ok is false when it is none of the known kinds.
func Failure(err error) (kind string, ok bool) {
	if err == nil {
		return "", false
	}
	for _, k := range failureKinds {
		if k.re.MatchString(err.Error()) {
			return k.say, true
		}
	}
	return "", false
}

// addresses are a connection's two endpoints in a Go net error.
var addresses = regexp.MustCompile(`\b(tcp[46]?|udp[46]?) \[?[0-9a-fA-F.:]+\]?:\d+->\[?[0-9a-fA-F.:]+\]?:\d+`)

// WithoutAddresses takes a connection's endpoints out of an error's text.
func WithoutAddresses(s string) string { return addresses.ReplaceAllString(s, "$1") }
