package conformance

import (
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/mock"
	fw "github.com/kconform/kconform/suites/framework"
)

// sameSession matches a callback's session against a read of the session:
// the fields a read returns, timestamps compared as instants.
func sameSession(read api.SessionResponseV1) types.GomegaMatcher {
	return And(
		HaveField("SessionId", Equal(read.SessionId)),
		HaveField("Status", Equal(read.Status)),
		HaveField("UpdatedAt", BeTemporally("==", read.UpdatedAt)),
		HaveField("ExpiresAt", BeTemporally("==", read.ExpiresAt)),
		HaveField("AuthorizationToken", Equal(read.AuthorizationToken)),
		HaveField("OrderId", Equal(read.OrderId)),
		HaveField("KlarnaReference", Equal(read.KlarnaReference)),
	)
}

// distinctEvents returns the events in order of first arrival, one per
// event_id (retries of an event carry the same id).
func distinctEvents(events []api.StatusUpdateEventV1) []api.StatusUpdateEventV1 {
	seen := map[string]bool{}
	var out []api.StatusUpdateEventV1
	for _, e := range events {
		if !seen[e.EventId] {
			seen[e.EventId] = true
			out = append(out, e)
		}
	}
	return out
}

func statuses(events []api.StatusUpdateEventV1) []api.HppStatus {
	out := make([]api.HppStatus, 0, len(events))
	for _, e := range events {
		out = append(out, e.Session.Status)
	}
	return out
}

// retryEventID is the event_id of the first call that carries another than
// the first call's, or the first call's when every call carries it: an
// assertion that it equals the first's names one id got and one expected,
// rather than every id of the calls.
func retryEventID(calls []fw.Call) (got, first string) {
	ids := eventIDs(calls)
	if len(ids) == 0 {
		return "", ""
	}
	for _, id := range ids[1:] {
		if id != ids[0] {
			return id, ids[0]
		}
	}
	return ids[0], ids[0]
}

func eventIDs(calls []fw.Call) []string {
	out := make([]string, 0, len(calls))
	for _, c := range calls {
		if c.Event == nil {
			out = append(out, "(no event)")
			continue
		}
		out = append(out, c.Event.EventId)
	}
	return out
}

// Ordered: the target retries on its own clock, so the sessions of the two
// retry specs are disabled before the first spec runs; their retries
// (three retry delays, or a timeout and a retry, plus a quiet window each)
// then overlap with each other and with the specs before them instead of
// adding up. ContinueOnFailure: one rule broken leaves the others checked.
var _ = fw.Group("HPP status callbacks", Label(fw.HPP, fw.Callbacks), fw.About(fw.StatusCallback), Ordered, ContinueOnFailure, func() {
	f := fw.New()

	// withStatusUpdate points status_update at in, with the session id in
	// the query as Klarna advises (D-cb).
	withStatusUpdate := func(in *fw.Inbox) func(*api.SessionCreationRequestV1) {
		u := in.URL() + "?hppId={{session_id}}&keep=a%20b"
		return fw.WithMerchantURLs(api.MerchantUrlsV1{StatusUpdate: &u})
	}

	// quiet is how long to watch for calls that must not come: a retry
	// would come one retry delay after the last call.
	quiet := func() time.Duration { return f.Env.Timeouts.CallbackQuiet() }
	// quietAfter is what is left of the quiet window after in's last call:
	// when a spec started ahead runs, its window may have passed already
	// (one look is still taken).
	quietAfter := func(in *fw.Inbox) time.Duration {
		left := quiet()
		if calls := in.Calls(); len(calls) > 0 {
			left -= time.Since(calls[len(calls)-1].At)
		}
		return max(left, f.Env.Timeouts.Poll)
	}

	// disabledWith disables a new session whose status_update is an inbox
	// answering replies, and returns the inbox.
	disabledWith := func(ctx SpecContext, a *fw.Framework, replies ...fw.Reply) *fw.Inbox {
		in := a.NewInbox(fw.StatusCallback, replies...)
		h := a.NewHPPSession(ctx, withStatusUpdate(in))
		a.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
		return in
	}
	var (
		answered500, answeredSlowly *fw.Started
		in500, inSlow               *fw.Inbox
	)
	BeforeAll(func(ctx SpecContext) {
		answered500 = fw.Ahead(func(a *fw.Framework) {
			in500 = disabledWith(ctx, a, fw.Reply{Status: http.StatusInternalServerError})
		})
		answeredSlowly = fw.Ahead(func(a *fw.Framework) {
			t := a.Env.Timeouts
			slow := t.CallbackTimeout + max(t.CallbackTimeout/2, 250*time.Millisecond)
			inSlow = disabledWith(ctx, a, fw.Reply{Status: http.StatusOK, Delay: slow}, fw.Reply{Status: http.StatusOK})
		})
	})

	/*
		Rule: every status change sends one callback whose session is what a read returns at that moment.
		Source: reference §1.8 (D-cb: "called ... whenever the status of the session is updated"; body "same object as read-session")
	*/
	It("MUST send one callback per status change, carrying the session a read returns", Label(fw.Consumer), fw.Cites("D-cb", "K-cb"), fw.Catches(mock.FaultCallbackMissing, "one callback for the change to IN_PROGRESS"), fw.CallbackTimeout, func(ctx SpecContext) {
		in := f.NewInbox(fw.StatusCallback)
		h := f.NewHPPSession(ctx, withStatusUpdate(in))

		f.Opens(ctx, h)
		inProgress := f.ExpectHPPStatus(ctx, h.ID, api.INPROGRESS)
		f.Eventually(ctx, func(g Gomega) {
			events := distinctEvents(in.Events())
			g.Expect(len(events)).To(Equal(1), "hppStatusUpdateCallback calls: one callback for the change to IN_PROGRESS")
			g.Expect(events[0].Session).To(sameSession(inProgress))
		}).Should(Succeed())

		f.Does(ctx, h, fw.Pay)
		completed := f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
		f.Eventually(ctx, func(g Gomega) {
			events := distinctEvents(in.Events())
			g.Expect(statuses(events)).To(Equal([]api.HppStatus{api.INPROGRESS, api.COMPLETED}), "hppStatusUpdateCallback /session/status: one callback per change, in order")
			g.Expect(events[1].Session).To(sameSession(completed))
		}).Should(Succeed())

		f.Consistently(ctx, func(g Gomega) {
			g.Expect(len(in.Calls())).To(Equal(2), "hppStatusUpdateCallback calls: two changes, each acknowledged with 200 at once: no more calls")
		}, quietAfter(in)).Should(Succeed())
	})

	/*
		Rule: disabling a session is a status change: it sends a DISABLED callback.
		Source: reference §1.8 (D-cb), §3.1 (DISABLED "disabled by an API call")
	*/
	It("MUST send a DISABLED callback when the merchant disables the session", fw.Cites("D-cb", "D-track"), fw.CallbackTimeout, func(ctx SpecContext) {
		in := f.NewInbox(fw.StatusCallback)
		h := f.NewHPPSession(ctx, withStatusUpdate(in))
		f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
		disabled := f.ExpectHPPStatus(ctx, h.ID, api.DISABLED)
		f.Eventually(ctx, func(g Gomega) {
			events := distinctEvents(in.Events())
			g.Expect(statuses(events)).To(Equal([]api.HppStatus{api.DISABLED}), "hppStatusUpdateCallback /session/status: one callback for the change to DISABLED")
			g.Expect(events[0].Session).To(sameSession(disabled))
		}).Should(Succeed())
	})

	/*
		Rule: {{session_id}} is filled in the status_update URL; the rest of its query is kept byte for byte.
		Source: reference §1.3 ({{session_id}} in every URL), §1.8 (D-cb: "…?hppSessionId={{session_id}}&secretToken=…")
	*/
	It("MUST fill {{session_id}} in the status_update URL and keep the rest of its query", Label(fw.Placeholders), fw.Cites("D-cb", "D-create"), fw.CallbackTimeout, func(ctx SpecContext) {
		in := f.NewInbox(fw.StatusCallback)
		h := f.NewHPPSession(ctx, withStatusUpdate(in))
		f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
		f.Eventually(ctx, func(g Gomega) {
			calls := in.Calls()
			g.Expect(len(calls)).NotTo(BeZero(), "hppStatusUpdateCallback calls: a callback for the change to DISABLED")
			g.Expect(calls[0].Query.Get("hppId")).To(Equal(h.ID), "{{session_id}} substituted")
			g.Expect(calls[0].Query.Get("keep")).To(Equal("a b"), "the URL's own query value survives")
		}).Should(Succeed())
	})

	Context("when the receiver does not acknowledge", func() {
		/*
			Rule: a callback answered with a 5xx is retried with the same event_id, 4 calls in all at most.
			Source: assumption A-callback-5xx: D-cb and K-cb document the retry ("up to three times, with 4 calls being made for the same events") only
			when no answer comes within 3 s, and expect a 2xx; kconform treats a 5xx answer like a missing one (reference §1.8, §8).
		*/
		It("MUST retry a callback answered 500 with the same event_id, 4 calls at most", fw.Cites("A-callback-5xx"), fw.Catches(mock.FaultCallbackNotRetried, "the first call and three retries"), fw.Catches(mock.FaultCallbackEventIDChanges, "every retry carries the event_id of the first call"), fw.CallbackTimeout, func(ctx SpecContext) {
			f.Adopt(answered500)
			in := in500
			f.Eventually(ctx, func(g Gomega) {
				g.Expect(len(in.Calls())).To(Equal(4), "hppStatusUpdateCallback calls: the first call and three retries")
			}).WithTimeout(f.Env.Timeouts.CallbackWindow()).Should(Succeed())
			f.Consistently(ctx, func(g Gomega) {
				calls := in.Calls()
				g.Expect(len(calls)).To(Equal(4), "hppStatusUpdateCallback calls: 4 calls at most for one event")
				got, first := retryEventID(calls)
				g.Expect(got).To(Equal(first), "hppStatusUpdateCallback /event_id: every retry carries the event_id of the first call")
			}, quietAfter(in)).Should(Succeed())
		})

		/*
			Rule: a callback not answered within the timeout (3 s at Klarna) is retried with the same event_id, 4 calls at most.
			Source: reference §1.8 (D-cb: "If no response ... in less than 3 seconds, there will be a retry after a few seconds")
		*/
		It("MUST retry a callback the receiver answers too slowly, with the same event_id", fw.Cites("D-cb", "K-cb"), fw.CallbackTimeout, func(ctx SpecContext) {
			f.Adopt(answeredSlowly)
			in := inSlow
			f.Eventually(ctx, func(g Gomega) {
				g.Expect(len(in.Calls())).To(BeNumerically(">=", 2), "hppStatusUpdateCallback calls: a retry after the slow first call")
			}).WithTimeout(f.Env.Timeouts.CallbackWindow()).Should(Succeed())
			f.Consistently(ctx, func(g Gomega) {
				calls := in.Calls()
				g.Expect(len(calls)).To(BeNumerically("<=", 4), "hppStatusUpdateCallback calls: 4 calls at most for one event")
				got, first := retryEventID(calls)
				g.Expect(got).To(Equal(first), "hppStatusUpdateCallback /event_id: every retry carries the event_id of the first call")
			}, quietAfter(in)).Should(Succeed())
		})
	})
})

var _ = fw.Group("KP authorization callback", Label(fw.KP, fw.Callbacks, fw.Consumer), fw.About(fw.AuthorizationCallback), func() {
	f := fw.New()

	/*
		Rule: when an authorization token is issued, it is POSTed with the KP session id to merchant_urls.authorization.
		Source: reference §2.4 (D-kpauthcb: {"authorization_token", "session_id"})
	*/
	It("MUST POST the new authorization token to the KP session's authorization URL", fw.Cites("D-kpauthcb"), fw.CallbackTimeout, func(ctx SpecContext) {
		in := f.NewInbox(fw.AuthorizationCallback)
		h, token := f.Authorize(ctx, func(s *api.SessionCreate) {
			s.MerchantUrls = &api.MerchantUrls{Authorization: fw.Ptr(in.URL())}
		})
		f.Eventually(ctx, func(g Gomega) {
			calls := in.Calls()
			g.Expect(len(calls)).NotTo(BeZero(), "kpAuthorizationCallback calls: an authorization callback")
			g.Expect(calls[0].Authorization).NotTo(BeNil(), "an authorization callback body: %s", strings.TrimSpace(string(calls[0].Body)))
			g.Expect(calls[0].Authorization.AuthorizationToken).To(Equal(token))
			g.Expect(calls[0].Authorization.SessionId).To(Equal(h.KP.ID))
		}).Should(Succeed())
	})
})
