// Package brokentarget serves loopback targets that break HTTP on purpose,
// for the tests of what kconform says about them (internal/transport's
// failure kinds, the probe and the run in cmd/kconform): one answers bytes
// that are no HTTP, one resets every connection.
package brokentarget

import (
	"net"
	"testing"
)

// Garbage serves a target that reads each request and answers bytes that
// are no HTTP ("HTTP garbage"). It returns the base URL; the target stops
// when the test ends.
func Garbage(t testing.TB) string {
	return serve(t, func(c net.Conn) {
		read(c)
		_, _ = c.Write([]byte("HTTP garbage\r\n\r\n"))
	})
}

// Resetting serves a target that reads each request and closes the
// connection with a reset (RST), as a crashing server does. It returns the
// base URL; the target stops when the test ends.
func Resetting(t testing.TB) string {
	return serve(t, func(c net.Conn) {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST
		}
		read(c)
	})
}

// read takes what the client sent first (its request, or most of it).
func read(c net.Conn) {
	buf := make([]byte, 4096)
	_, _ = c.Read(buf)
}

func serve(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			handle(c)
			_ = c.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}
