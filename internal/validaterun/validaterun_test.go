package validaterun

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A file's report is held while the file is read and passed on whole at
// its end; outside a file, writes go straight through.
func TestHeldWriterHoldsOneFilesReport(t *testing.T) {
	var out bytes.Buffer
	h := &heldWriter{w: &out}
	_, _ = h.Write([]byte("before "))
	h.hold()
	_, _ = h.Write([]byte("entry 0 "))
	_, _ = h.Write([]byte("entry 1 "))
	if got := out.String(); got != "before " {
		t.Fatalf("while held, %q reached the output", got)
	}
	h.release()
	_, _ = h.Write([]byte("after"))
	if got := out.String(); got != "before entry 0 entry 1 after" {
		t.Errorf("output %q", got)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A write error at the release comes back from the next write, so the
// report's writer still sees it.
func TestHeldWriterReturnsTheReleasesError(t *testing.T) {
	h := &heldWriter{w: failingWriter{}}
	h.hold()
	_, _ = h.Write([]byte("entry"))
	h.release()
	if _, err := h.Write([]byte("more")); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("the next write returned %v, want the release's error", err)
	}
}
