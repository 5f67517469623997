package target

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// roundTripFunc lets a test see whether the guard passed a request on.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestProductionGuard: a URL the target hands over on a production host is
// never requested; a playground or loopback one is, and --allow-production
// lets production through.
func TestProductionGuard(t *testing.T) {
	sent := 0
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})
	for _, tc := range []struct {
		url   string
		allow bool
		pass  bool
	}{
		{"https://pay.klarna.com/eu/hpp/payments/x/qr", false, false},
		{"https://API-XX.kustom.co./hpp/v1/sessions", false, false},
		{"https://user@api.klarna.com:443/payments/v1/sessions", false, false},
		{"https://pay.klarna.com/eu/hpp/payments/x/qr", true, true},
		{"https://api.playground.klarna.com/hpp/v1/sessions", false, true},
		{"https://api.playground.kustom.co/hpp/v1/sessions", false, true},
		{"http://127.0.0.1:4010/hpp/v1/sessions", false, true},
	} {
		sent = 0
		req := httptest.NewRequest(http.MethodGet, tc.url, nil)
		resp, err := ProductionGuard(next, tc.allow).RoundTrip(req)
		if tc.pass {
			if err != nil || sent != 1 {
				t.Errorf("%s (allow %v): want it sent, got err %v, sent %d", tc.url, tc.allow, err, sent)
			}
			continue
		}
		if resp != nil || sent != 0 || err == nil || !strings.Contains(err.Error(), "production host") || !strings.Contains(err.Error(), "--allow-production") {
			t.Errorf("%s: want refused naming the host and --allow-production, got resp %v, sent %d, err %v", tc.url, resp, sent, err)
		}
	}
}
