package validateout

import (
	"errors"
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
		t.w.printf("%s\n", t.header)
		t.printed = true
	}
}

func (t *textWriter) Entry(e *audit.Entry) {
	if quiet(t.opts, e) {
		return
	}
	t.printHeader()
	if e.Verdict == audit.Unreadable {
		t.w.printf("  #%d %s: unreadable: %v\n", e.Index, request(e), e.Err)
		return
	}
	verdict := string(e.Verdict)
	if c := counts(e); c != "" {
		verdict += " (" + c + ")"
	}
	t.w.printf("  #%d %s -> %s: %s\n", e.Index, request(e), target(e), verdict)
	for _, i := range e.Issues {
		t.w.printf("      %s\n", i.String())
	}
}

func (t *textWriter) EndFile(path string, err error) {
	if err == nil {
		return
	}
	t.printHeader()
	if errors.Is(err, recording.ErrNothingChecked) {
		t.w.printf("  %v\n", err) // "FILE: nothing was checked: why"
		return
	}
	t.w.printf("  unreadable: %v\n", err)
}

func (t *textWriter) Finish(s audit.Summary) error {
	t.w.printf("%s\n", SummaryLine(s))
	return t.w.err
}
