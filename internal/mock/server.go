package mock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
)

// Server is one mock: its state, its clock, its faults and its callbacks.
type Server struct {
	opts      Options
	clock     Clock
	faults    activeFaults
	store     *store
	validator *contract.Validator
	machine   machine // the contract's HPP state machine
	callbacks *dispatcher
	log       *slog.Logger
	handler   http.Handler

	mu        sync.Mutex
	httpSrv   *http.Server
	serveDone chan struct{}
	listenURL string // base URL of Start's listener, the fallback for a bad Host
	closed    bool
	// fresh holds the connections that have not sent a request yet. Shutdown
	// waits five seconds before it counts them as idle; Close closes them
	// at once, since no request of theirs can be lost.
	fresh map[net.Conn]struct{}
}

// New builds a mock. It fails on an unknown fault name (naming it) or a
// negative callback duration.
func New(opts Options) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	faults, _ := parseFaults(opts.Faults) // checked by withDefaults
	v, err := contract.DefaultValidator()
	if err != nil {
		return nil, fmt.Errorf("mock: load the contract: %w", err)
	}
	m, err := newMachine(v)
	if err != nil {
		return nil, fmt.Errorf("mock: the contract's HPP state machine: %w", err)
	}
	s := &Server{
		machine:   m,
		opts:      opts,
		clock:     newClock(opts),
		store:     newStore(),
		validator: v,
		log:       opts.Logger,
	}
	s.faults.store(faults)
	s.callbacks = newDispatcher(opts, &s.faults)
	s.handler = s.routes()
	return s, nil
}

// Handler is the whole server: API, consumer page and control plane.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr (":0" picks a free port) and serves in the
// background. It returns the base URL to give clients.
func (s *Server) Start(addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("mock: server is closed")
	}
	if s.httpSrv != nil {
		return "", errors.New("mock: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("mock: listen on %s: %w", addr, err)
	}
	s.listenURL = listenerURL(ln.Addr())
	s.httpSrv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: min(10*time.Second, s.opts.RequestReadTimeout),
		// The body too: without it a client sending one byte a second
		// holds its connection and handler forever.
		ReadTimeout: s.opts.RequestReadTimeout,
		IdleTimeout: 2 * time.Minute,
		ErrorLog:    slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ConnState:   s.trackConn,
	}
	s.serveDone = make(chan struct{})
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("mock: serve", "err", err)
		}
	}(s.httpSrv, s.serveDone)
	return s.listenURL, nil
}

// Close stops serving (letting requests in flight finish, for up to five
// seconds) and stops callback delivery; it returns once no goroutine of the
// mock is left. Closing twice is harmless.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	srv, done := s.httpSrv, s.serveDone
	for c := range s.fresh {
		_ = c.Close()
	}
	s.mu.Unlock()

	var err error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = srv.Shutdown(ctx)
		cancel()
		if err != nil {
			_ = srv.Close()
		}
		<-done
	}
	s.callbacks.close()
	return err
}

func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fresh == nil {
		s.fresh = map[net.Conn]struct{}{}
	}
	if state == http.StateNew {
		s.fresh[c] = struct{}{}
	} else {
		delete(s.fresh, c)
	}
}

// listenerURL is the base URL for a listener; an unspecified address
// (":0", "0.0.0.0") is reached on loopback.
func listenerURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := "127.0.0.1"
	if tcp.IP != nil && !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}

// routes splits the three parts of the server by path prefix: the control
// plane and the consumer page take no credentials, the API does.
func (s *Server) routes() http.Handler {
	control := s.controlHandler()
	consumer := s.consumerHandler()
	apiChain := s.apiHandler()
	return s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, controlPrefix):
			control.ServeHTTP(w, r)
		case strings.HasPrefix(p, "/pay/"):
			info := &requestInfo{baseURL: s.baseURLFor(r)}
			consumer.ServeHTTP(w, r.WithContext(withRequestInfo(r.Context(), info)))
		default:
			apiChain.ServeHTTP(w, r)
		}
	}))
}

// apiHandler is the Klarna API: correlation id and response shaping, then
// credentials, then request validation, then the generated router and the
// strict handlers.
func (s *Server) apiHandler() http.Handler {
	mux := http.NewServeMux()
	strict := api.NewStrictHandlerWithOptions(&handlers{s: s}, nil, api.StrictHTTPServerOptions{
		// Reached only when a body the validator passed (or validation-off
		// let through) does not decode into the generated type.
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeAPIError(w, r, badValue(decodeErrorField(err)))
		},
		ResponseErrorHandlerFunc: s.internalError,
	})
	api.HandlerWithOptions(strict, api.StdHTTPServerOptions{
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			var p *api.TooManyValuesForParamError
			if errors.As(err, &p) {
				writeAPIError(w, r, badValue(p.ParamName))
				return
			}
			writeAPIError(w, r, badValue("request"))
		},
	})
	mux.HandleFunc("/hpp/v1/sessions/{id}/distribution-module/token", s.distributionModuleToken)
	mux.HandleFunc("/", s.unknownEndpoint)
	inner := s.rateLimit(s.requireCredentials(s.validateRequests(mux)))

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &requestInfo{correlationID: newUUID(), baseURL: s.baseURLFor(r)}
		w.Header().Set(correlationHeader, info.correlationID)
		aw := &apiWriter{ResponseWriter: w, faults: s.faults.load()}
		inner.ServeHTTP(aw, r.WithContext(withRequestInfo(r.Context(), info)))
		aw.finish()
	})
}

var (
	errMethodNotAllowed = newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed")
)

// unknownEndpoint answers what the contract does not have: 405 when the
// path, exactly as asked, is an operation's with other methods; else the
// plain 404 of a web server's router, not Klarna's error shape (an
// assumption: no public source shows Klarna's answer to a path it does not
// serve). The path is matched whole: the contract's lenient Find drops
// leading segments (for recordings behind a proxy prefix), which made
// POST /klarna/payments/v1/sessions a 405 and hid a missing prefix from
// the probe of kconform run.
func (s *Server) unknownEndpoint(w http.ResponseWriter, r *http.Request) {
	allowed := s.methodsOf(r.URL.EscapedPath())
	if len(allowed) == 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeAPIError(w, r, errMethodNotAllowed)
}

// methodsOf are the methods the contract's operations serve at path, taken
// whole, in the order HTTP lists them; none for a path the API lacks.
func (s *Server) methodsOf(path string) []string {
	var allowed []string
	for _, o := range s.validator.Operations() {
		if !o.Callback && pathMatches(o.Path, path) && !slices.Contains(allowed, o.Method) {
			allowed = append(allowed, o.Method)
		}
	}
	slices.SortFunc(allowed, func(a, b string) int { return methodRank(a) - methodRank(b) })
	return allowed
}

// pathMatches reports whether path is template (/hpp/v1/sessions/{id})
// segment for segment, a parameter matching one non-empty segment.
func pathMatches(template, path string) bool {
	want, got := strings.Split(template, "/"), strings.Split(path, "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			if got[i] == "" {
				return false
			}
		} else if w != got[i] {
			return false
		}
	}
	return true
}

// methodRank orders an Allow header's methods as HTTP lists them.
func methodRank(m string) int {
	return slices.Index([]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}, m)
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("mock: internal error", "path", r.URL.Path, "err", err)
	writeAPIError(w, r, newAPIError(http.StatusInternalServerError, codeInternal, "Internal error"))
}

// recoverPanics turns a panic into a 500 instead of a dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("mock: panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// baseURLFor is the base URL the client reached us by, so that the URLs the
// mock hands out work from where the client is (a container, a proxy). A
// Host that is not a plain host[:port] is not trusted.
func (s *Server) baseURLFor(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if validHost(r.Host) {
		return scheme + "://" + r.Host
	}
	s.mu.Lock()
	fallback := s.listenURL
	s.mu.Unlock()
	if fallback != "" {
		return fallback
	}
	return scheme + "://localhost"
}

func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '-' || c == ':' || c == '[' || c == ']'
		if !ok {
			return false
		}
	}
	return true
}
