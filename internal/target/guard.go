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
// is sent, not even a DNS query. The host is read as net/http dials it
// (ProductionOperator), so a Unicode look-alike of a production host is that
// host; one net/http cannot convert is refused even with --allow-production.
func ProductionGuard(rt http.RoundTripper, allowProduction bool) http.RoundTripper {
	return guard{rt, allowProduction}
}

type guard struct {
	next            http.RoundTripper
	allowProduction bool
}

func (g guard) RoundTrip(req *http.Request) (*http.Response, error) {
	op, prod, err := ProductionOperator(req.URL.Host)
	if err != nil || (prod && !g.allowProduction) {
		if req.Body != nil {
			_ = req.Body.Close() // a RoundTripper closes the body, even on error
		}
		if err != nil { // net/http would dial the raw name: refused even with --allow-production
			return nil, fmt.Errorf("refused: %v", err)
		}
		h, _ := dialedHost(req.URL.Host)
		return nil, fmt.Errorf("refused: %s is a %s production host; kconform sends nothing there without --allow-production", h, op)
	}
	return g.next.RoundTrip(req)
}
