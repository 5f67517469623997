package framework

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// listener is what the callback receiver and the return receiver share: a
// loopback (or --callback-listen/--return-listen) address, the public base
// URL the target or the browser is given, and the HTTP server behind it.
type listener struct {
	srv    *http.Server
	ln     net.Listener
	public string
}

// bindListener listens on addr (host:port); public is the base URL handed
// out, nil meaning the listen address itself (http://127.0.0.1:port). what
// names the receiver in the error. Nothing is served until serve.
func bindListener(what, addr string, public *url.URL) (listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return listener{}, fmt.Errorf("%s: listen on %s: %w", what, addr, err)
	}
	l := listener{ln: ln, public: "http://" + ln.Addr().String()}
	if public != nil {
		l.public = strings.TrimRight(public.String(), "/")
	}
	return l, nil
}

// serve starts answering with h; call it once h (which may read the
// listener's fields) is complete.
func (l *listener) serve(h http.Handler) {
	l.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.srv.Serve(l.ln) }()
}

// boxID is a fresh id for what a receiver routes by path (a callback
// inbox, a return box): 8 random bytes in hex, so one spec cannot reach
// another's.
func boxID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// URL is the public base URL.
func (l *listener) URL() string { return l.public }

// Close stops the server; replies in progress get a second to finish.
func (l *listener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := l.srv.Shutdown(ctx); err != nil {
		return l.srv.Close()
	}
	return nil
}
