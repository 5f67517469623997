package framework

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Consumer actions on the hosted page (internal/mock/CONTROL.md: POST
// <redirect_url>/<action>).
const (
	Pay     = "pay"     // → COMPLETED, redirect to success
	Decline = "decline" // → FAILED, redirect to failure
	Back    = "back"    // → BACK, redirect to back
	Cancel  = "cancel"  // → CANCELLED, redirect to cancel
	Error   = "error"   // → ERROR, redirect to error, else failure
)

// PageResponse is what the consumer page answered.
type PageResponse struct {
	Status   int
	Location string
	Body     string
}

// OpenPage is the consumer opening the hosted page: GET redirect_url.
func (f *Framework) OpenPage(ctx context.Context, h HPPSession) PageResponse {
	GinkgoHelper()
	Expect(h.RedirectURL()).NotTo(BeEmpty(), "the create response of HPP session %s has no redirect_url to open", h.ID)
	if f.Env.Manual != nil {
		Skip(fmt.Sprintf(skipManualAnswer, "opening it"))
	}
	if f.Env.Browser != nil {
		return f.browserOpen(ctx, h)
	}
	if hooks := f.hooks(); hooks != nil {
		return f.hookOpen(ctx, hooks, h)
	}
	return f.page(ctx, http.MethodGet, h.RedirectURL())
}

// Opens is the consumer opening the page successfully (200).
func (f *Framework) Opens(ctx context.Context, h HPPSession) {
	GinkgoHelper()
	if f.Env.Manual != nil {
		Expect(h.RedirectURL()).NotTo(BeEmpty(), "the create response of HPP session %s has no redirect_url to open", h.ID)
		f.manualOpen(ctx, h)
		return
	}
	p := f.OpenPage(ctx, h)
	if f.hooks() == nil {
		Expect(p.Status).To(Equal(http.StatusOK), "the consumer opens the page of HPP session %s; page body:\n%s", h.ID, p.Body)
	} else {
		Expect(p.Status).To(And(BeNumerically(">=", 200), BeNumerically("<", 300)), "the consumer opens the page of HPP session %s (profile %s: a 2xx answer); body:\n%s", h.ID, f.Env.Profile.Path, p.Body)
	}
}

// Act is the consumer pressing a button: POST <redirect_url>/<action>.
func (f *Framework) Act(ctx context.Context, h HPPSession, action string) PageResponse {
	GinkgoHelper()
	Expect(h.RedirectURL()).NotTo(BeEmpty(), "the create response of HPP session %s has no redirect_url", h.ID)
	if f.Env.Manual != nil {
		Skip(fmt.Sprintf(skipManualAnswer, "an action refused or not"))
	}
	if f.Env.Browser != nil {
		return f.browserAct(ctx, h, action)
	}
	if hooks := f.hooks(); hooks != nil {
		return f.hookAct(ctx, hooks, h, action)
	}
	return f.page(ctx, http.MethodPost, strings.TrimRight(h.RedirectURL(), "/")+"/"+action)
}

// Does is the consumer pressing a button: the page answers with a redirect
// (303), and the consumer's browser follows it, and every redirect after,
// to where it lands. It returns the landing.
func (f *Framework) Does(ctx context.Context, h HPPSession, action string) Landing {
	GinkgoHelper()
	if f.Env.Manual != nil {
		return f.manualDo(ctx, h, action)
	}
	if f.Env.Browser != nil {
		return f.browserDoes(ctx, h, action)
	}
	p := f.Act(ctx, h, action)
	if f.hooks() == nil {
		Expect(p.Status).To(Equal(http.StatusSeeOther), "consumer action %q on HPP session %s; page body:\n%s", action, h.ID, p.Body)
	} else {
		Expect(p.Status).To(BeNumerically("<", 400), "consumer action %q on HPP session %s (profile %s); answer:\n%s", action, h.ID, f.Env.Profile.Path, p.Body)
	}
	Expect(p.Location).NotTo(BeEmpty(), "consumer action %q on HPP session %s: redirect without Location", action, h.ID)
	return f.follow(ctx, h, p.Location)
}

// OpensAndDoes opens the page, then acts.
func (f *Framework) OpensAndDoes(ctx context.Context, h HPPSession, action string) Landing {
	GinkgoHelper()
	f.Opens(ctx, h)
	return f.Does(ctx, h, action)
}

// FollowPage GETs a page URL the consumer was sent to (the generic result
// page) and returns what it answered.
func (f *Framework) FollowPage(ctx context.Context, url string) PageResponse {
	GinkgoHelper()
	return f.page(ctx, http.MethodGet, url)
}

func (f *Framework) page(ctx context.Context, method, url string) PageResponse {
	GinkgoHelper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader("") // a form post with no fields
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	Expect(err).NotTo(HaveOccurred(), "consumer page URL %q", url)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	resp, err := f.pageDoer.Do(req)
	Expect(err).NotTo(HaveOccurred(), "consumer page %s %s", method, url)
	b, err := io.ReadAll(resp.Body) // already in memory: the Doer read it
	Expect(err).NotTo(HaveOccurred())
	return PageResponse{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(b)}
}
