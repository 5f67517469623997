package mock

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// The control plane (/_kconform/, no credentials) is how the suites learn
// what this target can do and drive what only a test double can: the clock,
// the faults and a reset. Its errors are {"error": "..."}: it is kconform's
// own interface, not Klarna's.

type capabilities struct {
	Implementation string   `json:"implementation"`
	Consumer       bool     `json:"consumer"`
	Clock          bool     `json:"clock"`
	Faults         bool     `json:"faults"`
	ActiveFaults   []string `json:"active_faults"`
	// The callback timings, so a run adopts them without flags.
	CallbackTimeoutMS    int64 `json:"callback_timeout_ms"`
	CallbackRetryDelayMS int64 `json:"callback_retry_delay_ms"`
}

type clockState struct {
	Now string `json:"now"`
}

type advanceRequest struct {
	By string `json:"by"`
}

type faultsState struct {
	Active    []string `json:"active"`
	Available []Fault  `json:"available"`
}

type faultsRequest struct {
	Active []string `json:"active"`
}

type controlError struct {
	Error string `json:"error"`
}

const maxControlBody = 64 << 10

// controlPrefix starts every control-plane path.
const controlPrefix = "/_kconform/"

func (s *Server) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_kconform/capabilities", func(w http.ResponseWriter, _ *http.Request) {
		_ = writeJSON(w, http.StatusOK, capabilities{
			Implementation: "kconform-mock",
			Consumer:       true,
			Clock:          s.opts.ClockControl,
			Faults:         s.opts.FaultControl,
			ActiveFaults:   s.faults.load().names(),
			// Rounded up: a sub-millisecond timing still announces one.
			CallbackTimeoutMS:    ceilMS(s.opts.CallbackTimeout),
			CallbackRetryDelayMS: ceilMS(s.opts.CallbackRetryDelay),
		})
	})
	mux.HandleFunc("GET /_kconform/clock", func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.ClockControl {
			controlNotFound(w, r)
			return
		}
		_ = writeJSON(w, http.StatusOK, clockState{Now: s.clock.Now().UTC().Format(time.RFC3339Nano)})
	})
	mux.HandleFunc("POST /_kconform/clock/advance", s.advanceClock)
	mux.HandleFunc("GET /_kconform/faults", func(w http.ResponseWriter, _ *http.Request) {
		_ = writeJSON(w, http.StatusOK, faultsState{Active: s.faults.load().names(), Available: FaultNames()})
	})
	mux.HandleFunc("PUT /_kconform/faults", s.setFaults)
	mux.HandleFunc("POST /_kconform/reset", func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.ClockControl && !s.opts.FaultControl {
			controlNotFound(w, r)
			return
		}
		s.store.reset()
		s.callbacks.reset()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/", controlNotFound)
	return mux
}

func (s *Server) advanceClock(w http.ResponseWriter, r *http.Request) {
	clock, ok := s.clock.(*adjustableClock)
	if !ok {
		controlNotFound(w, r)
		return
	}
	var req advanceRequest
	if !decodeControl(w, r, &req) {
		return
	}
	by, err := time.ParseDuration(req.By)
	if err != nil {
		controlFail(w, http.StatusBadRequest, `"by" must be a Go duration such as "61m" or "48h"`)
		return
	}
	now, err := clock.Advance(by)
	if err != nil {
		controlFail(w, http.StatusBadRequest, err.Error())
		return
	}
	_ = writeJSON(w, http.StatusOK, clockState{Now: now.UTC().Format(time.RFC3339Nano)})
}

func (s *Server) setFaults(w http.ResponseWriter, r *http.Request) {
	if !s.opts.FaultControl {
		controlNotFound(w, r)
		return
	}
	var req faultsRequest
	if !decodeControl(w, r, &req) {
		return
	}
	set, err := parseFaults(req.Active)
	if err != nil {
		controlFail(w, http.StatusBadRequest, err.Error())
		return
	}
	s.faults.store(set)
	w.WriteHeader(http.StatusNoContent)
}

func decodeControl(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err == nil {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		controlFail(w, http.StatusBadRequest, "the body must be a JSON object (see CONTROL.md)")
		return false
	}
	return true
}

func controlNotFound(w http.ResponseWriter, _ *http.Request) {
	controlFail(w, http.StatusNotFound, "not available on this mock (see GET /_kconform/capabilities)")
}

func controlFail(w http.ResponseWriter, status int, msg string) {
	_ = writeJSON(w, status, controlError{Error: msg})
}

// ceilMS is d in whole milliseconds, rounded up.
func ceilMS(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}
