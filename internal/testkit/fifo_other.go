//go:build !unix

package testkit

import "testing"

// Fifo skips the test: this system has no named pipes.
func Fifo(t testing.TB, path string) string {
	t.Helper()
	t.Skip("no named pipe here")
	return path
}
