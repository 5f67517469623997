package coverage

import (
	"encoding/json"
	"net/url"
	"strings"
	"sync"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/transport"
)

// The operations whose exchanges say something about an HPP session's
// status or its merchant URLs.
const (
	createOperation  = "createHppSession"
	createdStatus    = 201
	readOperation    = "getSessionById"
	readStatus       = 200
	disableOperation = "disableHppSession"
	// disabledStatus is what a 204 of disableHppSession ("Session was
	// disabled") moves the session to.
	disabledCode   = 204
	disabledStatus = "DISABLED"
	statusCallback = "hppStatusUpdateCallback"
)

// Collector sees every record of a run and keeps what coverage needs of
// them (counts, statuses, URLs), not the records. Observe may be called from
// several goroutines at once.
type Collector struct {
	mu        sync.Mutex
	responses map[responseKey]*tally
	unrouted  tally
	callbacks map[string]*tally
	sessions  map[string]*session
	// sentTokens counts, per {{...}} token, the created sessions whose
	// merchant_urls carried it.
	sentTokens map[string]int
	templates  map[string]bool
	// arrivals are the URLs HPP could have filled in: redirect Locations
	// and callback URLs.
	arrivals []string
}

type responseKey struct {
	operation string
	status    int
}

type tally struct{ seen, conforming int }

func (t *tally) add(ok bool) {
	t.seen++
	if ok {
		t.conforming++
	}
}

// session is what one HPP session was seen to go through, as two streams
// that are never merged: API observations (reads, disables) and status
// callbacks. See transitions.go for why.
type session struct {
	api, callbacks []string
	eventIDs       map[string]bool
}

// NewCollector returns an empty collector.
func NewCollector() *Collector {
	return &Collector{
		responses:  map[responseKey]*tally{},
		callbacks:  map[string]*tally{},
		sessions:   map[string]*session{},
		sentTokens: map[string]int{},
		templates:  map[string]bool{},
	}
}

// Observe takes one record of the run. Anything it cannot read (a transport
// error, a garbage body, an unknown route) is counted where it can be and
// otherwise ignored; it never panics.
func (c *Collector) Observe(r transport.Record) {
	if r.Err != nil {
		return
	}
	ex := r.Exchange
	switch r.Kind {
	case transport.API:
		c.observeAPI(r)
	case transport.Callback:
		c.observeCallback(r)
	case transport.Page:
		if ex.Status >= 300 && ex.Status < 400 && ex.ResponseHeader != nil {
			if loc := ex.ResponseHeader.Get("Location"); loc != "" {
				c.mu.Lock()
				c.arrivals = append(c.arrivals, loc)
				c.mu.Unlock()
			}
		}
	}
}

func (c *Collector) observeAPI(r transport.Record) {
	ex := r.Exchange
	if r.Result == nil || ex.Status == 0 {
		return
	}
	ok := !hasResponseViolation(r.Result)
	op := r.Result.Operation
	// Parse before taking the lock: bodies are the expensive part.
	var status, sessionID string
	var tokens []string
	var templates []string
	switch {
	case op == readOperation && ex.Status == readStatus:
		var body struct {
			SessionID string `json:"session_id"`
			Status    string `json:"status"`
		}
		if json.Unmarshal(ex.ResponseBody, &body) == nil {
			status, sessionID = body.Status, body.SessionID
		}
		if sessionID == "" {
			sessionID = lastPathSegment(ex.URL)
		}
	case op == disableOperation && ex.Status == disabledCode:
		status, sessionID = disabledStatus, lastPathSegment(ex.URL)
	case op == createOperation && ex.Status == createdStatus:
		templates, tokens = merchantTemplates(ex.RequestBody)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if op == "" {
		c.unrouted.add(ok)
		return
	}
	k := responseKey{op, ex.Status}
	t := c.responses[k]
	if t == nil {
		t = &tally{}
		c.responses[k] = t
	}
	t.add(ok)
	if status != "" && sessionID != "" {
		s := c.session(sessionID)
		s.api = append(s.api, status)
	}
	for _, tok := range tokens {
		c.sentTokens[tok]++
	}
	for _, tpl := range templates {
		c.templates[tpl] = true
	}
}

func (c *Collector) observeCallback(r transport.Record) {
	if r.Result == nil || r.Result.Operation == "" {
		return
	}
	ok := len(r.Result.Violations()) == 0
	var ev struct {
		EventID string `json:"event_id"`
		Session struct {
			SessionID string `json:"session_id"`
			Status    string `json:"status"`
		} `json:"session"`
	}
	isStatus := r.Result.Operation == statusCallback && json.Unmarshal(r.Exchange.RequestBody, &ev) == nil

	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.callbacks[r.Result.Operation]
	if t == nil {
		t = &tally{}
		c.callbacks[r.Result.Operation] = t
	}
	t.add(ok)
	if r.Exchange.URL != "" {
		c.arrivals = append(c.arrivals, r.Exchange.URL)
	}
	if !isStatus || ev.Session.SessionID == "" || ev.Session.Status == "" {
		return
	}
	s := c.session(ev.Session.SessionID)
	if ev.EventID != "" {
		// A retried delivery is the same event, not another status.
		if s.eventIDs[ev.EventID] {
			return
		}
		if s.eventIDs == nil {
			s.eventIDs = map[string]bool{}
		}
		s.eventIDs[ev.EventID] = true
	}
	s.callbacks = append(s.callbacks, ev.Session.Status)
}

// session returns the session with id, creating it; c.mu must be held.
func (c *Collector) session(id string) *session {
	s := c.sessions[id]
	if s == nil {
		s = &session{}
		c.sessions[id] = s
	}
	return s
}

// hasResponseViolation ignores request-side issues: a deliberately invalid
// request says nothing about whether the target's answer conforms.
func hasResponseViolation(res *contract.Result) bool {
	for _, i := range res.Violations() {
		if i.Side == contract.Response {
			return true
		}
	}
	return false
}

// merchantTemplates returns the merchant URLs of a create request that hold
// a {{...}} token, and the distinct tokens among them.
func merchantTemplates(body []byte) (templates, tokens []string) {
	var req struct {
		MerchantURLs map[string]any `json:"merchant_urls"`
	}
	if json.Unmarshal(body, &req) != nil {
		return nil, nil
	}
	seen := map[string]bool{}
	for _, v := range req.MerchantURLs {
		s, ok := v.(string)
		if !ok || !strings.Contains(s, "{{") {
			continue
		}
		templates = append(templates, s)
		for _, tok := range placeholderTokens(s) {
			if !seen[tok] {
				seen[tok] = true
				tokens = append(tokens, tok)
			}
		}
	}
	return templates, tokens
}

// placeholderTokens are the {{name}} tokens of s, in order, repeats kept.
func placeholderTokens(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return out
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			return out
		}
		name := s[i : i+2+j+2]
		if !strings.ContainsAny(name[2:len(name)-2], "{}") {
			out = append(out, name)
			s = s[i+len(name):]
			continue
		}
		s = s[i+2:]
	}
}

func lastPathSegment(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.Path, "/")
	return p[strings.LastIndexByte(p, '/')+1:]
}
