package progress

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

func TestAuto(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	tty := terminal(t)
	var nilFile *os.File

	for _, tc := range []struct {
		name string
		w    io.Writer
		env  map[string]string
		want bool
	}{
		{"terminal", tty, nil, true},
		{"terminal, TERM set", tty, map[string]string{"TERM": "xterm-256color"}, true},
		{"terminal, CI empty", tty, map[string]string{"CI": ""}, true},
		{"terminal, CI=0", tty, map[string]string{"CI": "0"}, true},
		{"terminal, CI=false", tty, map[string]string{"CI": "false"}, true},
		{"terminal, CI=FALSE", tty, map[string]string{"CI": "FALSE"}, true},
		{"terminal, CI=true", tty, map[string]string{"CI": "true"}, false},
		{"terminal, CI=1", tty, map[string]string{"CI": "1"}, false},
		{"terminal, CI=woodpecker", tty, map[string]string{"CI": "woodpecker"}, false},
		{"terminal, TERM=dumb", tty, map[string]string{"TERM": "dumb"}, false},
		{"regular file", file, nil, false},
		{"pipe", pw, nil, false},
		{"buffer", &bytes.Buffer{}, nil, false},
		{"nil file", nilFile, nil, false},
	} {
		if got := Auto(tc.w, testkit.Env(tc.env)); got != tc.want {
			t.Errorf("%s: Auto = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestModeOverridesAuto(t *testing.T) {
	tty := terminal(t)
	ci := testkit.Env(map[string]string{"CI": "true"})
	none := testkit.Env(nil)
	for _, tc := range []struct {
		flag string
		w    io.Writer
		env  func(string) string
		want bool
	}{
		{"auto", tty, none, true},
		{"auto", tty, ci, false},
		{"auto", &bytes.Buffer{}, none, false},
		{"always", &bytes.Buffer{}, ci, true},
		{"always", &bytes.Buffer{}, testkit.Env(map[string]string{"TERM": "dumb"}), true},
		{"never", tty, none, false},
	} {
		m, err := ParseMode(tc.flag)
		if err != nil {
			t.Fatalf("ParseMode(%q): %v", tc.flag, err)
		}
		if got := m.On(tc.w, tc.env); got != tc.want {
			t.Errorf("--progress %s on %T (CI=%q TERM=%q): %v, want %v", tc.flag, tc.w, tc.env("CI"), tc.env("TERM"), got, tc.want)
		}
	}
}

func TestParseModeRejects(t *testing.T) {
	for _, s := range []string{"", "yes", "Always", "on"} {
		if _, err := ParseMode(s); err == nil {
			t.Errorf("ParseMode(%q) accepted", s)
		}
	}
}

func TestColumns(t *testing.T) {
	for v, want := range map[string]int{"": 80, "120": 120, "0": 80, "-3": 80, "wide": 80} {
		if got := Columns(nil, testkit.Env(map[string]string{"COLUMNS": v})); got != want {
			t.Errorf("COLUMNS=%q: %d, want %d", v, got, want)
		}
	}
}

func TestSameFile(t *testing.T) {
	tty := terminal(t)
	tty2, err := os.OpenFile(tty.Name(), os.O_WRONLY, 0) // the same terminal, opened again
	if err != nil {
		t.Fatal(err)
	}
	defer tty2.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "report"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	if Auto(devNull, testkit.Env(nil)) {
		t.Error("Auto: /dev/null, a character device but no terminal, counts as one")
	}
	var buf bytes.Buffer
	for _, tc := range []struct {
		name string
		a, b io.Writer
		want bool
	}{
		{"one terminal twice", tty, tty2, true},
		{"the same *os.File", file, file, true},
		{"report redirected to a file", file, tty, false},
		{"buffers", &buf, &buf, false},
		{"buffer and terminal", &buf, tty, false},
	} {
		if got := SameFile(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: SameFile = %v, want %v", tc.name, got, tc.want)
		}
	}
}
