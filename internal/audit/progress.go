package audit

import (
	"io"
	"os"
	"sync/atomic"

	"github.com/kconform/kconform/internal/recording"
)

// Progress is how far a Run has got, for a status line read from another
// goroutine while the run goes on. Run adds to it once per batch and per
// read, never per byte or per entry, so keeping it costs nothing
// measurable. Runs that share one add up in it.
type Progress struct {
	// Files is the number of files reported (read to their end or not).
	Files atomic.Int64
	// Entries is the number of entries reported.
	Entries atomic.Int64
	// WithIssues counts the entries a quiet report would still show: any
	// but those that conform with no issue.
	WithIssues atomic.Int64
	// BytesRead is what has been read from the files so far; it runs
	// ahead of the entries reported by the batches in flight.
	BytesRead atomic.Int64
}

// addEntries counts a batch once it is reported.
func (p *Progress) addEntries(out []checked) {
	if p == nil {
		return
	}
	issues := 0
	for i := range out {
		if e := &out[i].entry; e.Verdict != Conforms || len(e.Issues) > 0 {
			issues++
		}
	}
	p.Entries.Add(int64(len(out)))
	p.WithIssues.Add(int64(issues))
}

func (p *Progress) addFile() {
	if p != nil {
		p.Files.Add(1)
	}
}

// open opens a recording, counting what is read from it when p is not nil.
func (p *Progress) open(path string) (*recording.File, error) {
	if p == nil {
		return recording.Open(path)
	}
	counted := false
	return recording.OpenWith(path, func() (io.ReadCloser, error) {
		f, err := recording.OpenRegular(path)
		if err != nil {
			return nil, err
		}
		if counted {
			// A small file read again is counted once: BytesRead stays
			// within the files' sizes.
			return f, nil
		}
		counted = true
		return countingReader{f: f, n: &p.BytesRead}, nil
	})
}

// countingReader adds to n what each Read returns; the reader above it
// asks for large blocks, so this is one atomic add per block. ReadAt and
// Seek let the reader read a large entry again at its size; what it reads
// again was counted when first read.
type countingReader struct {
	f *os.File
	n *atomic.Int64
}

func (c countingReader) ReadAt(b []byte, off int64) (int, error) { return c.f.ReadAt(b, off) }

func (c countingReader) Seek(off int64, whence int) (int64, error) { return c.f.Seek(off, whence) }

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.f.Read(b)
	c.n.Add(int64(n))
	return n, err
}

func (c countingReader) Close() error { return c.f.Close() }
