package framework

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/internal/profile"
)

// Browser is the --consumer browser driver: one headless Chromium for the
// run, driven over the DevTools protocol (chromedp), one tab per spec. It
// opens redirect_url and performs each action as browser steps say: the
// profile's (consumer.browser), or by default the buttons of the form
// protocol's page (button[value="<action>"]). Where the consumer lands is
// where the browser is after every redirect, and the return receiver's
// arrival when it came back to the merchant.
type Browser struct {
	// Ctx is the browser's context (chromedp.NewContext of the allocator).
	Ctx context.Context
	// Screenshots, when set, is a folder that gets a PNG of every page the
	// consumer opens, named after the spec.
	Screenshots string
	// Steps is how long one step may take (a click's navigation, a wait_for).
	Steps time.Duration

	once   sync.Once
	tab    *tab
	tabErr error
}

// defaultBrowserSteps are the steps of the form protocol's page: kconform's
// mock, and any page with one button per action (profiles/kconform-mock-browser.yaml
// says the same as a profile).
func defaultBrowserSteps(action string) []profile.Step {
	return []profile.Step{{Click: fmt.Sprintf(`button[value=%q]`, action)}}
}

// tab is the spec's browser tab and what its main frame last loaded.
type tab struct {
	ctx    context.Context
	mu     sync.Mutex
	loads  int // load events of the main frame so far
	status int // HTTP status of the last document
	url    string
}

func (t *tab) last() (int, int, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.loads, t.status, t.url
}

// browserTab is the run's tab: specs run one at a time, and a tab costs
// half a second to open, so the run keeps one and every spec starts from
// what it navigates to. Its counters start afresh for each spec.
func (f *Framework) browserTab() *tab {
	GinkgoHelper()
	if f.tab != nil {
		return f.tab
	}
	b := f.Env.Browser
	b.once.Do(func() { b.tab, b.tabErr = openTab(b.Ctx) })
	Expect(b.tabErr).NotTo(HaveOccurred(), "open a browser tab")
	b.tab.mu.Lock()
	b.tab.loads, b.tab.status, b.tab.url = 0, 0, ""
	b.tab.mu.Unlock()
	f.tab = b.tab
	return f.tab
}

// openTab opens a tab that counts its main frame's loads and keeps the
// status of its last document.
func openTab(browser context.Context) (*tab, error) {
	ctx, _ := chromedp.NewContext(browser) // closed with the browser
	t := &tab{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		t.mu.Lock()
		defer t.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventResponseReceived:
			if e.Type == network.ResourceTypeDocument {
				t.status, t.url = int(e.Response.Status), e.Response.URL
			}
		case *page.EventLoadEventFired:
			t.loads++
		}
	})
	return t, err
}

// browserSteps runs steps in the spec's tab and returns what the page
// shows at the end. A click whose element is not on the page ends the
// steps: the page offers no such action (a refusal page).
func (f *Framework) browserSteps(ctx context.Context, h HPPSession, action string, steps []profile.Step) PageResponse {
	GinkgoHelper()
	t := f.browserTab()
	vars := f.consumerVars(h, action)
	limit := f.Env.Browser.Steps
	for i, s := range steps {
		what := fmt.Sprintf("browser step %d of %q on HPP session %s", i+1, action, h.ID)
		loads, _, _ := t.last()
		switch {
		case s.Open != "":
			run(ctx, t, limit, what, chromedp.Navigate(profile.Expand(s.Open, vars)))
			waitLoad(ctx, t, loads)
		case s.Click != "":
			if !present(ctx, t, s.Click) {
				return f.browserPage(ctx, t)
			}
			run(ctx, t, limit, what, chromedp.Click(chromedp.CSS(s.Click)))
			waitLoad(ctx, t, loads)
		case s.Fill != nil:
			run(ctx, t, limit, what, chromedp.SendKeys(chromedp.CSS(s.Fill.Selector), profile.Expand(s.Fill.Value, vars)))
		case s.WaitFor != "":
			run(ctx, t, limit, what, chromedp.WaitVisible(chromedp.CSS(s.WaitFor)))
		}
	}
	return f.browserPage(ctx, t)
}

// browserOpen opens the page of h in the spec's tab.
func (f *Framework) browserOpen(ctx context.Context, h HPPSession) PageResponse {
	GinkgoHelper()
	steps := []profile.Step{{Open: "${redirect_url}"}}
	if p := f.Env.Profile; p != nil && p.Consumer != nil && p.Consumer.Browser != nil && len(p.Consumer.Browser.Open) > 0 {
		steps = p.Consumer.Browser.Open
	}
	page := f.browserSteps(ctx, h, "", steps)
	if dir := f.Env.Browser.Screenshots; dir != "" {
		if png, err := chromedp.Run(f.tab.ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, f.Ref+".png"), png, 0o644)
		}
	}
	return page
}

// browserAct performs action in the spec's tab.
func (f *Framework) browserAct(ctx context.Context, h HPPSession, action string) PageResponse {
	GinkgoHelper()
	steps := defaultBrowserSteps(action)
	if p := f.Env.Profile; p != nil && p.Consumer != nil && p.Consumer.Browser != nil {
		var ok bool
		if steps, ok = p.Consumer.Browser.Actions[action]; !ok {
			Skip(fmt.Sprintf("needs the consumer action %q: profile %s has no consumer.browser.actions.%s (docs/profiles.md)", action, p.Path, action))
		}
	}
	if f.tab == nil {
		f.browserOpen(ctx, h)
	}
	return f.browserSteps(ctx, h, action, steps)
}

// browserDoes performs action and returns where the browser landed.
func (f *Framework) browserDoes(ctx context.Context, h HPPSession, action string) Landing {
	GinkgoHelper()
	before := len(f.Arrivals())
	p := f.browserAct(ctx, h, action)
	_, _, at := f.tab.last()
	l := Landing{URL: at, Page: p}
	if list := f.Arrivals(); len(list) > before {
		a := list[len(list)-1]
		l.Returned, l.URL = &a, a.URL
	}
	return l
}

// browserPage is the status of the tab's last document and its HTML.
func (f *Framework) browserPage(ctx context.Context, t *tab) PageResponse {
	GinkgoHelper()
	html := run(ctx, t, f.Env.Browser.Steps, "read the page", chromedp.OuterHTML(chromedp.CSS("html")))
	_, status, _ := t.last()
	return PageResponse{Status: status, Body: html}
}

// run runs one action in the tab within limit and returns its value.
func run[T any](ctx context.Context, t *tab, limit time.Duration, what string, a chromedp.Action[T]) T {
	GinkgoHelper()
	c, cancel := context.WithTimeout(t.ctx, limit)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel) // the spec's end stops the step too
	defer stop()
	v, err := chromedp.Run(c, a)
	Expect(err).NotTo(HaveOccurred(), "%s (within %s)", what, limit)
	return v
}

// present reports whether selector is on the page now.
func present(ctx context.Context, t *tab, selector string) bool {
	c, cancel := context.WithTimeout(t.ctx, 2*time.Second)
	defer cancel()
	n, err := chromedp.Run(c, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", selector)))
	return err == nil && n > 0 && ctx.Err() == nil
}

// waitLoad waits, briefly, for a click to load a new document (after
// every redirect); a click that loads nothing (a script's page) goes on.
func waitLoad(ctx context.Context, t *tab, loads int) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if n, _, _ := t.last(); n > loads {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
