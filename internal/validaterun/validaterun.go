// Package validaterun is `kconform validate` once its flags are read: it
// discovers the recordings, runs the audit over them, writes the report in
// the chosen format, keeps a progress line on a terminal, and scrubs every
// line it prints of the credentials the recordings carry.
package validaterun

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/progress"
	"github.com/kconform/kconform/internal/recording"
	"github.com/kconform/kconform/internal/validateout"
)

// Options are `kconform validate`'s flags, parsed.
type Options struct {
	Paths    []string            // files and folders, as given
	Format   string              // validateout's format name: text, json, junit
	Strict   bool                // contract.Strict instead of contract.Default
	Quiet    bool                // text: leave out the entries that conform
	Workers  int                 // entries checked at once
	MaxBody  int64               // bytes of a body checked at the most
	As       *audit.Target       // --as: the operation and side of bare bodies; nil without it
	Progress progress.Mode       // whether to show the progress line
	Getenv   func(string) string // the environment the progress line reads (CI, TERM, COLUMNS)
}

// Run validates what fl names, writes the report to stdout (problems to
// stderr) and returns the command's exit status (audit.Summary.ExitCode;
// audit.ExitUnreadable when the report cannot be written). A format
// validateout does not know is bad usage: usage gets the error and its
// result is returned.
func Run(fl Options, stdout, stderr io.Writer, usage func(error) int) int {
	opts := audit.Options{Strict: fl.Strict, Workers: fl.Workers, MaxBody: fl.MaxBody, As: fl.As}
	files := recording.Discover(fl.Paths)
	var line *progress.Line
	if fl.Progress.On(stderr, fl.Getenv) {
		opts.Progress = new(audit.Progress)
		line = progress.New(stderr, status(files, opts.Progress))
		line.Width = progress.Columns(stderr, fl.Getenv)
		// Whatever else reaches the terminal clears the line first, so
		// that no text lands after a half line; a report redirected to a
		// file leaves it alone.
		if progress.SameFile(stdout, stderr) {
			stdout = line.Interrupts(stdout)
		}
		stderr = line.Interrupts(stderr)
		defer line.Stop()
	}
	// Everything printed is scrubbed of the credentials found in the
	// recordings. What a file's entries print is held until the file ends
	// (heldOut, heldErr), so that it is scrubbed of every credential the
	// file carries, in whichever entry (scrubSecrets). The progress line
	// shows only counts.
	scrub := exchange.NewScrubber()
	scrubbedOut, scrubbedErr := scrub.Writer(stdout), scrub.Writer(stderr)
	defer scrubbedErr.Flush()
	defer scrubbedOut.Flush()
	heldOut, heldErr := &heldWriter{w: scrubbedOut}, &heldWriter{w: scrubbedErr}
	stdout, stderr = heldOut, heldErr
	a, err := audit.NewDefault(opts)
	if err != nil {
		fmt.Fprintf(stderr, "kconform validate: %v\n", err)
		return audit.ExitUnreadable
	}
	mode := contract.Default
	if fl.Strict {
		mode = contract.Strict
	}
	w, err := validateout.New(fl.Format, stdout, validateout.Options{Quiet: fl.Quiet, Mode: mode.String()})
	if err != nil {
		// validateout owns the list of formats; an unknown one is bad usage.
		return usage(fmt.Errorf("--format: %v", err))
	}
	var sink audit.Sink = w
	if fl.Format != "text" {
		// A machine-readable report on stdout may go to a file; say what
		// could not be read where a person sees it too.
		sink = readErrors{Sink: w, stderr: stderr}
	}
	sink = scrubSecrets{Sink: sink, scrub: scrub, held: []*heldWriter{heldOut, heldErr}}
	if line != nil {
		line.Start(progress.Interval)
	}
	sum := a.Run(files, sink)
	if line != nil {
		line.Stop() // the summary is the last thing on the terminal
	}
	if err := w.Finish(sum); err != nil {
		fmt.Fprintf(stderr, "kconform validate: writing the report: %v\n", err)
		return audit.ExitUnreadable
	}
	return sum.ExitCode()
}

// status renders the progress line from the run's counts; the
// total size is taken once, from the files as they are now.
func status(files []string, p *audit.Progress) func() string {
	var total int64
	for _, f := range files {
		if info, err := os.Stat(f); err == nil && info.Mode().IsRegular() {
			total += info.Size()
		}
	}
	start := time.Now()
	return func() string {
		entries := p.Entries.Load()
		parts := []string{
			fmt.Sprintf("kconform validate: %d/%d files", p.Files.Load(), len(files)),
			// The bytes come early: they are how far the run got, and an
			// 80-column terminal drops the parts at the end.
			progress.Bytes(min(p.BytesRead.Load(), total)) + " of " + progress.Bytes(total),
			progress.Count(entries) + " entries",
			progress.Count(p.WithIssues.Load()) + " with issues",
		}
		if secs := time.Since(start).Seconds(); entries > 0 && secs > 0 {
			parts = append(parts, progress.Rate(float64(entries)/secs)+" entries/s")
		}
		return strings.Join(parts, " · ")
	}
}

// readErrors repeats on stderr why a file or entry could not be read.
type readErrors struct {
	audit.Sink
	stderr io.Writer
}

func (r readErrors) Entry(e *audit.Entry) {
	if e.Err != nil {
		fmt.Fprintf(r.stderr, "kconform validate: %s\n", validateout.Printable(e.Err.Error()))
	}
	r.Sink.Entry(e)
}

func (r readErrors) EndFile(path string, err error) {
	if err != nil {
		fmt.Fprintf(r.stderr, "kconform validate: %s\n", validateout.Printable(err.Error()))
	}
	r.Sink.EndFile(path, err)
}

// scrubSecrets makes the scrubber of the output learn each entry's
// credentials, and holds what a file prints until the file ends: a
// credential of entry 1 may be quoted by entry 0 (an unknown field named
// after the password).
type scrubSecrets struct {
	audit.Sink
	scrub *exchange.Scrubber
	held  []*heldWriter
}

func (s scrubSecrets) BeginFile(path string, format recording.Format) {
	for _, h := range s.held {
		h.hold()
	}
	s.Sink.BeginFile(path, format)
}

func (s scrubSecrets) Entry(e *audit.Entry) {
	s.scrub.AddCredentials(e.Credentials...)
	s.Sink.Entry(e)
}

func (s scrubSecrets) EndFile(path string, err error) {
	s.Sink.EndFile(path, err)
	for _, h := range s.held {
		h.release()
	}
}

// heldWriter passes writes on to w, but between hold and release keeps
// them in memory: the report of one file, about 100 bytes an entry that
// conforms (far less than the entry itself), more per issue. It is used
// from the goroutine that reports. A write error of the release is
// returned by the next Write, so the report's writer still sees it.
type heldWriter struct {
	w       io.Writer
	holding bool
	buf     bytes.Buffer
	err     error
}

func (h *heldWriter) Write(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	if h.holding {
		return h.buf.Write(p)
	}
	return h.w.Write(p)
}

func (h *heldWriter) hold() { h.holding = true }

func (h *heldWriter) release() {
	h.holding = false
	if h.buf.Len() == 0 {
		return
	}
	if _, err := h.buf.WriteTo(h.w); err != nil && h.err == nil {
		h.err = err
	}
	h.buf.Reset()
}
