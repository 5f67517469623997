package framework

import (
	"context"
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
