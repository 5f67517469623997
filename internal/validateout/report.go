// Package validateout writes the outcome of `kconform validate` as text, JSON or
// JUnit XML. Every writer prints entries in the order the audit gives them
// (files sorted, entries by index, issues sorted) and never prints a header
// value or a request body: what it shows of a request is its method and its
// URL with any userinfo redacted.
package validateout

import (
	"fmt"
	"io"
	"strings"

	"github.com/kconform/kconform/internal/audit"
)

// Writer is an audit.Sink that writes a report; Finish writes the summary
// and returns the first write error.
type Writer interface {
	audit.Sink
	Finish(audit.Summary) error
}

// Formats are the names New accepts.
var Formats = []string{"text", "json", "junit"}

// Options shape a report.
type Options struct {
	// Quiet leaves out entries that conform with no issue.
	Quiet bool
	// Mode is printed in the JSON report ("default" or "strict").
	Mode string
}

// New returns the writer for format.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case "text":
		return newText(w, opts), nil
	case "json":
		return newJSON(w, opts), nil
	case "junit":
		return newJUnit(w, opts), nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// errWriter remembers the first write error so that the writers can write
// freely and report once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

// quiet reports whether an entry is left out of a quiet report.
func quiet(opts Options, e *audit.Entry) bool {
	return opts.Quiet && e.Verdict == audit.Conforms && len(e.Issues) == 0
}

// request describes an entry's request for a reader: its method and
// redacted URL, or what the record is when no request was recorded.
func request(e *audit.Entry) string {
	if e.Method != "" && e.URL != "" {
		return e.Method + " " + e.URL
	}
	return "(" + e.Kind.String() + ")"
}

// target is the operation and status an entry was checked as.
func target(e *audit.Entry) string {
	op := e.Operation
	if op == "" {
		op = "?"
	}
	if e.Status != 0 {
		return fmt.Sprintf("%s %d", op, e.Status)
	}
	return op
}

// counts says "2 violations, 1 warning" (empty when there are none).
func counts(e *audit.Entry) string {
	var parts []string
	if n := e.Violations(); n > 0 {
		parts = append(parts, plural(n, "violation"))
	}
	if n := e.Warnings(); n > 0 {
		parts = append(parts, plural(n, "warning"))
	}
	return strings.Join(parts, ", ")
}

// plural says "1 violation" or "3 violations".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		word = strings.TrimSuffix(word, "y") + "ie"
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// SummaryLine is the one-line summary every text report ends with.
func SummaryLine(s audit.Summary) string {
	// "unreadable" counts every "unreadable:" line above it, entries and
	// whole files alike, so it never says 0 beside a file it could not read.
	unreadable := fmt.Sprint(s.Unreadable)
	if s.UnreadableFiles > 0 {
		var parts []string
		if s.Unreadable > 0 {
			parts = append(parts, plural(s.Unreadable, "entry"))
		}
		parts = append(parts, plural(s.UnreadableFiles, "file")+" could not be read")
		unreadable = fmt.Sprintf("%d unreadable (%s)", s.Unreadable+s.UnreadableFiles, strings.Join(parts, ", "))
	} else {
		unreadable += " unreadable"
	}
	line := fmt.Sprintf("%s in %s: %d conform, %d violate (%s), %d outside the contract, %s; %s",
		plural(s.Entries, "entry"), plural(s.Files, "file"), s.Conforming, s.Violating,
		plural(s.Violations, "violation"), s.Outside, unreadable, plural(s.Warnings, "warning"))
	if s.UncheckedFiles > 0 {
		line += fmt.Sprintf("; nothing was checked in %s", plural(s.UncheckedFiles, "file"))
	} else if s.Conforming+s.Violating == 0 && s.UnreadableFiles == 0 && s.Unreadable == 0 {
		line += "; nothing was checked"
	}
	return line
}
