package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// Delivery limits: D-cb (HPP status: 4 calls for one event, same event_id)
// and D-kpauthcb (KP authorization: 3 attempts, backoff doubling).
const (
	statusMaxCalls        = 4
	authorizationMaxCalls = 3
)

type callbackKind uint8

const (
	statusCallback callbackKind = iota
	authorizationCallback
)

// callbackEvent is one event to deliver, with everything its body needs.
type callbackEvent struct {
	kind    callbackKind
	target  string
	eventID string
	session api.SessionResponseV1     // statusCallback
	auth    api.AuthorizationCallback // authorizationCallback
	gen     uint64                    // the dispatcher generation it belongs to (reset drops older ones)
}

func (ev *callbackEvent) body() ([]byte, error) {
	if ev.kind == statusCallback {
		return json.Marshal(api.StatusUpdateEventV1{EventId: ev.eventID, Session: ev.session})
	}
	return json.Marshal(ev.auth)
}

// dispatcher delivers callbacks asynchronously: one goroutine per key (an
// HPP or KP session) that has events waiting, so one session's events go
// out in order while sessions do not wait for each other. A key's goroutine
// exits when its queue is empty; Close cancels every wait and request and
// waits for them all.
type dispatcher struct {
	client        *http.Client
	transport     *http.Transport
	timeout       time.Duration
	retryDelay    time.Duration
	allowExternal bool
	faults        *activeFaults
	log           *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	gen    atomic.Uint64

	mu     sync.Mutex
	queues map[string][]*callbackEvent // present while its goroutine runs
	closed bool
}

func newDispatcher(opts Options, faults *activeFaults) *dispatcher {
	dialer := &net.Dialer{Timeout: opts.CallbackTimeout}
	if !opts.AllowExternalCallbacks {
		// Checked on the address actually dialled, so a name that resolves
		// elsewhere cannot get past the loopback rule.
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
				return errNotLoopback
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:               nil, // callbacks go where the merchant said, never through a proxy
		DialContext:         dialer.DialContext,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     30 * time.Second,
		TLSHandshakeTimeout: opts.CallbackTimeout,
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &dispatcher{
		client: &http.Client{
			Transport: tr,
			// A redirect is not a 2xx: it counts as a failed call.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		transport:     tr,
		timeout:       opts.CallbackTimeout,
		retryDelay:    opts.CallbackRetryDelay,
		allowExternal: opts.AllowExternalCallbacks,
		faults:        faults,
		log:           opts.Logger,
		ctx:           ctx,
		cancel:        cancel,
		queues:        map[string][]*callbackEvent{},
	}
}

var errNotLoopback = errors.New("callback target is not a loopback address (see AllowExternalCallbacks)")

// enqueueStatus queues an HPP status callback.
func (d *dispatcher) enqueueStatus(hppID, target string, session api.SessionResponseV1) {
	d.enqueue("hpp/"+hppID, &callbackEvent{kind: statusCallback, target: target, eventID: newUUID(), session: session})
}

// enqueueAuthorization queues a KP authorization callback.
func (d *dispatcher) enqueueAuthorization(kpID, target string, body api.AuthorizationCallback) {
	d.enqueue("kp/"+kpID, &callbackEvent{kind: authorizationCallback, target: target, auth: body})
}

func (d *dispatcher) enqueue(key string, ev *callbackEvent) {
	if err := d.checkTarget(ev.target); err != nil {
		d.log.Warn("callback not sent", "target", safeTarget(ev.target), "reason", err.Error())
		return
	}
	ev.gen = d.gen.Load()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	q, running := d.queues[key]
	d.queues[key] = append(q, ev)
	if !running {
		d.wg.Add(1)
		go d.drain(key)
	}
}

// checkTarget refuses what cannot or may not be called.
func (d *dispatcher) checkTarget(target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("not an http(s) URL")
	}
	if u.Hostname() == "" {
		return errors.New("URL has no host")
	}
	if !d.allowExternal && !isLoopbackHost(u.Hostname()) {
		return errNotLoopback
	}
	if isControlPath(u) {
		return errControlPlane
	}
	return nil
}

var errControlPlane = errors.New("callback target is a control-plane path (" + controlPrefix + "); callbacks never go there")

// isControlPath reports whether a URL's path reaches a /_kconform/ path on
// whatever server it names. The host is not looked at: the mock has many
// names (127.0.0.1, localhost, [::1], a proxy in front of it), and no
// callback receiver has a reason to live under /_kconform/. The path is
// read the way a lenient server might: percent-decoding repeated, either
// slash, empty and dot segments dropped, any case.
func isControlPath(u *url.URL) bool {
	p := u.EscapedPath()
	if p == "" {
		p = u.Opaque
	}
	for range 4 { // %255f → %5f → _
		d, err := url.PathUnescape(p)
		if err != nil || d == p {
			break
		}
		p = d
	}
	p = strings.ReplaceAll(p, `\`, "/")
	p = strings.ToLower(path.Clean("/" + p))
	return p == strings.TrimSuffix(controlPrefix, "/") || strings.HasPrefix(p, controlPrefix)
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (d *dispatcher) drain(key string) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			return
		}
		ev := q[0]
		q[0] = nil
		d.queues[key] = q[1:]
		d.mu.Unlock()
		d.deliver(ev)
	}
}

// deliver makes up to the event's number of calls, waiting between them.
func (d *dispatcher) deliver(ev *callbackEvent) {
	maxCalls := statusMaxCalls
	if ev.kind == authorizationCallback {
		maxCalls = authorizationMaxCalls
	}
	for call := 1; ; call++ {
		if d.ctx.Err() != nil || ev.gen != d.gen.Load() {
			return
		}
		err := d.post(ev)
		if err == nil {
			return
		}
		faults := d.faults.load()
		if call >= maxCalls || (ev.kind == statusCallback && faults.has(FaultCallbackNotRetried)) {
			d.log.Warn("callback given up", "target", safeTarget(ev.target), "calls", call, "reason", err.Error())
			return
		}
		wait := d.retryDelay
		if ev.kind == authorizationCallback {
			wait <<= call - 1 // exponential backoff (D-kpauthcb)
		}
		timer := time.NewTimer(wait)
		select {
		case <-d.ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		if ev.kind == statusCallback && d.faults.has(FaultCallbackEventIDChanges) {
			ev.eventID = newUUID()
		}
	}
}

// post makes one call; any 2xx within the timeout is a delivery.
func (d *dispatcher) post(ev *callbackEvent) error {
	body, err := ev.body()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(d.ctx, d.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ev.target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "kconform-mock")
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %d", resp.StatusCode)
	}
	return nil
}

// reset drops every queued event and stops retries of the ones in flight.
func (d *dispatcher) reset() {
	d.gen.Add(1)
	d.mu.Lock()
	defer d.mu.Unlock()
	for key := range d.queues {
		d.queues[key] = nil // the key stays while its goroutine runs
	}
}

// close stops delivery and waits until no callback goroutine is left.
func (d *dispatcher) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	d.transport.CloseIdleConnections()
}

// pending reports how many keys have a delivery goroutine (tests).
func (d *dispatcher) pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.queues)
}

// safeTarget is a callback URL fit for a log: merchants put per-session
// secrets in the query (D-cb), so only scheme, host and path are kept.
func safeTarget(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// kpCallbackURL fills KP's own placeholder, {session.id} (S2 merchant_urls).
func kpCallbackURL(raw, kpID string) string {
	return strings.ReplaceAll(raw, "{session.id}", url.QueryEscape(kpID))
}
