package mock

import (
	"math"
	"net/http"

	"golang.org/x/time/rate"
)

// rateLimit answers 429 once more than Options.RateLimit API requests a
// second arrive (a token bucket with a burst of one second's worth), as
// Klarna's edge does: REC-saleor (playground, 2023-09) shows 429 with an
// empty body, no content type, no correlation id and
// `x-envoy-ratelimited: true`. Off (every request passes) when RateLimit is
// 0. The limit is on wall time, not the simulated clock: it protects the
// process, like the real one.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.opts.RateLimit <= 0 {
		return next
	}
	limiter := rate.NewLimiter(rate.Limit(s.opts.RateLimit), int(math.Max(1, math.Ceil(s.opts.RateLimit))))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !limiter.Allow() {
			h := w.Header()
			h.Del(correlationHeader)
			h.Set("X-Envoy-Ratelimited", "true")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
