// Package progress draws one status line on a terminal, rewritten in place
// and throttled: a long run shows how far it got without slowing down or
// mixing a half line into the rest of the output.
package progress

import (
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Interval is how often a started Line redraws: often enough to look
// alive, rarely enough to cost nothing.
const Interval = 200 * time.Millisecond

const (
	home  = "\r"     // back to the start of the line
	erase = "\x1b[K" // erase to the end of the line
	sep   = " · "    // between the parts of a status text
)

// Line is a status line on w. Its text comes from render, called only when
// the line is drawn, so the counts behind it can be plain atomics bumped by
// the work itself. A Line is safe for concurrent use.
type Line struct {
	// Width is the terminal's width in columns; a longer text loses whole
	// " · " parts from its end so that it never wraps (a wrapped line
	// cannot be rewritten in place). 0 means no limit.
	Width int

	w      io.Writer
	render func() string

	mu      sync.Mutex
	drawn   bool // a line is on screen and must be cleared before other output
	stopped bool
	stop    chan struct{}
	done    chan struct{}
}

// New returns a Line that draws render's text on w.
func New(w io.Writer, render func() string) *Line {
	return &Line{w: w, render: render}
}

// Start draws the line at once, so that even a short run shows it began,
// then redraws it every interval until Stop.
func (l *Line) Start(interval time.Duration) {
	t := time.NewTicker(interval)
	l.StartTicks(t.C, t.Stop)
}

// StartTicks is Start driven by ticks instead of a clock (tests use it);
// release, if not nil, is called once the ticks are no longer read.
func (l *Line) StartTicks(ticks <-chan time.Time, release func()) {
	stop, done := make(chan struct{}), make(chan struct{})
	l.mu.Lock()
	l.stop, l.done = stop, done
	l.mu.Unlock()
	l.Update()
	go func() {
		defer close(done)
		if release != nil {
			defer release()
		}
		for {
			select {
			case <-ticks:
				l.Update()
			case <-stop:
				return
			}
		}
	}()
}

// Update draws the line now with render's current text. It does nothing
// after Stop.
func (l *Line) Update() {
	text := fit(l.render(), l.Width)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return
	}
	io.WriteString(l.w, home+text+erase)
	l.drawn = true
}

// Stop ends the redraws and clears the line; it may be called more than
// once, and on a Line never started.
func (l *Line) Stop() {
	l.mu.Lock()
	stop, done := l.stop, l.done
	l.stop = nil // only the first Stop closes it
	l.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done // every tick the goroutine received is drawn before the clear
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return
	}
	l.stopped = true
	l.clearLocked()
}

// clearLocked erases a drawn line; l.mu is held.
func (l *Line) clearLocked() {
	if l.drawn {
		io.WriteString(l.w, home+erase)
		l.drawn = false
	}
}

// Interrupts returns a writer to w that first clears the line, for output
// that shares the terminal with it (stdout, error messages on stderr): the
// line is drawn again at the next redraw, below that output.
func (l *Line) Interrupts(w io.Writer) io.Writer {
	return interrupter{l: l, w: w}
}

type interrupter struct {
	l *Line
	w io.Writer
}

func (i interrupter) Write(p []byte) (int, error) {
	i.l.mu.Lock()
	defer i.l.mu.Unlock()
	i.l.clearLocked()
	return i.w.Write(p)
}

// fit shortens text to width-1 columns (the last column is left free: some
// terminals wrap on it), dropping whole " · " parts where it can. It counts
// runes, which is right for the text a status line holds.
func fit(text string, width int) string {
	max := width - 1
	if width <= 0 || utf8.RuneCountInString(text) <= max {
		return text
	}
	if max <= 0 {
		return ""
	}
	end := 0
	for n := 0; n < max; n++ {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	cut := text[:end]
	if i := strings.LastIndex(cut, sep); i > 0 {
		cut = cut[:i]
	}
	return cut
}
