package target

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// CapabilitiesPath is where a target says what test controls it offers
// (internal/mock/CONTROL.md). Klarna has no such endpoint.
const CapabilitiesPath = "/_kconform/capabilities"

// Capabilities are the test controls a target offers beyond the API.
type Capabilities struct {
	// Implementation names the target, e.g. "kconform-mock".
	Implementation string `json:"implementation"`
	// Consumer: the consumer page can be driven by plain HTTP
	// (GET <redirect_url>, POST <redirect_url>/<action>).
	Consumer bool `json:"consumer"`
	// Clock: simulated time can be read and moved (/_kconform/clock).
	Clock bool `json:"clock"`
	// Faults: faults can be switched at run time (/_kconform/faults).
	Faults bool `json:"faults"`
	// ActiveFaults are the faults switched on now.
	ActiveFaults []string `json:"active_faults"`
	// CallbackTimeoutMS and CallbackRetryDelayMS are the target's own
	// callback timings in milliseconds (0: not announced). A run adopts
	// them unless its flags say otherwise (AdoptTimings).
	CallbackTimeoutMS    int64 `json:"callback_timeout_ms,omitempty"`
	CallbackRetryDelayMS int64 `json:"callback_retry_delay_ms,omitempty"`
	// Reason says why the capabilities are what they are, for skip messages.
	Reason string `json:"-"`
}

// None is what a target without the capabilities endpoint has.
func None(reason string) Capabilities { return Capabilities{Reason: reason} }

// Summary is a one-line description for the run header.
func (c Capabilities) Summary() string {
	var have []string
	if c.Consumer {
		have = append(have, "consumer")
	}
	if c.Clock {
		have = append(have, "clock")
	}
	if c.Faults {
		have = append(have, "faults")
	}
	if len(have) == 0 {
		return "none (" + c.Reason + ")"
	}
	s := strings.Join(have, ", ")
	if c.Implementation != "" {
		s += " (" + c.Implementation + ")"
	}
	if len(c.ActiveFaults) > 0 {
		s += "; active faults: " + strings.Join(c.ActiveFaults, ", ")
	}
	return s
}

// ParseCapabilities reads a capabilities answer. Anything but a 200 with a
// JSON object naming an implementation means no capabilities: a real Klarna
// host answers 404 (or 401) there, and must never be driven as if it were
// the mock.
func ParseCapabilities(status int, contentType string, body []byte) Capabilities {
	if status != http.StatusOK {
		return None("GET " + CapabilitiesPath + " answered " + http.StatusText(status))
	}
	if !strings.Contains(strings.ToLower(contentType), "json") {
		return None("GET " + CapabilitiesPath + " did not answer JSON")
	}
	var c Capabilities
	if err := json.Unmarshal(body, &c); err != nil || c.Implementation == "" {
		return None("GET " + CapabilitiesPath + " did not answer a capabilities object")
	}
	c.Reason = "announced by " + c.Implementation
	return c
}

// ProbeCapabilities asks base (the API base URL) for its capabilities with
// client, within ctx. Network errors mean no capabilities, with the reason.
func ProbeCapabilities(ctx context.Context, client *http.Client, base string) Capabilities {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+CapabilitiesPath, nil)
	if err != nil {
		return None("cannot build the capabilities request: " + err.Error())
	}
	resp, err := client.Do(req)
	if err != nil {
		return None("GET " + CapabilitiesPath + " failed: " + err.Error())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return None("GET " + CapabilitiesPath + " failed while reading: " + err.Error())
	}
	return ParseCapabilities(resp.StatusCode, resp.Header.Get("Content-Type"), body)
}
