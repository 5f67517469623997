package runner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A base URL that leads to a web server but no API stops the run in one
// line, whatever the server answers a POST it has no route for: 404
// (a router), 405 (nginx serving files) or 501 (python -m http.server).
// With 501 or 405 the run once went on and failed every spec.
func TestProbeStopsAtAServerWithoutTheAPI(t *testing.T) {
	for _, postStatus := range []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			if r.Method == http.MethodPost {
				w.WriteHeader(postStatus)
			} else {
				w.WriteHeader(http.StatusNotFound)
			}
			w.Write([]byte("<html><body>Error</body></html>"))
		}))
		p := prober{client: srv.Client(), kpBase: srv.URL, hppBase: srv.URL, user: "u", password: "p", timeout: 5 * time.Second}
		_, err := Probe(context.Background(), p, "t")
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), "no Klarna API at "+srv.URL+": is a path prefix missing?") {
			t.Errorf("POST answered %d: probe error %v; want the run stopped with \"no Klarna API\"", postStatus, err)
		}
	}
}

// A probe cut by the run's own end says so: the run's --deadline (a shard
// of a parallel run started with little time left) or an interrupt, not
// "the target did not answer", which blamed a target that was answering.
func TestProbeCutByTheRunNamesTheRun(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	p := prober{client: srv.Client(), kpBase: srv.URL, hppBase: srv.URL, user: "u", password: "p", timeout: time.Minute}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := Probe(ctx, p, "t"); err == nil || !strings.Contains(err.Error(), "--deadline ran out while the target was being probed") {
		t.Errorf("deadline: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := Probe(ctx, p, "t"); err == nil || !strings.Contains(err.Error(), "interrupted while the target was being probed") {
		t.Errorf("interrupt: %v", err)
	}
	// The target's own silence is still the target's.
	p.timeout = 50 * time.Millisecond
	if _, err := Probe(context.Background(), p, "t"); err == nil || !strings.Contains(err.Error(), "did not answer within 50ms") {
		t.Errorf("target silent: %v", err)
	}
}
