package framework

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/transport"
)

// Spec timeouts. Every It carries one, so a hanging target fails the spec
// that met it instead of the whole run. They are generous on purpose: the
// real bound of each wait is Env.Timeouts (per request, per async wait).
var (
	// Timeout suits a spec made of a few requests and short waits.
	Timeout = SpecTimeout(2 * time.Minute)
	// CallbackTimeout suits a spec that waits for a callback and its retries
	// (four calls at Klarna's 3 s + "a few seconds" each).
	CallbackTimeout = SpecTimeout(4 * time.Minute)
)

// Framework is the per-spec toolbox of one Describe. New registers a
// BeforeEach that skips the spec when the target lacks one of its need
// labels, then gives it fresh recording clients and registers the contract
// check of everything the spec sent and received.
type Framework struct {
	// Env is the run's environment.
	Env *Env
	// API is the generated client, authenticated, over the recording,
	// contract-checking transport.
	API *api.ClientWithResponses
	// Recorder holds every exchange of the spec.
	Recorder *transport.Recorder
	// Ref is unique to this spec (merchant references, receiver paths).
	Ref string

	pageDoer *transport.Doer
	control  *transport.Doer
	// steps are the setup steps under way, innermost last (steps.go).
	steps []string
	// returnBox is this spec's box at the return receiver, "" until a
	// merchant URL asks for one (consumer_return.go).
	returnBox string
	// tab is this spec's browser tab (--consumer browser), nil until used.
	tab *tab
}

// New returns the Framework of the enclosing container.
func New() *Framework {
	f := &Framework{}
	BeforeEach(func() {
		f.setUp()
	})
	// AfterEach runs after the body and before every DeferCleanup: what is
	// sent from here on is a clean-up's.
	AfterEach(func() {
		if f.Recorder != nil {
			f.Recorder.EnterCleanup()
		}
	})
	return f
}

func (f *Framework) setUp() {
	GinkgoHelper()
	f.Recorder, f.steps, f.returnBox, f.tab = nil, nil, "", nil
	e, err := current()
	Expect(err).NotTo(HaveOccurred())
	for _, l := range CurrentSpecReport().Labels() {
		Requires(e, l)
	}
	f.Env = e
	f.Ref = e.nextRef()
	f.record(&transport.Recorder{Log: GinkgoWriter, Observe: e.observe})
	// Clean-ups run last registered first: these two run after the spec's
	// own, so both see their exchanges too; the judgement comes before the
	// contract check fails the spec, so it sees how the body ended.
	DeferCleanup(f.checkContract)
	DeferCleanup(f.judge)
}

// record makes every client of f record into rec.
func (f *Framework) record(rec *transport.Recorder) {
	GinkgoHelper()
	f.Recorder = rec
	f.API = f.client(transport.BasicAuth(f.Env.Username, f.Env.Password.Reveal()))
	f.pageDoer = f.doer(transport.Page)
	f.control = f.doer(transport.Control)
}

func (f *Framework) doer(kind transport.Kind) *transport.Doer {
	return &transport.Doer{
		Kind: kind, Client: f.Env.HTTP, Timeout: f.Env.Timeouts.Request, Recorder: f.Recorder,
		Validator: f.Env.Validator, Mode: contract.Default, Breaker: f.Env.Breaker, Scrub: f.Env.Scrubber,
	}
}

func (f *Framework) client(editors ...api.RequestEditorFn) *api.ClientWithResponses {
	GinkgoHelper()
	opts := []api.ClientOption{api.WithHTTPClient(f.doer(transport.API))}
	if f.Env.HPPBaseURL != "" {
		editors = append(editors, f.toHPPBase)
	}
	for _, e := range editors {
		opts = append(opts, api.WithRequestEditorFn(e))
	}
	c, err := api.NewClientWithResponses(f.Env.BaseURL, opts...)
	Expect(err).NotTo(HaveOccurred())
	return c
}

// toHPPBase sends a request of the HPP API to its own base URL
// (--hpp-target): the generated client knows one server, the KP one. KCO
// orders go there too: the HPP hosts them on its own environment's domain
// (Kustom serves both APIs on one host).
func (f *Framework) toHPPBase(_ context.Context, req *http.Request) error {
	for _, api := range []string{"/hpp/", "/checkout/"} {
		prefix := f.Env.BaseURL + api
		if s := req.URL.String(); strings.HasPrefix(s, prefix) {
			u, err := url.Parse(f.Env.HPPBaseURL + api + strings.TrimPrefix(s, prefix))
			if err != nil {
				return err
			}
			req.URL, req.Host = u, u.Host
		}
	}
	return nil
}

// Unauthenticated returns a client that sends no credentials.
func (f *Framework) Unauthenticated() *api.ClientWithResponses {
	GinkgoHelper()
	return f.client()
}

// WrongCredentials returns a client that sends the right username with a
// wrong password.
func (f *Framework) WrongCredentials() *api.ClientWithResponses {
	GinkgoHelper()
	return f.client(transport.BasicAuth(f.Env.Username, "kconform-wrong-"+f.Ref))
}

// checkContract fails the spec for every exchange that broke the contract,
// whatever the spec itself asserted. A violation the spec already failed
// on (the call returned it as an error) is not reported twice.
func (f *Framework) checkContract() {
	failing := f.Recorder.Failing()
	if len(failing) == 0 {
		return
	}
	if CurrentSpecReport().Failed() {
		// The spec failed already, so the run fails; the violations are in
		// its judgement, and a second failure would only repeat them.
		return
	}
	fresh := failing
	var lines []string
	for _, r := range fresh {
		for _, i := range r.Failing() {
			op := ""
			if r.Result != nil {
				op = r.Result.Operation
			}
			lines = append(lines, "  "+runreport.IssueLine(op, r.Exchange.Status, i)+" in "+r.Brief())
		}
	}
	Fail(fmt.Sprintf("%d exchange(s) of this spec broke the contract:\n%s", len(fresh), strings.Join(lines, "\n")))
}

// FailHandler is the Gomega fail handler of a run: Ginkgo's Fail with
// the message tidied of Gomega's Go types and addresses (runreport.Tidy).
func FailHandler(message string, callerSkip ...int) {
	skip := 1
	if len(callerSkip) > 0 {
		skip += callerSkip[0]
	}
	ginkgo.Fail(runreport.Tidy(message), skip)
}

// Rejecting marks requests made with the returned context as deliberately
// invalid: the contract check then ignores their request half.
func Rejecting(ctx context.Context) context.Context {
	return transport.ExpectRejection(ctx)
}
