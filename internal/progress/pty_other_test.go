//go:build !linux

package progress

import (
	"os"
	"testing"
)

// terminal skips the test: only Linux's pseudo-terminals are opened here.
func terminal(t *testing.T) *os.File {
	t.Skip("pseudo-terminals are opened on Linux only")
	return nil
}
