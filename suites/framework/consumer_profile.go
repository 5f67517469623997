package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-openapi/jsonpointer"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/internal/profile"
)

// A target profile (internal/profile, docs/profiles.md) replaces the
// form protocol and /_kconform/clock with the target's own test hooks:
// each consumer action and clock move is one HTTP call the profile
// describes. The specs do not change: OpenPage, Act, Now and Advance ask
// the profile when the run has one.

// hooks is the profile's HTTP consumer, nil when the run drives the page
// with the form protocol.
func (f *Framework) hooks() *profile.HTTPConsumer {
	if p := f.Env.Profile; p != nil && p.Consumer != nil {
		return p.Consumer.HTTP
	}
	return nil
}

// profileClock is the profile's clock, nil when there is none.
func (f *Framework) profileClock() *profile.Clock {
	if p := f.Env.Profile; p != nil {
		return p.Clock
	}
	return nil
}

// consumerVars are the template variables of a consumer call.
func (f *Framework) consumerVars(h HPPSession, action string) map[string]string {
	hpp := f.Env.HPPBaseURL
	if hpp == "" {
		hpp = f.Env.BaseURL
	}
	return map[string]string{
		"base_url": f.Env.BaseURL, "hpp_base_url": hpp, "redirect_url": h.RedirectURL(),
		"session_id": h.ID, "kp_session_id": h.KP.ID, "action": action,
	}
}

// hookOpen opens the page of h through the profile.
func (f *Framework) hookOpen(ctx context.Context, hooks *profile.HTTPConsumer, h HPPSession) PageResponse {
	GinkgoHelper()
	if hooks.Open == nil {
		return f.page(ctx, http.MethodGet, h.RedirectURL())
	}
	status, _, body := f.hookCall(ctx, *hooks.Open, f.consumerVars(h, ""), "consumer.http.open")
	return PageResponse{Status: status, Body: string(body)}
}

// hookAct performs action on h through the profile; Location is where the
// profile says the browser goes next. An action the profile does not
// describe makes the spec not checkable, naming the profile.
func (f *Framework) hookAct(ctx context.Context, hooks *profile.HTTPConsumer, h HPPSession, action string) PageResponse {
	GinkgoHelper()
	call, ok := hooks.Actions[action]
	if !ok {
		Skip(fmt.Sprintf("needs the consumer action %q: profile %s has no consumer.http.actions.%s (docs/profiles.md)", action, f.Env.Profile.Path, action))
	}
	field := "consumer.http.actions." + action
	status, header, body := f.hookCall(ctx, call, f.consumerVars(h, action), field)
	p := PageResponse{Status: status, Body: string(body)}
	if status >= 400 {
		return p
	}
	if call.Landing == "location" {
		p.Location = header.Get("Location")
	} else {
		p.Location = pointerString(body, call.Landing)
	}
	Expect(p.Location).NotTo(BeEmpty(), "consumer action %q on HPP session %s: profile %s, %s.landing %q: the answer (%d) names no page to go to; body:\n%s",
		action, h.ID, f.Env.Profile.Path, field, call.Landing, status, body)
	return p
}

// hookNow reads the clock through the profile.
func (f *Framework) hookNow(ctx context.Context, c *profile.Clock) time.Time {
	GinkgoHelper()
	status, _, body := f.hookCall(ctx, *c.Now, f.clockVars(0), "clock.now")
	Expect(status).To(BeNumerically("<", 300), "profile %s, clock.now answered %d: %s", f.Env.Profile.Path, status, body)
	return f.pointerTime(body, c.Now.Now, "clock.now.now")
}

// hookAdvance moves the clock by d through the profile and returns the
// new time: from the answer when clock.advance.now says where, else read.
func (f *Framework) hookAdvance(ctx context.Context, c *profile.Clock, d time.Duration) time.Time {
	GinkgoHelper()
	status, _, body := f.hookCall(ctx, *c.Advance, f.clockVars(d), "clock.advance")
	Expect(status).To(BeNumerically("<", 300), "profile %s, clock.advance answered %d: %s", f.Env.Profile.Path, status, body)
	if c.Advance.Now != "" {
		return f.pointerTime(body, c.Advance.Now, "clock.advance.now")
	}
	return f.hookNow(ctx, c)
}

func (f *Framework) clockVars(d time.Duration) map[string]string {
	v := f.consumerVars(HPPSession{}, "")
	v["by"] = d.String()
	v["seconds"] = strconv.FormatInt(int64(math.Ceil(d.Seconds())), 10)
	return v
}

// hookCall sends one call of the profile, recorded with the spec's control
// exchanges, and returns what it answered.
func (f *Framework) hookCall(ctx context.Context, c profile.Call, vars map[string]string, field string) (int, http.Header, []byte) {
	GinkgoHelper()
	u := profile.Expand(c.URL, vars)
	var body io.Reader
	if c.Body != "" {
		body = strings.NewReader(profile.Expand(c.Body, vars))
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, u, body)
	Expect(err).NotTo(HaveOccurred(), "profile %s, %s.url: %q is not a URL", f.Env.Profile.Path, field, u)
	for k, v := range c.Headers {
		req.Header.Set(k, profile.Expand(v, vars))
	}
	if c.Body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Credentials {
		req.SetBasicAuth(f.Env.Username, f.Env.Password.Reveal())
	}
	resp, err := f.control.Do(req)
	Expect(err).NotTo(HaveOccurred(), "profile %s, %s: %s %s", f.Env.Profile.Path, field, c.Method, u)
	b, err := io.ReadAll(resp.Body) // already in memory: the Doer read it
	Expect(err).NotTo(HaveOccurred())
	return resp.StatusCode, resp.Header, b
}

// pointerString is the string at pointer in a JSON body, "" when there is
// none.
func pointerString(body []byte, pointer string) string {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	p, err := jsonpointer.New(pointer)
	if err != nil {
		return ""
	}
	v, _, err := p.Get(doc)
	if err != nil {
		return ""
	}
	s, _ := v.(string)
	return s
}

// pointerTime is the RFC 3339 time at pointer in a JSON body.
func (f *Framework) pointerTime(body []byte, pointer, field string) time.Time {
	GinkgoHelper()
	s := pointerString(body, pointer)
	Expect(s).NotTo(BeEmpty(), "profile %s, %s %q: no string there in the answer %s", f.Env.Profile.Path, field, pointer, body)
	t, err := time.Parse(time.RFC3339Nano, s)
	Expect(err).NotTo(HaveOccurred(), "profile %s, %s %q: %q is not an RFC 3339 time", f.Env.Profile.Path, field, pointer, s)
	return t
}
