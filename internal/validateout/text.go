package validateout

import (
	"errors"
	"fmt"
	"io"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/recording"
)

// textWriter prints one block per file:
//
//	path/to/capture.har [har]
//	  #0 POST https://api.playground.klarna.com/payments/v1/sessions -> createCreditSession 200: conforms
//	  #1 GET https://api.klarna.com/hpp/v1/sessions/abc -> getSessionById 200: violates (1 violation)
//	      violation: response body /status [schema.enum] value "COMPLETE" is not one of the allowed values ...
//
// and a summary line at the end.
type textWriter struct {
	w    *errWriter
	opts Options
	// header is the file's first line, printed before its first entry so
	// that a quiet report leaves out files with nothing to say.
	header  string
	printed bool
}

func newText(w io.Writer, opts Options) *textWriter {
	return &textWriter{w: &errWriter{w: w}, opts: opts}
}

func (t *textWriter) BeginFile(path string, format recording.Format) {
	t.header = path
	if format != "" {
		t.header += " [" + string(format) + "]"
	}
	t.printed = false
}

func (t *textWriter) printHeader() {
	if !t.printed {
		t.printf("%s", t.header)
		t.printed = true
	}
}

func (t *textWriter) Entry(e *audit.Entry) {
	if quiet(t.opts, e) {
		return
	}
	t.printHeader()
	if e.Verdict == audit.Unreadable {
		t.printf("  #%d %s: unreadable: %v", e.Index, request(e), e.Err)
		return
	}
	verdict := string(e.Verdict)
	if c := counts(e); c != "" {
		verdict += " (" + c + ")"
	}
	t.printf("  #%d %s -> %s: %s", e.Index, request(e), target(e), verdict)
	for _, i := range e.Issues {
		t.printf("      %s", i.String())
	}
}

func (t *textWriter) EndFile(path string, err error) {
	if err == nil {
		return
	}
	t.printHeader()
	if errors.Is(err, recording.ErrNothingChecked) {
		t.printf("  %v", err) // "FILE: nothing was checked: why"
		return
	}
	t.printf("  unreadable: %v", err)
}

// printf prints one line with its control characters escaped (see
// Printable): a URL, field or file name from a recording may hold escape
// codes that would otherwise drive the terminal.
func (t *textWriter) printf(format string, args ...any) {
	t.w.printf("%s\n", Printable(fmt.Sprintf(format, args...)))
}

func (t *textWriter) Finish(s audit.Summary) error {
	t.printf("%s", SummaryLine(s))
	return t.w.err
}
