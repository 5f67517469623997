package recording

import (
	"bytes"
	"strconv"
	"strings"
	"sync"

	"github.com/kconform/kconform/internal/jsonscan"
)

// duplicateKey finds the first object key that appears twice in the
// structure of one recorded entry (a response with two "status"es, a
// header with two "value"s): encoding/json keeps the last, other readers
// the first, so the entry is refused rather than read one way. A "text"
// value is not looked into: a body given as a JSON value (Polly.js) is
// the contract's to check (body.duplicate-key). It returns where (a path
// such as "response" or "request.headers[2]") and the key. Text that is
// not valid JSON ends the scan without a finding: the decoder says what
// is wrong with it.
func duplicateKey(data []byte) (where, key string, found bool) {
	s := scans.Get().(*keyScan)
	*s = keyScan{data: data, keys: s.keys[:0], path: s.path[:0]}
	s.value()
	where, key, found = s.where, s.key, s.found
	s.data = nil
	scans.Put(s)
	return where, key, found
}

// scans keeps the stacks of earlier scans: one per entry would allocate.
var scans = sync.Pool{New: func() any { return new(keyScan) }}

// keyScan walks one entry. The keys of the open objects share one stack,
// and the path is a stack of segments made into a string only for a
// finding: the scan runs on every entry, so it allocates next to nothing.
type keyScan struct {
	data       []byte
	i          int
	keys       [][]byte
	path       []segment
	where, key string
	found, bad bool
}

// segment is a key (an object member) or, when key is nil, an index.
type segment struct {
	key   []byte
	index int
}

func (s *keyScan) pathString() string {
	var b strings.Builder
	for _, seg := range s.path {
		switch {
		case seg.key == nil:
			b.WriteString("[" + strconv.Itoa(seg.index) + "]")
		case b.Len() > 0:
			b.WriteString("." + string(seg.key))
		default:
			b.Write(seg.key)
		}
	}
	if b.Len() == 0 {
		return "the entry"
	}
	return b.String()
}

func (s *keyScan) done() bool { return s.found || s.bad }

func (s *keyScan) space() { s.i = jsonscan.SkipSpace(s.data, s.i) }

// str skips a string literal at s.i and returns its raw content. A plain
// loop: the strings of an entry are short, and bytes.IndexAny sets up a
// table on every call.
func (s *keyScan) str() []byte {
	start := s.i + 1
	for j := start; j < len(s.data); j++ {
		switch s.data[j] {
		case '\\':
			j++
		case '"':
			s.i = j + 1
			return s.data[start:j]
		}
	}
	s.bad = true
	return nil
}

func (s *keyScan) value() {
	s.space()
	if s.i >= len(s.data) {
		s.bad = true
		return
	}
	switch s.data[s.i] {
	case '{':
		s.object()
	case '[':
		s.i++
		for n := 0; !s.done(); n++ {
			s.space()
			if s.i < len(s.data) && s.data[s.i] == ']' {
				s.i++
				return
			}
			s.path = append(s.path, segment{index: n})
			s.value()
			s.path = s.path[:len(s.path)-1]
			s.space()
			if s.done() || s.i >= len(s.data) {
				s.bad = true
				return
			}
			if s.data[s.i] == ',' {
				s.i++
			}
		}
	case '"':
		s.str()
	default: // a number, true, false or null
		for s.i < len(s.data) && !endsScalar(s.data[s.i]) {
			s.i++
		}
	}
}

func (s *keyScan) object() {
	mark := len(s.keys)
	s.members(mark)
	s.keys = s.keys[:mark]
}

func (s *keyScan) members(mark int) {
	s.i++ // '{'
	for !s.done() {
		s.space()
		if s.i >= len(s.data) {
			s.bad = true
			return
		}
		if s.data[s.i] == '}' {
			s.i++
			return
		}
		if s.data[s.i] != '"' {
			s.bad = true
			return
		}
		k := s.str()
		for _, seen := range s.keys[mark:] {
			if bytes.Equal(seen, k) {
				s.where, s.key, s.found = s.pathString(), string(k), true
				return
			}
		}
		s.keys = append(s.keys, k)
		s.space()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			s.bad = true
			return
		}
		s.i++
		if string(k) == "text" {
			// A body: skip it whole, without looking at its keys.
			v := keyScan{data: s.data, i: s.i, bad: false}
			v.skip()
			s.i, s.bad = v.i, v.bad
		} else {
			s.path = append(s.path, segment{key: k})
			s.value()
			s.path = s.path[:len(s.path)-1]
		}
		s.space()
		if s.done() || s.i >= len(s.data) {
			s.bad = s.bad || !s.found
			return
		}
		if s.data[s.i] == ',' {
			s.i++
		}
	}
}

// skip passes over one value of any kind, brackets balanced, strings
// skipped whole.
func (s *keyScan) skip() {
	s.space()
	depth := 0
	for s.i < len(s.data) {
		switch c := s.data[s.i]; c {
		case '"':
			s.str()
			if s.bad {
				return
			}
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return // the end of the object holding a scalar
			}
			depth--
			if depth == 0 {
				s.i++
				return
			}
		case ',':
			if depth == 0 {
				return
			}
		}
		s.i++
	}
	if depth != 0 {
		s.bad = true
	}
}

func endsScalar(c byte) bool {
	switch c {
	case ',', ']', '}', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
