package progress

import (
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onsi/gomega/gbytes"
)

// counter renders "n=<calls>" so a test sees each draw and counts renders.
func counter() (*atomic.Int64, func() string) {
	var calls atomic.Int64
	return &calls, func() string { return "n=" + strconv.FormatInt(calls.Add(1), 10) }
}

func TestLineDrawsOnlyOnTicks(t *testing.T) {
	out := gbytes.NewBuffer()
	calls, render := counter()
	l := New(out, render)
	ticks := make(chan time.Time) // unbuffered: each send is one received tick
	released := false
	l.StartTicks(ticks, func() { released = true })
	if got := calls.Load(); got != 1 {
		t.Fatalf("Start rendered %d times, want once", got)
	}
	for range 3 {
		ticks <- time.Time{}
	}
	l.Stop() // waits for the goroutine: every received tick has been drawn
	if !released {
		t.Error("Stop did not release the ticker")
	}
	if got := calls.Load(); got != 4 {
		t.Errorf("rendered %d times for a start and 3 ticks, want 4", got)
	}
	want := "\rn=1\x1b[K\rn=2\x1b[K\rn=3\x1b[K\rn=4\x1b[K\r\x1b[K"
	if got := string(out.Contents()); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestStopClearsOnceAndSilencesUpdates(t *testing.T) {
	out := gbytes.NewBuffer()
	_, render := counter()
	l := New(out, render)
	l.StartTicks(make(chan time.Time), nil)
	l.Stop()
	l.Stop()
	l.Update()
	if got, want := string(out.Contents()), "\rn=1\x1b[K\r\x1b[K"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestStopWithoutStartWritesNothing(t *testing.T) {
	out := gbytes.NewBuffer()
	New(out, func() string { return "x" }).Stop()
	if string(out.Contents()) != "" {
		t.Errorf("output %q, want none", string(out.Contents()))
	}
}

func TestInterruptsClearTheLineFirst(t *testing.T) {
	term := gbytes.NewBuffer() // stdout and stderr on one terminal
	l := New(term, func() string { return "status" })
	stdout := l.Interrupts(term)
	l.Update()
	stdout.Write([]byte("a\n"))
	stdout.Write([]byte("b\n")) // nothing drawn: no second clear
	l.Update()
	l.Stop()
	want := "\rstatus\x1b[K\r\x1b[Ka\nb\n\rstatus\x1b[K\r\x1b[K"
	if got := string(term.Contents()); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestStartWithRealTickerStops(t *testing.T) {
	out := gbytes.NewBuffer()
	l := New(out, func() string { return "s" })
	l.Start(time.Millisecond)
	l.Stop()
	if got := string(out.Contents()); !strings.HasPrefix(got, "\rs\x1b[K") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("output %q: want drawn at start and cleared at the end", got)
	}
}

func TestFitDropsWholeParts(t *testing.T) {
	text := "kconform validate: 3/12 files · 45,210 entries · 29.8k entries/s"
	for _, tc := range []struct {
		width int
		want  string
	}{
		{0, text},
		{len([]rune(text)) + 1, text},
		{len([]rune(text)), "kconform validate: 3/12 files · 45,210 entries"},
		{40, "kconform validate: 3/12 files"},
		{10, "kconform "},
		{1, ""},
	} {
		if got := fit(text, tc.width); got != tc.want {
			t.Errorf("fit(width %d) = %q, want %q", tc.width, got, tc.want)
		}
	}
}
