package jsonscan

import "testing"

// Each byte of the text is marked s when Step says it belongs to a string.
func TestStepMarksStringBytes(t *testing.T) {
	for text, want := range map[string]string{
		`{"a":1}`:           `.sss...`,
		`["x\"y",2]`:        `.ssssss...`,
		`"\\"x`:             `ssss.`,
		`{"k":"a\\\"b"}`:    `.sss.ssssssss.`,
		`[1,"}",{"]":"["}]`: `...sss..sss.sss..`,
	} {
		var s Strings
		got := make([]byte, len(text))
		for i := range len(text) {
			got[i] = '.'
			if s.Step(text[i]) {
				got[i] = 's'
			}
		}
		if string(got) != want {
			t.Errorf("%s\n got %s\nwant %s", text, got, want)
		}
	}
}

func TestPlainSkipsOnlyContent(t *testing.T) {
	var s Strings
	if n := s.Plain([]byte("abc")); n != 0 {
		t.Fatalf("outside a string: %d", n)
	}
	s.Step('"')
	if n := s.Plain([]byte(`abc\"d"`)); n != 3 {
		t.Errorf("before a backslash: %d, want 3", n)
	}
	if n := s.Plain([]byte(`abc`)); n != 3 {
		t.Errorf("no quote in the buffer: %d, want 3", n)
	}
	s.Step('\\')
	if n := s.Plain([]byte(`"x`)); n != 0 {
		t.Errorf("after a backslash the quote is content, but Step must see it: %d", n)
	}
	s.Step('"')
	if !s.Inside() {
		t.Errorf("an escaped quote ended the string")
	}
	s.Step('"')
	if s.Inside() {
		t.Errorf("a quote did not end the string")
	}
}

func TestSkipSpaceStopsAtTheFirstToken(t *testing.T) {
	for _, tt := range []struct {
		text     string
		from, at int
	}{
		{" \t\r\n:1", 0, 4},
		{"[1, 2]", 3, 4},
		{"x", 0, 0},
		{"  ", 0, 2},
		{"\f1", 0, 0}, // form feed is not JSON whitespace
		{"", 0, 0},
	} {
		if got := SkipSpace([]byte(tt.text), tt.from); got != tt.at {
			t.Errorf("SkipSpace(%q, %d) = %d, want %d", tt.text, tt.from, got, tt.at)
		}
	}
}
