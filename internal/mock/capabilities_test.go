package mock

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"
)

// TestCapabilitiesAnnounceCallbackTimings: the capabilities document
// carries the callback timings the mock was started with, in whole
// milliseconds rounded up, so a run adopts them without flags.
func TestCapabilitiesAnnounceCallbackTimings(t *testing.T) {
	type timings struct {
		Timeout int64 `json:"callback_timeout_ms"`
		Retry   int64 `json:"callback_retry_delay_ms"`
	}
	for _, tc := range []struct {
		name string
		opts Options
		want timings
	}{
		// The harness starts mocks with short timings of its own.
		{"harness", Options{}, timings{500, 20}},
		{"as started", Options{CallbackTimeout: 1500 * time.Millisecond, CallbackRetryDelay: 250 * time.Microsecond}, timings{1500, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts)
			var got timings
			h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200).json(t, &got)
			if got != tc.want {
				t.Errorf("capabilities announce callback_timeout_ms=%d callback_retry_delay_ms=%d, want %d and %d",
					got.Timeout, got.Retry, tc.want.Timeout, tc.want.Retry)
			}
		})
	}
	t.Run("defaults (D-cb)", func(t *testing.T) {
		srv := newMock(t, Options{})
		defer srv.Close()
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/_kconform/capabilities", nil))
		var got timings
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got != (timings{3000, 2000}) {
			t.Errorf("capabilities of a mock with default timings: %v %s, want callback_timeout_ms=3000 callback_retry_delay_ms=2000", err, rec.Body)
		}
	})
}
