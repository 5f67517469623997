package target

import (
	"fmt"
	"net/http"
)

// ProductionGuard wraps rt so that no request of the run reaches a Klarna or
// Kustom production host unless allowProduction is set. --target is checked
// when it is parsed; this covers every other URL the run is handed by the
// target under test (a qr_code_url, a redirect_url, a Location, an example
// value of a mock such as Prism's https://pay.klarna.com/...), so that a
// run never sends anything to production it was not told to.
//
// A refused request fails with an error naming the host and the flag; nothing
// is sent, not even a DNS query.
func ProductionGuard(rt http.RoundTripper, allowProduction bool) http.RoundTripper {
	if allowProduction {
		return rt
	}
	return guard{rt}
}

type guard struct{ next http.RoundTripper }

func (g guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if op, prod := ProductionOperator(req.URL.Host); prod {
		if req.Body != nil {
			_ = req.Body.Close() // a RoundTripper closes the body, even on error
		}
		return nil, fmt.Errorf("refused: %s is a %s production host; kconform sends nothing there without --allow-production", normalHost(req.URL.Host), op)
	}
	return g.next.RoundTrip(req)
}
