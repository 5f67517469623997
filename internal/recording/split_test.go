package recording

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// On every valid JSON array the splitter cuts out exactly the elements
// encoding/json sees.
func FuzzSplitter(f *testing.F) {
	for _, s := range []string{`[]`, `[1, "a\"]", {"b": [1, {"c": "}"}]}, null, true, -1.5e3]`, `[{"x":"\\"},[]]`, "[\n{}\n,\n[ ]\n]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want []json.RawMessage
		if json.Unmarshal(data, &want) != nil {
			return
		}
		data = bytes.TrimLeft(data, " \t\r\n")
		s := newSplitter(bytes.NewReader(data[1:]), 1)
		for i := 0; ; i++ {
			raw, _, done, err := s.next()
			if err != nil {
				t.Fatalf("%q: element %d: %v", data, i, err)
			}
			if done {
				if i != len(want) {
					t.Fatalf("%q: %d elements; encoding/json sees %d", data, i, len(want))
				}
				return
			}
			if i >= len(want) || !bytes.Equal(compact(t, raw), compact(t, want[i])) {
				t.Fatalf("%q: element %d is %q", data, i, raw)
			}
		}
	})
}

func compact(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("%q: %v", b, err)
	}
	return buf.Bytes()
}

// Elements stay valid after later ones are read, across slabs; one larger
// than a slab is held at its size.
func TestSplitterSlabs(t *testing.T) {
	var parts []string
	for i := 0; i < 2000; i++ {
		parts = append(parts, `{"n":"`+strings.Repeat("x", i%700)+`"}`)
		if i == 1000 {
			parts = append(parts, `{"big":"`+strings.Repeat("z", 5*slabSize)+`"}`)
		}
	}
	parts = append(parts, `"`+strings.Repeat("y", 3*slabSize)+`"`) // larger than a slab
	s := newSplitter(strings.NewReader(strings.Join(parts, ",")+"]"), 0)
	var got [][]byte
	for {
		raw, _, done, err := s.next()
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
		got = append(got, raw)
	}
	if len(got) != len(parts) {
		t.Fatalf("%d elements", len(got))
	}
	for i, raw := range got {
		if string(raw) != parts[i] {
			t.Fatalf("element %d changed after later reads", i)
		}
		if len(raw) > slabSize && cap(raw) != len(raw) {
			t.Errorf("element %d of %d bytes is held in %d", i, len(raw), cap(raw))
		}
	}
	// A scalar larger than a slab may end the stream.
	digits := strings.Repeat("7", 3*slabSize)
	s = newSplitter(strings.NewReader("1,"+digits), 0)
	for _, want := range []string{"1", digits} {
		if raw, _, _, err := s.next(); err != nil || string(raw) != want {
			t.Fatalf("got %d bytes, %v; want %d", len(raw), err, len(want))
		}
	}
}
