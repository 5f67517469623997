package conformance

import (
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/mock"
	fw "github.com/kconform/kconform/suites/framework"
)

// Lifetimes (reference §3.2).
const (
	kpLifetime    = 48 * time.Hour
	hppHeadroom   = time.Hour        // the HPP session expires 1 h before the KP session
	tokenLifetime = 60 * time.Minute // an authorization token is valid 60 minutes
	// slack absorbs rounding of timestamps to whole seconds or milliseconds.
	slack = time.Second
)

var _ = fw.Group("Session and token expiry", Label(fw.HPP, fw.KP, fw.Expiry), func() {
	f := fw.New()

	/*
		Rule: the HPP session expires one hour before the KP session it hosts; the KP read returns expires_at.
		Source: reference §3.2 (D-create: "the HPP Session will expire 1 hour before the Payment Session"), §2.2 (session_read expires_at)
	*/
	It("MUST set the HPP session's expires_at one hour before the KP session's", fw.Cites("D-create", "D-hppapi", "S2"), fw.CatchesKP(mock.FaultHPPExpiryNotOneHourBefore, "MUST be 1h before the KP session's expires_at"), fw.Timeout, func(ctx SpecContext) {
		f.OnlyKP() // kco.go has the KCO order's
		h := f.NewHPPSession(ctx)
		kp := f.ReadKPSession(ctx, h.KP.ID)
		Expect(kp.ExpiresAt).NotTo(BeNil(), "the KP read MUST return expires_at: the HPP expiry is defined from it")
		want := kp.ExpiresAt.Add(-hppHeadroom)
		Expect(h.Created.ExpiresAt).To(BeTemporally("~", want, slack),
			"HPP expires_at %s MUST be 1h before the KP session's expires_at %s (off by %s)",
			h.Created.ExpiresAt.Format(time.RFC3339Nano), kp.ExpiresAt.Format(time.RFC3339Nano), h.Created.ExpiresAt.Sub(want))
		read := f.ReadHPPSession(ctx, h.ID)
		Expect(read.ExpiresAt).To(BeTemporally("~", want, slack), "the HPP read's expires_at is 1h before the KP session's too")
	})

	// Serial: these specs move the target's clock, which every process of
	// a parallel run (--procs) shares; moved under another spec, it would
	// expire that spec's sessions. They run alone, after the others.
	Context("when time passes", Label(fw.Clock), Serial, func() {
		/*
			Rule: a KP session lives 48 hours from creation.
			Source: reference §3.2 (D-hppapi "a 48 hours lifetime", D-kpinit "stays open for 48 hours"). An older page counts from the last
			update; the session is read before any update, where creation is the last update, so both readings agree.
		*/
		It("MUST expire a KP session 48 hours after it was created", fw.Cites("D-hppapi", "D-kpinit"), fw.Timeout, func(ctx SpecContext) {
			before := f.Now(ctx)
			kp := f.CreateKPSession(ctx)
			s := f.ReadKPSession(ctx, kp.ID)
			Expect(s.ExpiresAt).NotTo(BeNil(), "the KP read MUST return expires_at")
			Expect(*s.ExpiresAt).To(BeTemporally("~", before.Add(kpLifetime), time.Minute), "KP expires_at is 48h after creation (target clock %s)", before.Format(time.RFC3339))
		})

		/*
			Rule: after expires_at the HPP session answers 404 to read and to DELETE.
			Source: reference §1.1 (getSessionById, disableHppSession 404 "HPP session has expired or could not be found"), §3.3
		*/
		It("MUST answer 404 to reads and DELETE of an HPP session after it expired", fw.Cites("S1"), fw.Catches(mock.FaultExpiredSessionReadable, "an expired HPP session is not readable"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.ExpectHPPStatus(ctx, h.ID, api.WAITING)
			f.AdvancePast(ctx, h.Created.ExpiresAt)
			read, err := f.API.GetSessionByIdWithResponse(ctx, h.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(read).To(fw.HaveStatus(http.StatusNotFound), "an expired HPP session is not readable")
			del, err := f.API.DisableHppSessionWithResponse(ctx, h.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(del).To(fw.HaveStatus(http.StatusNotFound), "an expired HPP session cannot be disabled")
		})

		/*
			Rule: the consumer cannot pay on an expired HPP session.
			Source: reference §3.2 (D-hppapi: "able to pay on HPP until 1 hour before the Payment Session expiration")
		*/
		It("MUST refuse the consumer on the page of an expired HPP session", Label(fw.Consumer), fw.Cites("D-hppapi"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.AdvancePast(ctx, h.Created.ExpiresAt)
			p := f.OpenPage(ctx, h)
			Expect(p.Status).To(BeNumerically(">=", 400), "the page of an expired session MUST refuse the consumer; it answered %d", p.Status)
		})

		/*
			Rule: an expired KP session reads 404 and cannot be hosted: HPP create answers 404.
			Source: reference §1.1 (createHppSession 404 "Payment session has expired."), §3.3
		*/
		It("MUST answer 404 to reading an expired KP session and to hosting it in an HPP session", fw.Cites("S1", "S2", "D-kperr"), fw.Timeout, func(ctx SpecContext) {
			f.OnlyKP() // kco.go has the KCO order's
			kp := f.CreateKPSession(ctx)
			s := f.ReadKPSession(ctx, kp.ID)
			Expect(s.ExpiresAt).NotTo(BeNil(), "the KP read MUST return expires_at")
			f.AdvancePast(ctx, *s.ExpiresAt)
			read, err := f.API.ReadCreditSessionWithResponse(ctx, kp.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(read).To(fw.HaveStatus(http.StatusNotFound), "an expired KP session is not readable")
			resp, err := f.API.CreateHppSessionWithResponse(ctx, nil, f.HPPRequest(kp.ID))
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusNotFound), "an expired KP session cannot be hosted")
		})

		Context("with an authorization token", Label(fw.Consumer), func() {
			/*
				Rule: a token is valid 60 minutes: an order 59 minutes later is accepted.
				Source: reference §3.2 (D-hppapi "The token is valid for 60 minutes")
			*/
			It("MUST accept an order with a token younger than 60 minutes", fw.Cites("D-hppapi"), fw.Timeout, func(ctx SpecContext) {
				h, token := f.Authorize(ctx)
				f.Advance(ctx, tokenLifetime-time.Minute)
				f.CreateOrder(ctx, token, fw.OrderRequest(h.KP.Request))
			})

			/*
				Rule: a token older than 60 minutes creates no order: 404 NOT_FOUND.
				Source: reference §3.3 (D-kporder: NOT_FOUND "Invalid authorization token" ... "more than 60 minutes after authorization")
			*/
			It("MUST answer 404 NOT_FOUND to an order with a token older than 60 minutes", fw.Cites("D-kporder", "D-kperr"), fw.CatchesKP(mock.FaultTokenNeverExpires, "the token expired 60 minutes after authorization"), fw.Timeout, func(ctx SpecContext) {
				h, token := f.Authorize(ctx)
				f.Advance(ctx, tokenLifetime+time.Minute)
				resp, err := f.API.CreateOrderWithResponse(ctx, token, fw.OrderRequest(h.KP.Request))
				Expect(err).NotTo(HaveOccurred())
				Expect(resp).To(fw.HaveStatus(http.StatusNotFound), "the token expired 60 minutes after authorization")
				Expect(resp).To(fw.HaveErrorCode("NOT_FOUND"))
			})
		})
	})
})
