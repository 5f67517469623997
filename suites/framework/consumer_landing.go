package framework

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// maxRedirects is how many redirects the consumer's browser follows before
// it gives up, as browsers do (Chromium stops at 20).
const maxRedirects = 20

// Landing is where the consumer's browser ended after an action and every
// redirect the target sent.
type Landing struct {
	// URL is where the browser ended: the arrival's URL when it came back
	// to one of the spec's merchant URLs, else the last URL it went to.
	URL string
	// Returned is the arrival at one of the spec's merchant URLs (the
	// return receiver); nil when the consumer stayed on a page of the
	// target (the generic confirmation page) or went elsewhere.
	Returned *Arrival
	// Page is what the last page answered; Status is 0 when the driver did
	// not open it (a host that is neither the target's nor the return
	// receiver's: kconform sends nothing to hosts it was not given).
	Page PageResponse
	// Waited is how long a driver that cannot see the browser (a person
	// at the terminal) waited for it to come back; 0 for the others.
	Waited time.Duration
}

// BackAtMerchant expects the consumer to have arrived back at one of the
// spec's merchant URLs and returns the URL as the browser requested it.
func BackAtMerchant(l Landing, what string) string {
	GinkgoHelper()
	if msg := notBack(l, what); msg != "" {
		Fail(msg)
	}
	return l.Returned.URL
}

// notBack says why l is not back at a merchant URL, "" when it is.
func notBack(l Landing, what string) string {
	switch {
	case l.Returned != nil:
		return ""
	case l.Waited > 0: // a person's browser: kconform sees only whether it came back
		return fmt.Sprintf("%s: the consumer's browser did not come back to the merchant URL within %s", what, l.Waited)
	}
	return fmt.Sprintf("%s: the consumer MUST arrive back at the merchant URL; the browser ended at %s", what, l.URL)
}

// LandedPage is what the page the consumer landed on answered. A person
// cannot report it: with --consumer manual the spec is not checkable.
func (f *Framework) LandedPage(l Landing) PageResponse {
	GinkgoHelper()
	if f.Env.Manual != nil {
		Skip(fmt.Sprintf(skipManualAnswer, "the page the consumer landed on"))
	}
	return l.Page
}

// follow is the consumer's browser following location (relative to the
// page of h) and every redirect after it.
func (f *Framework) follow(ctx context.Context, h HPPSession, location string) Landing {
	GinkgoHelper()
	cur, err := url.Parse(h.RedirectURL())
	Expect(err).NotTo(HaveOccurred(), "redirect_url of HPP session %s", h.ID)
	before := len(f.Arrivals())
	for range maxRedirects {
		next, err := cur.Parse(browserEscape(location))
		Expect(err).NotTo(HaveOccurred(), "the target redirected the consumer to %q, which is not a URL", location)
		if !f.mayOpen(next, cur) {
			return Landing{URL: next.String()}
		}
		p := f.page(ctx, http.MethodGet, next.String())
		if p.Status/100 == 3 && p.Location != "" {
			cur, location = next, p.Location
			continue
		}
		l := Landing{URL: next.String(), Page: p}
		if arr := f.Arrivals(); len(arr) > before {
			a := arr[len(arr)-1]
			l.Returned, l.URL = &a, a.URL
		}
		return l
	}
	Fail(fmt.Sprintf("the target redirected the consumer more than %d times (last: %s)", maxRedirects, location))
	return Landing{}
}

// mayOpen reports whether the driver may open u: a page of the target (the
// host of the page it came from, or of the API) or of the return receiver.
func (f *Framework) mayOpen(u, from *url.URL) bool {
	hosts := []string{from.Host}
	for _, base := range []string{f.Env.BaseURL, f.Env.HPPBaseURL} {
		if b, err := url.Parse(base); err == nil && base != "" {
			hosts = append(hosts, b.Host)
		}
	}
	if f.Env.Returns != nil {
		if b, err := url.Parse(f.Env.Returns.URL()); err == nil {
			hosts = append(hosts, b.Host)
		}
	}
	for _, h := range hosts {
		if strings.EqualFold(u.Host, h) {
			return true
		}
	}
	return false
}

// browserEscape percent-encodes what a browser encodes before it requests
// a URL (WHATWG URL: C0 controls, space, non-ASCII, quote and angle
// brackets everywhere; also backtick and braces in the path), leaving
// every other byte, and every existing escape, as it is.
func browserEscape(ref string) string {
	var b strings.Builder
	inQuery := false
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		if c == '?' {
			inQuery = true
		}
		if c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || (!inQuery && (c == '`' || c == '{' || c == '}')) {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
