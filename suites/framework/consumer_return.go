package framework

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The return receiver stands in for the merchant's shop: the merchant URLs
// the suites send (success, failure, back, cancel, error) point at it, so
// whatever drives the consumer (plain HTTP, a browser, a person with a
// phone), the placeholder and redirect specs judge the URL the consumer's
// browser actually arrived at after every redirect of the target, byte for
// byte as it was requested.

// returnPrefix is the path of the return receiver's pages: /return/<box>/<kind>.
const returnPrefix = "/return/"

// Returns is the run's return receiver: one HTTP server, one box per spec.
// It listens on this machine; a browser on this machine reaches it on
// loopback, a phone through a public URL the user forwards (--return-url).
type Returns struct {
	listener

	mu    sync.Mutex
	boxes map[string]*returnBox
}

// Arrival is the consumer's browser arriving back at a merchant URL.
type Arrival struct {
	// URL is the merchant URL as the browser requested it: the public base
	// URL followed by the request target exactly as sent (its query not
	// decoded or re-encoded).
	URL string
	// Kind is the merchant URL it was (success, failure, ...): the path
	// segment after the box.
	Kind string
	At   time.Time
}

type returnBox struct {
	arrived chan struct{} // closed at the first arrival
	once    sync.Once
	list    []Arrival
}

// StartReturns listens on listen (host:port) and serves merchant pages.
// public is the base URL the consumer's browser is sent to; nil means the
// listen address itself (http://127.0.0.1:port).
func StartReturns(listen string, public *url.URL) (*Returns, error) {
	l, err := bindListener("return receiver", listen, public)
	if err != nil {
		return nil, err
	}
	r := &Returns{listener: l, boxes: map[string]*returnBox{}}
	r.serve(r)
	return r, nil
}

// open makes a box and returns its id and a function that removes it.
func (r *Returns) open() (string, func()) {
	id := boxID()
	r.mu.Lock()
	r.boxes[id] = &returnBox{arrived: make(chan struct{})}
	r.mu.Unlock()
	return id, func() {
		r.mu.Lock()
		delete(r.boxes, id)
		r.mu.Unlock()
	}
}

// arrivals returns what box id received so far, and a channel closed at
// its first arrival; nil when there is no such box.
func (r *Returns) arrivals(id string) ([]Arrival, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.boxes[id]
	if b == nil {
		return nil, nil
	}
	return append([]Arrival(nil), b.list...), b.arrived
}

// Owns reports whether rawURL is one of this receiver's merchant pages.
func (r *Returns) Owns(rawURL string) bool {
	return strings.HasPrefix(rawURL, r.public+returnPrefix)
}

// ServeHTTP records an arrival at /return/<box>/<kind> and shows a page
// that tells a person the run has seen it. A forwarding proxy may keep or
// strip a path prefix of the public URL: the part from /return/ on is what
// counts either way.
func (r *Returns) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	target := req.RequestURI
	i := strings.Index(target, returnPrefix)
	if i < 0 {
		http.NotFound(w, req)
		return
	}
	target = target[i:]
	rest := strings.TrimPrefix(target, returnPrefix)
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		rest = rest[:q]
	}
	id, kind, _ := strings.Cut(rest, "/")
	r.mu.Lock()
	b := r.boxes[id]
	if b != nil {
		b.list = append(b.list, Arrival{URL: r.public + target, Kind: kind, At: time.Now()})
		b.once.Do(func() { close(b.arrived) })
	}
	r.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if b == nil {
		// The spec is over (or never was).
		w.WriteHeader(http.StatusGone)
		_, _ = fmt.Fprint(w, returnPage("This kconform test is over", "Nothing is waiting for this page any more."))
		return
	}
	_, _ = fmt.Fprint(w, returnPage("Back at the merchant ("+kind+")",
		"kconform saw the browser arrive here; the run goes on. You can close this page."))
}

func returnPage(title, text string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
		`<title>kconform: ` + html.EscapeString(title) + `</title></head><body><main><h1 id="kconform-return">` +
		html.EscapeString(title) + `</h1><p>` + html.EscapeString(text) + `</p></main></body></html>`
}

// ReturnURL is a merchant URL of kind (success, failure, back, cancel,
// error, or any name a spec chooses) on the return receiver, for this
// spec: the target is expected to send the consumer there. Append the
// query (placeholders and all) to it.
func (f *Framework) ReturnURL(kind string) string {
	GinkgoHelper()
	Expect(f.Env.Returns).NotTo(BeNil(), "the run has no return receiver")
	if f.returnBox == "" {
		id, closeBox := f.Env.Returns.open()
		f.returnBox = id
		DeferCleanup(closeBox)
	}
	return f.Env.Returns.public + returnPrefix + f.returnBox + "/" + kind
}

// Arrivals are the consumer's arrivals at this spec's merchant URLs so far.
func (f *Framework) Arrivals() []Arrival {
	if f.returnBox == "" || f.Env.Returns == nil {
		return nil
	}
	list, _ := f.Env.Returns.arrivals(f.returnBox)
	return list
}
