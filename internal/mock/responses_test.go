package mock

import (
	"testing"
)

// Options.JSONUnauthorized keeps the ErrorV2 form of the 401 for clients
// that want to parse it; the challenge stays.
func TestUnauthorizedJSONOption(t *testing.T) {
	h := newHarness(t, Options{JSONUnauthorized: true})
	r := h.expect(h.send("GET", "/payments/v1/sessions/x", "", nil), 401)
	if e := r.errorV2(t); e.ErrorCode != codeUnauthorized || r.header.Get("Klarna-Correlation-Id") != e.CorrelationId {
		t.Errorf("401 JSON: %+v, header %q", e, r.header.Get("Klarna-Correlation-Id"))
	}
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate challenge")
	}
}

// The default 401 is the recorded page and carries no correlation id, as
// the recording does not.
func TestUnauthorizedAsRecorded(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.expect(h.send("POST", "/payments/v1/sessions", kpBody, nil), 401)
	if r.header.Get("Klarna-Correlation-Id") != "" || r.header.Get("Content-Type") != "text/html" || len(r.body) != 176 {
		t.Errorf("401: %v %d bytes", r.header, len(r.body))
	}
}

// With a rate limit, requests beyond it answer 429 with an empty body and
// x-envoy-ratelimited, as recorded; the consumer page and the control plane
// are not limited.
func TestRateLimit(t *testing.T) {
	h := newHarness(t, Options{RateLimit: 2})
	statuses := map[int]int{}
	var limited response
	for range 6 {
		r := h.do("GET", "/payments/v1/sessions/x", "")
		statuses[r.status]++
		if r.status == 429 {
			limited = r
		}
	}
	// A burst of 2, then at most one more token while 6 requests go out.
	if statuses[429] < 3 || statuses[404]+statuses[429] != 6 {
		t.Fatalf("statuses %v", statuses)
	}
	if len(limited.body) != 0 || limited.header.Get("Content-Type") != "" || limited.header.Get("X-Envoy-Ratelimited") != "true" || limited.header.Get("Klarna-Correlation-Id") != "" {
		t.Errorf("429: %v %q", limited.header, limited.body)
	}
	h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200)

	if _, err := New(Options{RateLimit: -1}); err == nil {
		t.Error("a negative rate limit was accepted")
	}
}
