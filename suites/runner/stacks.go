package runner

import (
	"bytes"
	"io"
	"regexp"
	"strings"
)

// Ginkgo's progress report (on an interrupt, and in the report of the spec
// it cut short) lists goroutine stacks with addresses: kconform's insides,
// no words of the user's, and Ginkgo has no setting to leave them out.
// WithoutStacks drops those sections from Ginkgo's output and passes the
// rest through as it comes (a spec's progress dot is not held back).

// stackHeaders open a section of goroutines in Ginkgo's progress report.
var stackHeaders = []string{"Spec Goroutine", "Goroutines of Interest", "Other Goroutines"}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// WithoutStacks is w without the goroutine sections of Ginkgo's progress
// reports: a section is its header and every line indented deeper than
// the header, each goroutine and blank line after it.
func WithoutStacks(w io.Writer) io.Writer { return &stackFilter{w: w, skip: -1} }

type stackFilter struct {
	w io.Writer
	// skip is the indent of the section being dropped, -1 when none is.
	skip int
	// midLine: the last write ended inside a line; dropLine: that line is
	// being dropped.
	midLine, dropLine bool
}

func (f *stackFilter) Write(p []byte) (int, error) {
	var out bytes.Buffer
	for rest := p; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if !f.midLine {
			f.dropLine = f.drops(ansi.ReplaceAllString(string(line), ""))
		}
		if !f.dropLine {
			out.Write(line)
		}
		f.midLine = line[len(line)-1] != '\n'
	}
	if _, err := f.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// drops decides a line at its start: whether it is in a stack section.
func (f *stackFilter) drops(line string) bool {
	trimmed := strings.TrimSpace(line)
	indent := len(line) - len(strings.TrimLeft(line, " \t"))
	if f.skip >= 0 {
		// a goroutine and its highlighted frame are at the header's
		// indent, the rest of its frames deeper
		if trimmed == "" || indent > f.skip || (indent == f.skip && (strings.HasPrefix(trimmed, "goroutine ") || strings.HasPrefix(trimmed, "> "))) {
			return true
		}
		f.skip = -1
	}
	for _, h := range stackHeaders {
		if trimmed == h {
			f.skip = indent
			return true
		}
	}
	return false
}
