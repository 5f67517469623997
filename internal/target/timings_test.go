package target

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAdoptTimings(t *testing.T) {
	announced := ParseCapabilities(http.StatusOK, "application/json",
		[]byte(`{"implementation":"some-mock","callback_timeout_ms":1500,"callback_retry_delay_ms":40}`))
	for _, tc := range []struct {
		name         string
		args         []string
		caps         Capabilities
		timeout      time.Duration
		retry        time.Duration
		headerQuotes []string
	}{
		{"announced timings are adopted", []string{"--target", "http://127.0.0.1:1"}, announced,
			1500 * time.Millisecond, 40 * time.Millisecond, []string{"timeout 1.5s (announced by some-mock)", "retry delay 40ms (announced by some-mock)"}},
		{"a flag wins over the announcement", []string{"--target", "http://127.0.0.1:1", "--callback-timeout", "300ms"}, announced,
			300 * time.Millisecond, 40 * time.Millisecond, []string{"timeout 300ms (--callback-timeout)", "retry delay 40ms (announced by some-mock)"}},
		{"nothing announced keeps the defaults", []string{"--target", "http://127.0.0.1:1"}, None("404"),
			3 * time.Second, 2 * time.Second, []string{"timeout 3s (default)", "retry delay 2s (default)"}},
		{"an absurd announcement is ignored and said so", []string{"--target", "http://127.0.0.1:1"},
			Capabilities{Implementation: "odd", CallbackTimeoutMS: 3_600_000, CallbackRetryDelayMS: -5},
			3 * time.Second, 2 * time.Second, []string{"timeout 3s (default; odd announced 3600000ms, outside 1ms..1m0s)", "retry delay 2s (default; odd announced -5ms"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Load(tc.args, func(k string) string {
				return map[string]string{EnvUsername: "u", EnvPassword: "p"}[k]
			})
			if err != nil {
				t.Fatal(err)
			}
			got, header := cfg.AdoptTimings(tc.caps)
			if got.CallbackTimeout != tc.timeout || got.CallbackRetryDelay != tc.retry {
				t.Errorf("callback timeout %s retry delay %s, want %s and %s", got.CallbackTimeout, got.CallbackRetryDelay, tc.timeout, tc.retry)
			}
			if got.Request != cfg.Timeouts.Request || got.Async != cfg.Timeouts.Async {
				t.Errorf("only the callback timings may change: %+v from %+v", got, cfg.Timeouts)
			}
			for _, q := range tc.headerQuotes {
				if !strings.Contains(header, q) {
					t.Errorf("header %q lacks %q", header, q)
				}
			}
		})
	}
}
