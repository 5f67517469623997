package framework

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/termqr"
)

// Manual is the --consumer manual driver: a person at a terminal, for a
// first run against a hosted page nothing else can drive. kconform prints
// the page's URL (and a QR code for a phone) and the action to take, then
// waits until the session's status moves (read through the API) and, when
// the session has merchant URLs at the return receiver, until the
// person's browser arrives there.
type Manual struct {
	// Out is where the instructions go (the terminal).
	Out io.Writer
	// Timeout bounds each wait for the person.
	Timeout time.Duration

	mu sync.Mutex // one instruction at a time
}

// ManualPrefix starts every line of an instruction, so a person (or a
// script) can tell them from the run's own output.
const ManualPrefix = "kconform ▶ "

// manualPoll is how often the session's status is read while waiting: a
// person takes seconds, and every read is a recorded exchange.
const manualPoll = 250 * time.Millisecond

// manualGrace is how long after the status moved the browser has to
// arrive at the return receiver before kconform takes it that it stayed on
// the target's pages.
const manualGrace = 3 * time.Second

// skipManualAnswer is the reason of a spec that needs a page's HTTP
// answer, which a person cannot report.
const skipManualAnswer = "needs the HTTP answer of the consumer page (%s), which a person cannot report: run it with --consumer http (docs/consumer.md)"

func (m *Manual) say(lines ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, l := range lines {
		for _, part := range strings.Split(strings.TrimRight(l, "\n"), "\n") {
			fmt.Fprintln(m.Out, ManualPrefix+part)
		}
	}
}

// manualOpen asks the person to open the page of h and waits until its
// status moves.
func (f *Framework) manualOpen(ctx context.Context, h HPPSession) {
	GinkgoHelper()
	m := f.Env.Manual
	before := f.quietStatus(ctx, h.ID)
	lines := []string{"", "spec: " + CurrentSpecReport().FullText(), "open this payment page (HPP session " + h.ID + "):", "  " + h.RedirectURL()}
	if qr, err := termqr.Render(h.RedirectURL()); err == nil {
		lines = append(lines, qr)
	}
	lines = append(lines, fmt.Sprintf("waiting up to %s for the page to open (Ctrl-C stops the run)", m.Timeout))
	m.say(lines...)
	f.waitForPerson(ctx, "open the page of HPP session "+h.ID, func() bool {
		return f.quietStatus(ctx, h.ID) != before
	})
}

// manualDo asks the person to take action on the open page of h and waits
// until the status moves and, if the session sends the consumer to the
// return receiver, until the browser arrives there.
func (f *Framework) manualDo(ctx context.Context, h HPPSession, action string) Landing {
	GinkgoHelper()
	m := f.Env.Manual
	before, arrived := f.quietStatus(ctx, h.ID), len(f.Arrivals())
	toUs := f.sendsHere(h)
	m.say(fmt.Sprintf("on that page (%s), choose: %s", h.RedirectURL(), action),
		fmt.Sprintf("waiting up to %s for it", m.Timeout))
	l := Landing{Waited: manualGrace}
	var moved time.Time
	f.waitForPerson(ctx, fmt.Sprintf("choose %q on the page of HPP session %s", action, h.ID), func() bool {
		if list := f.Arrivals(); len(list) > arrived {
			a := list[len(list)-1]
			l = Landing{URL: a.URL, Returned: &a}
			return true
		}
		// The status moves when the person acts; the browser arrives at
		// the return receiver a moment later, if this action sends it
		// there at all (the target's generic page is all kconform cannot
		// see): a short grace when the session has merchant URLs here.
		if moved.IsZero() && f.quietStatus(ctx, h.ID) != before {
			moved = time.Now()
		}
		return !moved.IsZero() && (!toUs || time.Since(moved) > manualGrace)
	})
	return l
}

// sendsHere reports whether any merchant URL of h points at the return
// receiver.
func (f *Framework) sendsHere(h HPPSession) bool {
	u := h.Request.MerchantUrls
	if u == nil || f.Env.Returns == nil {
		return false
	}
	for _, p := range []*string{u.Success, u.Failure, u.Back, u.Cancel, u.Error} {
		if p != nil && f.Env.Returns.Owns(*p) {
			return true
		}
	}
	return false
}

// SkipNoManualAction begins the reason of a rule the person at the
// terminal did not act for.
const SkipNoManualAction = "no consumer action within --manual-timeout"

// waitForPerson polls done until it holds, the person's time runs out, or
// the spec's does.
func (f *Framework) waitForPerson(ctx context.Context, what string, done func() bool) {
	GinkgoHelper()
	deadline := time.Now().Add(f.Env.Manual.Timeout)
	for !done() {
		if time.Now().After(deadline) {
			f.Env.Manual.say("gave up waiting: " + what)
			// a person who did not act says nothing of the target: not
			// checkable, never a finding
			Skip(fmt.Sprintf("%s (%s): the person at the terminal did not %s", SkipNoManualAction, f.Env.Manual.Timeout, what))
		}
		select {
		case <-ctx.Done():
			Fail(fmt.Sprintf("the spec ended while waiting for the person to %s", what))
		case <-time.After(manualPoll):
		}
	}
}

// quietStatus reads the status of HPP session id, "" when the read fails
// (the spec's own reads assert; this one only watches).
func (f *Framework) quietStatus(ctx context.Context, id string) api.HppStatus {
	resp, err := f.API.GetSessionByIdWithResponse(ctx, id)
	if err != nil || resp.JSON200 == nil {
		return ""
	}
	return resp.JSON200.Status
}
