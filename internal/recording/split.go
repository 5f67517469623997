package recording

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/kconform/kconform/internal/har"
	"github.com/kconform/kconform/internal/jsonscan"
)

// splitter cuts the elements of a JSON array out of a stream without
// decoding them: it only follows strings and brackets. Reading a HAR is the
// one sequential stage of checking it, so it does as little as possible;
// decoding each entry (which also checks its syntax) happens later, on
// whichever goroutine checks the entry.
type splitter struct {
	r *bufio.Reader
	// off is the file offset of the next unread byte.
	off int64
	// started is set once the first element has been read.
	started bool
	// inValue is set while an element is read: an error then belongs to it.
	inValue bool
	// slab holds the elements read so far, back to back: one allocation
	// for many entries instead of one (and its regrowths) per entry. An
	// element stays valid after the next is read.
	slab []byte
	// src, when set, reads the stream again at base+off: an element that
	// outgrows a slab is then scanned, and read once more at its size.
	src  io.ReaderAt
	base int64
}

// Slabs are allocated slabSize at a time, and a new one is started when
// less than slabMinFree is left.
const (
	slabSize    = har.OwnBufferSize // har.Text keeps a larger body in the buffer it comes in
	slabMinFree = 8 << 10
)

func newSplitter(r io.Reader, off int64) *splitter {
	return &splitter{r: bufio.NewReaderSize(r, readBufferSize), off: off}
}

// next returns the next element of the array and its file offset; done is
// true (and raw nil) when the closing ']' has been read instead.
func (s *splitter) next() (raw []byte, off int64, done bool, err error) {
	c, err := s.peekNonSpace()
	if err != nil {
		return nil, s.off, false, err
	}
	if s.started {
		switch c {
		case ']':
			s.discard(1)
			return nil, s.off, true, nil
		case ',':
			s.discard(1)
			if c, err = s.peekNonSpace(); err != nil {
				return nil, s.off, false, err
			}
		default:
			return nil, s.off, false, errorf(ErrNotJSON, "after an entry: want ',' or ']', got %s (at byte %d)", describeByte(c), s.off+1)
		}
	} else if c == ']' {
		s.discard(1)
		return nil, s.off, true, nil
	}
	if c == ']' || c == '}' || c == ',' || c == ':' {
		return nil, s.off, false, errorf(ErrNotJSON, "want an entry, got %s (at byte %d)", describeByte(c), s.off+1)
	}
	s.started = true
	off = s.off
	s.inValue = true
	raw, err = s.value()
	if err == nil {
		s.inValue = false
	}
	return raw, off, false, err
}

// peekNonSpace skips white space and returns the next byte unread.
func (s *splitter) peekNonSpace() (byte, error) {
	for {
		b, err := s.r.Peek(1)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, ErrTruncated
			}
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			s.discard(1)
			continue
		}
		return b[0], nil
	}
}

func (s *splitter) discard(n int) {
	s.r.Discard(n)
	s.off += int64(n)
}

// Offsets in messages count from 1, as encoding/json's do.

// value reads one JSON value: an object or array to its matching bracket, a
// string to its closing quote, anything else to the next delimiter. It
// copies the bytes out, as the element outlives the reader's buffer.
func (s *splitter) value() ([]byte, error) {
	if cap(s.slab)-len(s.slab) < slabMinFree {
		s.slab = make([]byte, 0, slabSize)
	}
	start := len(s.slab)
	out := s.slab[start:start:cap(s.slab)]
	// An element that outgrows the slab is held at its size, where a
	// slice doubled as it grew would hold up to twice that (and leave as
	// much garbage): read again from src once scanned (reread), or else
	// kept in pieces (big) and joined at its end.
	var big [][]byte
	reread, from, head, last := false, s.off, byte(0), byte(0)
	defer func() {
		if big == nil && !reread {
			s.slab = s.slab[:start+len(out)] // claim the bytes used
		}
	}()
	done := func() ([]byte, error) {
		switch {
		case reread:
			return s.readAgain(from, head, last)
		case big != nil:
			return join(big), nil
		}
		return out, nil
	}
	var closers []byte // the brackets still open, as the bytes that close them
	var str jsonscan.Strings
	first := true
	scalar := false
	for {
		buf, err := s.buffered()
		if err != nil {
			if errors.Is(err, io.EOF) && scalar {
				return done() // a scalar may end the stream; what follows says if that is wrong
			}
			if errors.Is(err, io.EOF) {
				return nil, ErrTruncated
			}
			return nil, err
		}
		i, end := 0, false
		for i < len(buf) && !end {
			c := buf[i]
			if first {
				first, head = false, c
				scalar = c != '{' && c != '[' && c != '"'
			}
			switch {
			case str.Inside():
				// Jump to the next quote or backslash: most of a HAR is
				// string content.
				if n := str.Plain(buf[i:]); n > 0 {
					i += n
					continue
				}
				str.Step(c)
				end = !str.Inside() && len(closers) == 0
			case scalar:
				switch c {
				case ',', ']', '}', ' ', '\t', '\r', '\n':
					end = true
					continue // the delimiter is not part of the value
				}
			default:
				switch c {
				case '"':
					str.Step(c)
				case '{':
					closers = append(closers, '}')
				case '[':
					closers = append(closers, ']')
				case '}', ']':
					if len(closers) == 0 || closers[len(closers)-1] != c {
						return nil, fmt.Errorf("%w: unbalanced %q (at byte %d)", ErrNotJSON, c, s.off+int64(i)+1)
					}
					closers = closers[:len(closers)-1]
					end = len(closers) == 0
				}
			}
			i++
		}
		if !reread && big == nil && len(out)+i > cap(out) {
			if s.src != nil {
				reread = true
			} else {
				big = [][]byte{bytes.Clone(out)}
			}
		}
		switch {
		case reread:
			if i > 0 {
				last = buf[i-1]
			}
		case big != nil:
			big = append(big, bytes.Clone(buf[:i]))
		default:
			out = append(out, buf[:i]...)
		}
		s.discard(i)
		if end {
			return done()
		}
	}
}

// buffered returns the bytes the reader holds, filling it when empty.
func (s *splitter) buffered() ([]byte, error) {
	if n := s.r.Buffered(); n > 0 {
		return s.r.Peek(n)
	}
	if _, err := s.r.Peek(1); err != nil {
		return nil, err
	}
	return s.r.Peek(s.r.Buffered())
}

// readAgain reads the element scanned from offset from to here. Its first
// and last bytes must be the ones scanned: the file did not change meanwhile.
func (s *splitter) readAgain(from int64, head, last byte) ([]byte, error) {
	out := make([]byte, s.off-from)
	if n, err := s.src.ReadAt(out, s.base+from); n < len(out) || out[0] != head || out[len(out)-1] != last {
		if err == nil || errors.Is(err, io.EOF) {
			err = errors.New("the file changed while it was read")
		}
		return nil, fmt.Errorf("reading the entry at byte %d again: %w", from+1, err)
	}
	return out, nil
}

// join copies pieces into one slice of their total size, letting each go as
// it is copied.
func join(pieces [][]byte) []byte {
	n := 0
	for _, p := range pieces {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for i, p := range pieces {
		out = append(out, p...)
		pieces[i] = nil
	}
	return out
}
