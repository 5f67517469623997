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
