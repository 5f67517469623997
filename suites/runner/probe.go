package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/transport"
	"github.com/kconform/kconform/suites/framework"
)

// The probe runs before the suites, so that a target that cannot be tested
// says so in one line instead of failing every spec: it must answer at all
// (DNS, connection), its base URL must lead to the API (not a 404 page of
// the server around it), and the operations it does not serve are told
// apart from unknown ids.

// probeRoute is one operation the probe asks with an id. Path has one %s
// for the id; token routes take an authorization token, which the probe
// cannot create (it needs the consumer page).
type probeRoute struct {
	op, method, path string
	hpp, token       bool
}

var probeRoutes = []probeRoute{
	{"getSessionById", http.MethodGet, "/hpp/v1/sessions/%s", true, false},
	{"disableHppSession", http.MethodDelete, "/hpp/v1/sessions/%s", true, false},
	{"distributeHppSession", http.MethodPost, "/hpp/v1/sessions/%s/distribution", true, false},
	{"readCreditSession", http.MethodGet, "/payments/v1/sessions/%s", false, false},
	{"updateCreditSession", http.MethodPost, "/payments/v1/sessions/%s", false, false},
	{"createOrder", http.MethodPost, "/payments/v1/authorizations/%s/order", false, true},
	{"cancelAuthorization", http.MethodDelete, "/payments/v1/authorizations/%s", false, true},
	{"purchaseToken", http.MethodPost, "/payments/v1/authorizations/%s/customer-token", false, true},
}

// prober sends the probe's requests.
type prober struct {
	client          *http.Client
	kpBase, hppBase string
	user, password  string
	timeout         time.Duration
}

// answer is what one probe request got.
type answer struct {
	status      int
	contentType string
	body        []byte
}

func (p prober) base(hpp bool) string {
	if hpp {
		return p.hppBase
	}
	return p.kpBase
}

func (p prober) do(run context.Context, method, rawURL string, body any) (answer, error) {
	ctx, cancel := context.WithTimeout(run, p.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return answer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth(p.user, p.password)
	resp, err := p.client.Do(req)
	if err != nil {
		// The run's own end is not the target's silence.
		switch run.Err() {
		case context.DeadlineExceeded:
			return answer{}, errors.New("the run's --deadline ran out while the target was being probed, before any spec")
		case context.Canceled:
			return answer{}, errors.New("the run was interrupted while the target was being probed, before any spec")
		}
		return answer{}, unreachable(rawURL, p.timeout, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return answer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: b}, nil
}

// unreachable says in one line why a target could not be asked.
func unreachable(rawURL string, timeout time.Duration, err error) error {
	host := rawURL
	if u, perr := url.Parse(rawURL); perr == nil {
		host = u.Host
	}
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return fmt.Errorf("cannot reach the target: %s does not resolve (%s)", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("cannot reach the target: %s refused the connection (is it running?)", host)
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("cannot reach the target: %s did not answer within %s", host, timeout)
	}
	if kind, ok := transport.Failure(err); ok {
		// reached, but what came was no answer: say what it was
		at := host
		if u, perr := url.Parse(rawURL); perr == nil {
			at = u.Scheme + "://" + u.Host
		}
		return errors.New(strings.Replace(kind, "the target", "the target at "+at, 1))
	}
	return fmt.Errorf("cannot reach the target %s: %s", host, transport.WithoutAddresses(err.Error()))
}

// klarnaError reports whether an answer carries Klarna's error shape: a
// JSON object with error_code, error_messages or correlation_id.
func (a answer) klarnaError() bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(a.body, &m) != nil {
		return false
	}
	for _, k := range []string{"error_code", "error_messages", "correlation_id"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// isJSON reports whether the body is JSON at all.
func (a answer) isJSON() bool {
	return json.Valid(bytes.TrimSpace(a.body)) && len(bytes.TrimSpace(a.body)) > 0
}

// notServed reports whether an answer looks like the server around the API
// saying it has no such route: 404, 405 or 501 without Klarna's error
// shape.
func (a answer) notServed() bool {
	switch a.status {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return !a.klarnaError()
	}
	return false
}

func (a answer) gist() string {
	body := strings.Join(strings.Fields(string(a.body)), " ")
	if len(body) > 60 {
		body = body[:60] + "…"
	}
	if body == "" {
		body = "an empty body"
	}
	return fmt.Sprintf("%d with %s", a.status, body)
}

// Probe checks the target before the suites run. It returns an error (one
// line) when the target cannot be tested at all, and the routes it does
// not serve otherwise.
func Probe(ctx context.Context, p prober, ref string) ([]runreport.Unserved, error) {
	unknown := "kconform-probe-unknown-" + ref
	// Reachability, and the KP create that every flow needs.
	kpReq := framework.KPSessionRequest(ref)
	created, err := p.do(ctx, http.MethodPost, p.kpBase+"/payments/v1/sessions", kpReq)
	if err != nil {
		return nil, err
	}
	hppRead, err := p.do(ctx, http.MethodGet, p.hppBase+fmt.Sprintf("/hpp/v1/sessions/%s", unknown), nil)
	if err != nil {
		return nil, err
	}
	kpRead, err := p.do(ctx, http.MethodGet, p.kpBase+fmt.Sprintf("/payments/v1/sessions/%s", unknown), nil)
	if err != nil {
		return nil, err
	}
	// Credentials: a valid KP create (and a read) refused with 401 is the
	// run's username or password, not a defect of the target.
	for _, asked := range []struct {
		op string
		a  answer
	}{{"createCreditSession", created}, {"getSessionById", hppRead}} {
		if asked.a.status == http.StatusUnauthorized {
			return nil, fmt.Errorf("the target refused the credentials (401) for %s: check KCONFORM_USERNAME / KCONFORM_PASSWORD", asked.op)
		}
	}
	if created.notServed() && hppRead.notServed() && kpRead.notServed() {
		base := p.kpBase
		if p.hppBase != p.kpBase {
			base += " and " + p.hppBase
		}
		return nil, fmt.Errorf("no Klarna API at %s: is a path prefix missing? (POST /payments/v1/sessions answered %s)", base, created.gist())
	}

	// Routes: first with an unknown id; a route that looks unserved is
	// asked again with an id the target just created, when it can create
	// one, and is unserved only if it still answers so.
	var kpID, hppID string
	if created.status == http.StatusOK {
		var s struct {
			SessionID string `json:"session_id"`
		}
		if json.Unmarshal(created.body, &s) == nil {
			kpID = s.SessionID
		}
	}
	var out []runreport.Unserved
	for _, r := range probeRoutes {
		first := hppRead
		switch r.op {
		case "readCreditSession":
			first = kpRead
		case "getSessionById":
		default:
			if first, err = p.do(ctx, r.method, p.base(r.hpp)+fmt.Sprintf(r.path, unknown), probeBody(r)); err != nil {
				return nil, err
			}
		}
		if !first.notServed() {
			continue
		}
		id := kpID
		if r.hpp {
			if hppID == "" && kpID != "" {
				hppID = p.createHPP(ctx, kpID)
			}
			id = hppID
		}
		why := fmt.Sprintf("answered %s to an unknown id", first.gist())
		switch {
		case r.token:
			// No token to ask with: only a body that is not JSON at all
			// tells a missing route.
			if first.isJSON() {
				continue
			}
		case id != "":
			again, err := p.do(ctx, r.method, p.base(r.hpp)+fmt.Sprintf(r.path, id), probeBody(r))
			if err != nil {
				return nil, err
			}
			if !again.notServed() {
				continue
			}
			why += fmt.Sprintf(", and %s to the id of a session it had just created", again.gist())
		}
		out = append(out, runreport.Unserved{Operation: r.op, Method: r.method, Path: strings.Replace(r.path, "%s", "{id}", 1), Why: why})
	}
	return out, nil
}

// createHPP creates an HPP session for KP session kpID, "" when it cannot.
func (p prober) createHPP(ctx context.Context, kpID string) string {
	a, err := p.do(ctx, http.MethodPost, p.hppBase+"/hpp/v1/sessions", map[string]string{"payment_session_url": p.kpBase + "/payments/v1/sessions/" + kpID})
	if err != nil || a.status != http.StatusCreated {
		return ""
	}
	var s struct {
		SessionID string `json:"session_id"`
	}
	_ = json.Unmarshal(a.body, &s)
	return s.SessionID
}

// probeBody is a small body for the routes that take one; the probe reads
// only whether the route is there.
func probeBody(r probeRoute) any {
	if r.method != http.MethodPost {
		return nil
	}
	return map[string]any{}
}
