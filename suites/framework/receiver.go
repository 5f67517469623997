package framework

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/transport"
)

// Callback operations of the contract.
const (
	StatusCallback        = "hppStatusUpdateCallback"
	AuthorizationCallback = "kpAuthorizationCallback"
)

// Receiver is the run's callback receiver: one HTTP server, one inbox per
// spec under /cb/<id>. It listens on this machine; the target reaches it on
// loopback, or through a public URL the user forwards (--callback-url).
type Receiver struct {
	listener
	validator *contract.Validator
	scrub     *exchange.Scrubber

	mu      sync.Mutex
	inboxes map[string]*Inbox
}

// StartReceiver listens on listen (host:port) and serves callbacks. public
// is the base URL the target must call; nil means the listen address itself
// (http://127.0.0.1:port).
// scrub hides the run's credentials should a target echo them in a call.
func StartReceiver(listen string, public *url.URL, v *contract.Validator, scrub *exchange.Scrubber) (*Receiver, error) {
	l, err := bindListener("callback receiver", listen, public)
	if err != nil {
		return nil, err
	}
	r := &Receiver{listener: l, validator: v, scrub: scrub, inboxes: map[string]*Inbox{}}
	r.serve(r)
	return r, nil
}

// Reply is how an inbox answers one call.
type Reply struct {
	Status int
	// Delay is how long to wait before answering: longer than the target's
	// callback timeout makes a slow receiver.
	Delay time.Duration
}

// Call is one callback the target sent.
type Call struct {
	At     time.Time
	Query  url.Values
	Header http.Header
	Body   []byte
	// Event is the decoded status callback (StatusCallback inboxes).
	Event *api.StatusUpdateEventV1
	// Authorization is the decoded KP authorization callback.
	Authorization *api.AuthorizationCallback
	// Reply is the status answered.
	Reply int
}

// Inbox receives the callbacks of one spec.
type Inbox struct {
	id        string
	url       string
	operation string
	recorder  *transport.Recorder
	validator *contract.Validator
	scrub     *exchange.Scrubber

	mu      sync.Mutex
	replies []Reply
	calls   []Call
}

// NewInbox opens an inbox for callbacks of operation (StatusCallback or
// AuthorizationCallback) that answers with replies in turn (the last one
// repeats; none means 200 at once). It closes when the spec ends. Every
// call is checked against the contract and recorded with the spec's
// exchanges, so a callback body off the contract fails the spec.
func (f *Framework) NewInbox(operation string, replies ...Reply) *Inbox {
	GinkgoHelper()
	r := f.Env.Receiver
	if r == nil {
		Skip(fmt.Sprintf(skipCallbacks, Callbacks, f.Env.ReceiverReason))
	}
	in := &Inbox{
		id:        boxID(),
		operation: operation,
		recorder:  f.Recorder,
		validator: r.validator,
		scrub:     r.scrub,
		replies:   replies,
	}
	in.url = r.public + "/cb/" + in.id
	r.mu.Lock()
	r.inboxes[in.id] = in
	r.mu.Unlock()
	DeferCleanup(func() {
		r.mu.Lock()
		delete(r.inboxes, in.id)
		r.mu.Unlock()
	})
	return in
}

// URL is the inbox's address, to which query can be appended.
func (in *Inbox) URL() string { return in.url }

// Calls returns every call received so far.
func (in *Inbox) Calls() []Call {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Call(nil), in.calls...)
}

// Events returns the decoded status events received so far, in order.
func (in *Inbox) Events() []api.StatusUpdateEventV1 {
	var out []api.StatusUpdateEventV1
	for _, c := range in.Calls() {
		if c.Event != nil {
			out = append(out, *c.Event)
		}
	}
	return out
}

// ServeHTTP routes /cb/<id> to its inbox.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	id, ok := strings.CutPrefix(req.URL.Path, "/cb/")
	r.mu.Lock()
	in := r.inboxes[id]
	r.mu.Unlock()
	if !ok || in == nil {
		// The spec is over (or never was): tell the sender to stop.
		http.Error(w, "no such inbox", http.StatusGone)
		return
	}
	in.serve(w, req)
}

func (in *Inbox) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, transport.MaxBody))
	// What the spec sees is scrubbed too: a failure message may quote it.
	body = in.scrub.Bytes(body)
	query := in.scrub.String(req.URL.RawQuery)
	parsed, _ := url.ParseQuery(query)
	call := Call{At: time.Now(), Query: parsed, Header: in.scrub.Header(req.Header), Body: body}

	rec := transport.Record{Kind: transport.Callback, Exchange: exchange.Exchange{
		Method: req.Method, URL: in.url + "?" + query, RequestHeader: req.Header.Clone(), RequestBody: body,
	}}
	if req.Method != http.MethodPost {
		res := contract.Result{Operation: in.operation}
		res.Issues = append(res.Issues, contract.Issue{Severity: contract.Violation, Side: contract.Request, In: contract.InRoute,
			Rule: "callback.method", Message: "a callback MUST be a POST, got " + req.Method})
		rec.Result = &res
	} else if res, err := in.validator.ValidateCallback(in.operation, req.Header.Get("Content-Type"), body, contract.Default); err == nil {
		rec.Result = &res
	}
	switch in.operation {
	case StatusCallback:
		var ev api.StatusUpdateEventV1
		if json.Unmarshal(body, &ev) == nil {
			call.Event = &ev
		}
	case AuthorizationCallback:
		var a api.AuthorizationCallback
		if json.Unmarshal(body, &a) == nil {
			call.Authorization = &a
		}
	}

	in.mu.Lock()
	reply := Reply{Status: http.StatusOK}
	if n := len(in.calls); len(in.replies) > 0 {
		reply = in.replies[min(n, len(in.replies)-1)]
	}
	call.Reply = reply.Status
	in.calls = append(in.calls, call)
	in.mu.Unlock()

	if reply.Delay > 0 {
		t := time.NewTimer(reply.Delay)
		select {
		case <-t.C:
		case <-req.Context().Done():
			t.Stop()
		}
	}
	rec.Exchange.Status = reply.Status
	rec.Exchange = in.scrub.Exchange(rec.Exchange)
	in.recorder.Add(rec)
	if req.Context().Err() != nil {
		return // the sender gave up waiting: that was the point of the delay
	}
	w.WriteHeader(reply.Status)
}
