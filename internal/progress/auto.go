package progress

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"
)

// Mode is the --progress setting.
type Mode string

const (
	// ModeAuto shows the line when Auto says so.
	ModeAuto Mode = "auto"
	// ModeAlways shows it whatever the writer (tests, output piped
	// through script(1)).
	ModeAlways Mode = "always"
	// ModeNever never shows it.
	ModeNever Mode = "never"
)

// ParseMode accepts "auto", "always" and "never".
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeAuto, ModeAlways, ModeNever:
		return m, nil
	}
	return "", fmt.Errorf("want auto, always or never, not %q", s)
}

// On decides whether to show the line on w.
func (m Mode) On(w io.Writer, getenv func(string) string) bool {
	switch m {
	case ModeAlways:
		return true
	case ModeNever:
		return false
	}
	return Auto(w, getenv)
}

// Auto reports whether a status line belongs on w: only on a terminal, and
// not in CI, whose logs would keep every redraw, nor on a terminal that
// cannot erase a line.
func Auto(w io.Writer, getenv func(string) string) bool {
	return isTerminal(w) && !inCI(getenv) && getenv("TERM") != "dumb"
}

// isTerminal asks the terminal driver (golang.org/x/term): a character
// device such as /dev/null is not a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// inCI follows the CI variable that CI services set; "0" and "false" turn
// it off for someone who exports it by hand.
func inCI(getenv func(string) string) bool {
	switch v := getenv("CI"); {
	case v == "", v == "0", strings.EqualFold(v, "false"):
		return false
	}
	return true
}

// Columns is the width of the terminal w, as its driver says; else
// COLUMNS; else 80.
func Columns(w io.Writer, getenv func(string) string) int {
	if f, ok := w.(*os.File); ok && f != nil {
		if n, _, err := term.GetSize(int(f.Fd())); err == nil && n > 0 {
			return n
		}
	}
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
}

// SameFile reports whether a and b are open on the same file, such as
// stdout and stderr on one terminal: only then must output to one clear
// the line on the other. A report redirected to a file leaves the line be.
func SameFile(a, b io.Writer) bool {
	fa, ok := a.(*os.File)
	fb, ok2 := b.(*os.File)
	if !ok || !ok2 || fa == nil || fb == nil {
		return false
	}
	ia, err := fa.Stat()
	if err != nil {
		return false
	}
	ib, err := fb.Stat()
	return err == nil && os.SameFile(ia, ib)
}
