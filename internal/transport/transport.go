// Package transport is the one HTTP layer of the conformance suites. Every
// request a spec makes, to the API, the consumer page or the control plane,
// goes through a Doer that bounds it with a timeout, keeps the bytes of both
// bodies, records the exchange (secrets redacted) and, for the API, checks it
// against the contract. An API response that breaks the contract comes back
// as an error, so the spec that made the call fails at the call.
package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
)

// Kind says which surface of the target an exchange went to.
type Kind string

const (
	// API exchanges are checked against the contract.
	API Kind = "api"
	// Page exchanges drive the public consumer page (no credentials).
	Page Kind = "page"
	// Control exchanges drive the test control plane (/_kconform/...).
	Control Kind = "control"
	// Callback exchanges are requests the target sent to our receiver.
	Callback Kind = "callback"
)

// MaxBody bounds what is read of one body: a garbage-answering target must
// not exhaust memory.
const MaxBody = 4 << 20

// Record is one recorded exchange. Exchange is already redacted.
type Record struct {
	Kind     Kind
	Exchange exchange.Exchange
	// Result is the contract check (API and Callback kinds only).
	Result *contract.Result
	// Rejection marks a deliberately invalid request: its request-side issues
	// are expected and never fail the spec.
	Rejection bool
	// Started is when the request was sent.
	Started  time.Time
	Duration time.Duration
	// Err is the transport error, if the exchange did not complete.
	Err error
	// Step names the setup step that sent the request ("create a KP
	// session"), "" for the spec's own requests (see InStep).
	Step string
	// Cleanup marks an exchange sent after the spec's body, by a clean-up.
	Cleanup bool
	// Truncated marks an answer whose body was larger than MaxBody: Err
	// says so, the Exchange keeps the status, headers and the body's first
	// MaxBody bytes.
	Truncated bool
}

// Failing returns the issues that break the contract, leaving out the
// request half of a deliberately invalid request.
func (r Record) Failing() []contract.Issue {
	if r.Result == nil {
		return nil
	}
	var out []contract.Issue
	for _, i := range r.Result.Violations() {
		if r.Rejection && i.Side == contract.Request {
			continue
		}
		out = append(out, i)
	}
	return out
}

// OK reports whether the record conforms.
func (r Record) OK() bool { return len(r.Failing()) == 0 }

// Line is a one-line summary: "POST http://h/p → 201 (createHppSession, 3ms)".
func (r Record) Line() string { return r.summary(true) }

// Brief is Line without the duration: the same exchange gives the same
// text on every run, as a report needs.
func (r Record) Brief() string { return r.summary(false) }

func (r Record) summary(withDuration bool) string {
	ex := r.Exchange
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s → ", r.Kind, ex.Method, ex.URL)
	if r.Err != nil {
		fmt.Fprintf(&b, "error: %v", r.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "%d", ex.Status)
	var details []string
	if r.Result != nil && r.Result.Operation != "" {
		details = append(details, r.Result.Operation)
	}
	if r.Rejection {
		details = append(details, "deliberately invalid request")
	}
	if withDuration {
		details = append(details, r.Duration.Round(time.Millisecond).String())
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
	}
	return b.String()
}

// Report is the long form: the line, every issue with its pointer, and the
// bodies (truncated), for failure messages and logs.
func (r Record) Report() string {
	var b strings.Builder
	b.WriteString(r.Line())
	b.WriteByte('\n')
	if r.Result != nil {
		for _, i := range r.Result.Issues {
			sev := string(i.Severity)
			if r.Rejection && i.Side == contract.Request {
				sev = "expected (deliberately invalid request)"
			}
			where := string(i.Side) + " " + i.In
			if i.Pointer != "" || i.In == contract.InBody {
				p := i.Pointer
				if p == "" {
					p = "(root)"
				}
				where += " " + p
			}
			fmt.Fprintf(&b, "  %s: %s [%s] %s\n", sev, where, i.Rule, i.Message)
		}
	}
	ex := r.Exchange
	if len(ex.RequestBody) > 0 {
		fmt.Fprintf(&b, "  request body (%s):\n%s\n", orNone(ex.RequestHeader.Get("Content-Type")), indent(truncate(ex.RequestBody)))
	}
	if r.Err == nil {
		if cid := ex.ResponseHeader.Get("Klarna-Correlation-Id"); cid != "" {
			fmt.Fprintf(&b, "  Klarna-Correlation-Id: %s\n", cid)
		}
		fmt.Fprintf(&b, "  response body (%s, %d bytes):\n%s\n", orNone(ex.ResponseHeader.Get("Content-Type")), len(ex.ResponseBody), indent(truncate(ex.ResponseBody)))
	}
	return strings.TrimRight(b.String(), "\n")
}

func orNone(s string) string {
	if s == "" {
		return "no content type"
	}
	return s
}

func truncate(b []byte) string {
	const limit = 2048
	b = bytes.TrimRight(b, "\r\n")
	if len(b) == 0 {
		return "(empty)"
	}
	if len(b) > limit {
		return string(b[:limit]) + fmt.Sprintf("… (%d more bytes)", len(b)-limit)
	}
	return string(b)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// ViolationError is returned for an API exchange that breaks the contract.
type ViolationError struct{ Record Record }

func (e *ViolationError) Error() string {
	return "contract violation: " + e.Record.Report()
}

// GomegaString keeps Gomega from printing the report a second time after
// the error message.
func (e *ViolationError) GomegaString() string { return "(the contract violation above)" }

// Recorder collects the records of one spec. It is safe for concurrent use
// (callbacks arrive on server goroutines).
type Recorder struct {
	mu      sync.Mutex
	records []Record
	cleanup bool
	// Log, when set, receives one line per exchange, plus warnings.
	Log io.Writer
	// Observe, when set, sees every record as it is added: the run's
	// observers (a HAR capture, the coverage of a report) hang on it. It
	// may be called from several goroutines at once.
	Observe func(Record)
}

// EnterCleanup marks every request recorded from now on, callbacks
// aside, as sent by a clean-up: the spec's body is over.
func (r *Recorder) EnterCleanup() {
	r.mu.Lock()
	r.cleanup = true
	r.mu.Unlock()
}

// Add appends a record, logs it and hands it to Observe, if set.
func (r *Recorder) Add(rec Record) {
	r.mu.Lock()
	rec.Cleanup = rec.Cleanup || (r.cleanup && rec.Kind != Callback)
	r.mu.Unlock()
	if r.Observe != nil {
		r.Observe(rec)
	}
	r.mu.Lock()
	r.records = append(r.records, rec)
	log := r.Log
	r.mu.Unlock()
	if log == nil {
		return
	}
	fmt.Fprintln(log, rec.Line())
	if rec.Result != nil {
		for _, i := range rec.Result.Issues {
			if i.Severity == contract.Warning || (rec.Rejection && i.Side == contract.Request) {
				fmt.Fprintf(log, "  note: %s\n", i)
			}
		}
	}
}

// Records returns a copy of everything recorded so far.
func (r *Recorder) Records() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Record(nil), r.records...)
}

// Failing returns the records that break the contract.
func (r *Recorder) Failing() []Record {
	var out []Record
	for _, rec := range r.Records() {
		if !rec.OK() {
			out = append(out, rec)
		}
	}
	return out
}

type rejectionKey struct{}

// ExpectRejection marks the requests made with ctx as deliberately invalid:
// the contract check ignores their request half. The spec still asserts the
// status it expects (a 4xx), so a target that accepts them fails there.
func ExpectRejection(ctx context.Context) context.Context {
	return context.WithValue(ctx, rejectionKey{}, true)
}

func isRejection(ctx context.Context) bool {
	v, _ := ctx.Value(rejectionKey{}).(bool)
	return v
}

type stepKey struct{}

// InStep marks the requests made with ctx as part of the setup step name
// ("create a KP session"): a step prepares what a rule is checked on, so a
// contract violation in its answer is recorded but not returned as an
// error; the step goes on when it can, and the report judges the violation
// by the operation it is about, not by the rule that passed through it.
func InStep(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, stepKey{}, name)
}

// StepOf is the setup step of ctx, "" outside one.
func StepOf(ctx context.Context) string {
	v, _ := ctx.Value(stepKey{}).(string)
	return v
}

// Doer sends requests for one surface of a target and records them. It
// implements the generated client's HttpRequestDoer.
type Doer struct {
	Kind     Kind
	Client   *http.Client
	Timeout  time.Duration
	Recorder *Recorder
	// Validator checks API exchanges; nil skips the check.
	Validator *contract.Validator
	Mode      contract.Mode
	// Breaker, when set, fails requests fast once the target has stopped
	// answering; share one per target.
	Breaker *Breaker
	// Scrub hides the run's credentials wherever the target echoes them:
	// in what is recorded, in errors, and in the response handed back to
	// the spec (so no failure message can quote them). Nil only redacts.
	Scrub *exchange.Scrubber
}

// Do sends req, reads the whole response body within the timeout, records
// the exchange, and returns the response with its body replayable. For the
// API kind it returns a *ViolationError when the exchange breaks the contract,
// unless the request belongs to a setup step (InStep).
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	reqBody, err := readRequestBody(req)
	if err != nil {
		return nil, errors.New(d.Scrub.String(fmt.Sprintf("%s %s: reading the request body: %v", req.Method, exchange.RedactURL(req.URL.String()), err)))
	}
	rejection := isRejection(req.Context())
	ctx, cancel := context.WithTimeout(req.Context(), d.Timeout)
	defer cancel()
	out := req.Clone(ctx)
	out.Body = io.NopCloser(bytes.NewReader(reqBody))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	out.ContentLength = int64(len(reqBody))

	rec := Record{Kind: d.Kind, Rejection: rejection, Started: time.Now(), Step: StepOf(req.Context())}
	rec.Exchange = exchange.Exchange{
		Method:        req.Method,
		URL:           req.URL.String(),
		RequestHeader: req.Header.Clone(),
		RequestBody:   reqBody,
	}
	if err := d.Breaker.allow(); err != nil {
		rec.Err = &TransportError{msg: d.Scrub.String(fmt.Sprintf("%s %s: %v", req.Method, exchange.RedactURL(req.URL.String()), err)), err: err}
		rec.Exchange = d.Scrub.Exchange(rec.Exchange)
		d.Recorder.Add(rec)
		return nil, rec.Err
	}
	start := time.Now()
	rec.Started = start
	resp, err := d.Client.Do(out)
	var body []byte
	if err == nil {
		body, err = readLimited(resp.Body)
		resp.Body.Close()
		if errors.Is(err, errTooLarge) {
			// The target answered: keep what it said, as far as read.
			rec.Truncated = true
			rec.Exchange.Status = resp.StatusCode
			rec.Exchange.ResponseHeader = resp.Header.Clone()
			rec.Exchange.ResponseBody = body[:MaxBody]
		}
	}
	rec.Duration = time.Since(start)
	if req.Context().Err() == nil {
		// A spec that ran out of time says nothing about the target.
		d.Breaker.record(err)
	}
	if err != nil {
		rec.Err = d.explain(ctx, req, err)
		rec.Exchange = d.Scrub.Exchange(rec.Exchange)
		if d.Kind == API && d.Validator != nil {
			// Not checked (there is no whole answer), but which operation
			// it was: a failed step of a rule's own operation breaks it.
			if op, _, ferr := d.Validator.Find(req.Method, req.URL.String()); ferr == nil {
				rec.Result = &contract.Result{Operation: op.ID}
			}
		}
		d.Recorder.Add(rec)
		return nil, rec.Err
	}
	rec.Exchange.Status = resp.StatusCode
	rec.Exchange.ResponseHeader = resp.Header.Clone()
	rec.Exchange.ResponseBody = body
	// Only the scrubbed exchange is kept or shown; the validator does not
	// need the credentials.
	rec.Exchange = d.Scrub.Exchange(rec.Exchange)
	if d.Kind == API && d.Validator != nil {
		res := d.Validator.Validate(rec.Exchange, d.Mode)
		rec.Result = &res
	}
	d.Recorder.Add(rec)

	// The spec sees the target's answer with the credentials scrubbed too,
	// secret headers (cookies) aside: it may need them.
	body = d.Scrub.Bytes(body)
	resp.Header = d.Scrub.Header(resp.Header)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	if !rec.OK() && rec.Step == "" {
		return nil, &ViolationError{Record: rec}
	}
	return resp, nil
}

// TransportError is an exchange that did not complete: what was sent and
// what happened, in one sentence.
type TransportError struct {
	msg string
	err error
}

func (e *TransportError) Error() string { return e.msg }
func (e *TransportError) Unwrap() error { return e.err }

// GomegaString keeps Gomega from dumping the struct after the message.
func (e *TransportError) GomegaString() string { return "(the transport error above)" }

// explain turns a transport error into a sentence that says what happened.
func (d *Doer) explain(ctx context.Context, req *http.Request, err error) error {
	e := d.describe(ctx, req, err)
	return &TransportError{msg: d.Scrub.String(e.Error()), err: err}
}

func (d *Doer) describe(ctx context.Context, req *http.Request, err error) error {
	what := fmt.Sprintf("%s %s", req.Method, exchange.RedactURL(req.URL.String()))
	// net/http wraps every error in a *url.Error that names the method and
	// URL again: say them once.
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case req.Context().Err() != nil:
		return fmt.Errorf("%s: abandoned, the spec's time ran out (%v)", what, context.Cause(req.Context()))
	case ctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) || errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("%s: no complete answer within the request timeout of %s (the target hangs or is too slow)", what, d.Timeout)
	case errors.Is(err, errTooLarge):
		return fmt.Errorf("%s: %v", what, err)
	}
	// the kind alone: Go's words name the connection's ports, which differ
	// for every connection
	if kind, ok := Failure(err); ok {
		return fmt.Errorf("%s: %s", what, kind)
	}
	return fmt.Errorf("%s: %s", what, WithoutAddresses(err.Error()))
}

var errTooLarge = fmt.Errorf("the response body is larger than %d bytes", MaxBody)

func readLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBody {
		return b, errTooLarge // what was read, for the record
	}
	return b, nil
}

func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

// NewHTTPClient is the base client of a run: a fresh transport (no shared
// connection pool with anything else), redirects never followed (the suites
// look at each Location themselves), no overall timeout (each Doer sets one
// per request from the spec's context).
func NewHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// BasicAuth returns a request editor that sets HTTP Basic credentials.
func BasicAuth(username, password string) func(context.Context, *http.Request) error {
	return func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth(username, password)
		return nil
	}
}
