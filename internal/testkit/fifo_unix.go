//go:build unix

package testkit

import (
	"syscall"
	"testing"
)

// Fifo makes a named pipe at path (mode 0600) and returns path; where the
// system makes none, the test is skipped, saying why.
func Fifo(t testing.TB, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	return path
}
