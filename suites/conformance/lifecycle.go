package conformance

import (
	"net/http"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/mock"
	fw "github.com/kconform/kconform/suites/framework"
)

var _ = fw.Group("HPP session lifecycle", Label(fw.HPP, fw.Lifecycle), func() {
	f := fw.New()

	/*
		Rule: a new HPP session answers 201 with its id and URLs, and reads WAITING with neither token nor order.
		Source: reference §1.1 (createHppSession 201), §1.7, §3.1 (D-track: WAITING)
	*/
	It("MUST create an HPP session for a KP session with 201 and read it back WAITING", fw.Cites("S1", "D-track"), fw.About("createHppSession"), fw.CatchesKP(mock.FaultHPPCreateWrongStatus, "Expected HTTP status 201, the target answered 200"), fw.CatchesKP(mock.FaultHPPReadMissingField, "/expires_at [schema.required]"), fw.CatchesKP(mock.FaultHPPStatusLowercase, "/status [schema.enum]"), fw.Timeout, func(ctx SpecContext) {
		f.OnlyKP() // kco.go has the KCO order's
		expectNewSessionWaiting(ctx, f, f.NewHPPSession(ctx))
	})

	DescribeTable("when the consumer opens the page and pays", Label(fw.Consumer), fw.Cites("S1", "D-hppkp", "D-track"),
		func(ctx SpecContext, mode *api.OptionsV1PlaceOrderMode) {
			f.OnlyKP() // kco.go has the KCO order's
			h := f.NewHPPSession(ctx, fw.WithMode(mode))
			f.ExpectHPPStatus(ctx, h.ID, api.WAITING)
			f.Opens(ctx, h)
			f.ExpectHPPStatus(ctx, h.ID, api.INPROGRESS)
			f.Does(ctx, h, fw.Pay)
			s := f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
			if mode == nil || *mode == api.NONE {
				Expect(s.AuthorizationToken).To(HaveValue(Not(BeEmpty())), "mode NONE completes with authorization_token")
				Expect(s.OrderId).To(BeNil(), "mode NONE completes without order_id")
				return
			}
			Expect(s.OrderId).To(HaveValue(Not(BeEmpty())), "mode %s completes with order_id", *mode)
			Expect(s.KlarnaReference).To(HaveValue(Not(BeEmpty())), "mode %s completes with klarna_reference", *mode)
			Expect(s.AuthorizationToken).To(BeNil(), "mode %s completes without authorization_token", *mode)
			kp := f.ReadKPSession(ctx, h.KP.ID)
			Expect(kp.Status).To(HaveValue(Equal(api.Complete)), "HPP placed the order, so the KP session MUST be complete")
		},
		/*
			Rule: without place_order_mode (NONE by default) the session goes WAITING → IN_PROGRESS → COMPLETED with an authorization token.
			Source: reference §1.4 (D-hppkp "Default Value: NONE"), §1.7, §3.1
		*/
		Entry("MUST go WAITING → IN_PROGRESS → COMPLETED with an authorization token when place_order_mode is absent", nil, fw.Timeout),
		/*
			Rule: mode NONE completes with authorization_token and no order_id.
			Source: reference §1.4, §1.7, §6.2
		*/
		Entry("MUST go WAITING → IN_PROGRESS → COMPLETED with an authorization token in mode NONE", fw.Mode(api.NONE), fw.CatchesKP(mock.FaultCompletedMissingToken, `property "authorization_token" is missing`), fw.Timeout),
		/*
			Rule: mode PLACE_ORDER completes with order_id and klarna_reference, no token, and the KP session complete.
			Source: reference §1.4 (D-hppkp), §1.7, §2.2 (kp status complete once the order is placed)
		*/
		Entry("MUST go WAITING → IN_PROGRESS → COMPLETED with an order in mode PLACE_ORDER", fw.Mode(api.PLACEORDER), fw.Timeout),
		/*
			Rule: mode CAPTURE_ORDER completes like PLACE_ORDER.
			Source: reference §1.4 (D-hppkp), §1.7
		*/
		Entry("MUST go WAITING → IN_PROGRESS → COMPLETED with an order in mode CAPTURE_ORDER", fw.Mode(api.CAPTUREORDER), fw.Timeout),
	)

	Context("when the consumer does not complete at once", Label(fw.Consumer), func() {
		// retries has the consumer do interrupt, expects the session to read
		// status, then has the consumer pay and expects COMPLETED.
		retries := func(ctx SpecContext, interrupt string, status api.HppStatus) {
			GinkgoHelper()
			h := f.NewHPPSession(ctx)
			f.OpensAndDoes(ctx, h, interrupt)
			f.ExpectHPPStatus(ctx, h.ID, status)
			f.OpensAndDoes(ctx, h, fw.Pay)
			f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
		}

		/*
			Rule: a declined payment leaves the session FAILED and open; the consumer can retry and pay.
			Source: reference §3.1 (D-track: FAILED "still open for them to retry")
		*/
		It("MUST record FAILED on a decline and let the consumer retry to COMPLETED", fw.Cites("D-track"), fw.Timeout, func(ctx SpecContext) {
			retries(ctx, fw.Decline, api.FAILED)
		})

		/*
			Rule: the back button leaves the session BACK and open; the consumer can come back and pay.
			Source: reference §3.1 (D-track: BACK "still open for them to retry"), §1.3 (back)
		*/
		It("MUST record BACK when the consumer goes back and let the consumer retry to COMPLETED", fw.Cites("D-track"), fw.Timeout, func(ctx SpecContext) {
			retries(ctx, fw.Back, api.BACK)
		})

		/*
			Rule: an error while paying leaves the session ERROR and open; the consumer can retry.
			Source: reference §3.1 (D-track: ERROR "still open for them to retry")
		*/
		It("MUST record ERROR on an error and let the consumer retry to COMPLETED", fw.Cites("D-track"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.Opens(ctx, h)
			f.ExpectHPPStatus(ctx, h.ID, api.INPROGRESS)
			f.Does(ctx, h, fw.Error)
			f.ExpectHPPStatus(ctx, h.ID, api.ERROR)
			f.Opens(ctx, h)
			f.ExpectHPPStatus(ctx, h.ID, api.INPROGRESS)
			f.Does(ctx, h, fw.Pay)
			f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
		})

		/*
			Rule: updated_at is the latest status update time; it never moves backwards.
			Source: reference §1.7 (updated_at "Latest status update time"); contract SessionFieldsV1.updated_at
		*/
		It("MUST never move updated_at backwards across status changes", fw.Cites("S1"), fw.Catches(mock.FaultUpdatedAtGoesBack, "updated_at went back"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			last := f.ExpectHPPStatus(ctx, h.ID, api.WAITING).UpdatedAt
			step := func(action string, want api.HppStatus) {
				GinkgoHelper()
				if action != "" {
					f.Does(ctx, h, action)
				} else {
					f.Opens(ctx, h)
				}
				s := f.ExpectHPPStatus(ctx, h.ID, want)
				Expect(s.UpdatedAt).To(BeTemporally(">=", last), "updated_at went back from %s to %s on the change to %s", last.Format(time.RFC3339Nano), s.UpdatedAt.Format(time.RFC3339Nano), want)
				last = s.UpdatedAt
			}
			step("", api.INPROGRESS)
			step(fw.Decline, api.FAILED)
			step("", api.INPROGRESS)
			step(fw.Back, api.BACK)
			step("", api.INPROGRESS)
			step(fw.Error, api.ERROR)
			step("", api.INPROGRESS)
			step(fw.Pay, api.COMPLETED)
		})

		/*
			Rule: the merchant can disable a session the consumer opened and left in a non-final status: DELETE answers 204 and the session reads DISABLED.
			Source: reference §3.1 ("Any non-final state →DISABLED through the DELETE call"; D-disable), §1.1 (disableHppSession 204)
		*/
		DescribeTable("MUST let the merchant disable a session the consumer left open", fw.Cites("S1", "D-track", "D-disable"),
			func(ctx SpecContext, action string, status api.HppStatus) {
				h := f.NewHPPSession(ctx)
				f.Opens(ctx, h)
				if action != "" {
					f.Does(ctx, h, action)
				}
				f.ExpectHPPStatus(ctx, h.ID, status)
				f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
				f.ExpectHPPStatus(ctx, h.ID, api.DISABLED)
			},
			Entry("when it is IN_PROGRESS", "", api.INPROGRESS, fw.Timeout),
			Entry("when it is BACK", fw.Back, api.BACK, fw.Timeout),
			Entry("when it is FAILED", fw.Decline, api.FAILED, fw.Timeout),
		)
	})

	Context("in a terminal status", func() {
		/*
			Rule: CANCELLED is definitive: the page refuses the consumer and the status stays CANCELLED.
			Source: reference §3.1 (D-track: CANCELLED "This cancellation is definitive")
		*/
		It("MUST keep a CANCELLED session CANCELLED and refuse the consumer", Label(fw.Consumer), fw.Cites("D-track"), fw.Catches(mock.FaultTerminalStateReopened, "the page of a CANCELLED session MUST refuse the consumer"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.Opens(ctx, h)
			f.ExpectHPPStatus(ctx, h.ID, api.INPROGRESS)
			f.Does(ctx, h, fw.Cancel)
			f.ExpectHPPStatus(ctx, h.ID, api.CANCELLED)
			p := f.OpenPage(ctx, h)
			Expect(p.Status).To(BeNumerically(">=", 400), "the page of a CANCELLED session MUST refuse the consumer; it answered %d", p.Status)
			f.ExpectHPPStatus(ctx, h.ID, api.CANCELLED)
			p = f.Act(ctx, h, fw.Pay)
			Expect(p.Status).To(BeNumerically(">=", 400), "paying on a CANCELLED session MUST be refused; it answered %d", p.Status)
			f.ExpectHPPStatus(ctx, h.ID, api.CANCELLED)
		})

		/*
			Rule: COMPLETED is final: the page refuses the consumer, and DELETE answers 400.
			Source: reference §1.1 (disableHppSession 400 "already been successfully completed"), §3.1, §3.3
		*/
		It("MUST keep a COMPLETED session COMPLETED: the page refuses the consumer and DELETE answers 400", Label(fw.Consumer), fw.Cites("S1", "D-track"), fw.Catches(mock.FaultCompletedDisableAllowed, "Expected HTTP status 400, the target answered 204"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.OpensAndDoes(ctx, h, fw.Pay)
			f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
			p := f.OpenPage(ctx, h)
			Expect(p.Status).To(BeNumerically(">=", 400), "the page of a COMPLETED session MUST refuse the consumer; it answered %d", p.Status)
			f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
			f.DisableHPPSession(ctx, h.ID, http.StatusBadRequest)
			f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
		})

		/*
			Rule: DELETE disables the session (204) and DISABLED is definitive.
			Source: reference §1.1 (disableHppSession 204), §3.1 (D-disable "this status is definitive")
		*/
		It("MUST disable a WAITING session with 204 and read it DISABLED", fw.Cites("S1", "D-disable"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
			f.ExpectHPPStatus(ctx, h.ID, api.DISABLED)
		})

		/*
			Rule: a second DELETE does not take the session out of DISABLED (its status code is not documented: 204 or 400).
			Source: assumption A-delete-disabled: reference §3.3 ("DELETE HPP session that is already DISABLED or CANCELLED: not documented"), §3.1
		*/
		It("MUST leave a DISABLED session DISABLED when DELETE comes again", fw.Cites("A-delete-disabled"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
			resp, err := f.API.DisableHppSessionWithResponse(ctx, h.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatusIn(http.StatusNoContent, http.StatusBadRequest))
			f.ExpectHPPStatus(ctx, h.ID, api.DISABLED)
		})

		/*
			Rule: distribution of a DISABLED session is refused with 400.
			Source: reference §1.1 (distributeHppSession 400 "Or session is disabled by merchant"), §3.3
		*/
		It("MUST refuse distribution of a DISABLED session with 400", Label(fw.Distribution), fw.Cites("S1"), fw.Catches(mock.FaultDistributionOnDisabledAllowed, "Expected HTTP status 400, the target answered 204"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
			resp, err := f.API.DistributeHppSessionWithResponse(ctx, h.ID, emailDistribution())
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusBadRequest))
			f.ExpectHPPStatus(ctx, h.ID, api.DISABLED)
		})

		/*
			Rule: the page of a DISABLED session refuses the consumer and the status stays DISABLED.
			Source: reference §3.3 (D-disable: "explicit error message"), §3.1
		*/
		It("MUST keep a DISABLED session DISABLED and refuse the consumer", Label(fw.Consumer), fw.Cites("D-disable"), fw.Timeout, func(ctx SpecContext) {
			h := f.NewHPPSession(ctx)
			f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
			p := f.OpenPage(ctx, h)
			Expect(p.Status).To(BeNumerically(">=", 400), "the page of a DISABLED session MUST refuse the consumer; it answered %d", p.Status)
			f.ExpectHPPStatus(ctx, h.ID, api.DISABLED)
		})
	})
})

var _ = fw.Group("KP session and authorization lifecycle", Label(fw.KP, fw.Lifecycle), func() {
	f := fw.New()

	/*
		Rule: a new KP session answers 200 with session_id and client_token and reads back incomplete with its order data.
		Source: reference §2.1 (createCreditSession 200, readCreditSession 200), §3.2 ("incomplete until ... an OM Order")
	*/
	It("MUST create a KP session with 200 and read it back incomplete with its order data", fw.Cites("S2", "D-hppapi"), fw.About("createCreditSession"), fw.Timeout, func(ctx SpecContext) {
		kp := f.CreateKPSession(ctx)
		s := f.ReadKPSession(ctx, kp.ID)
		Expect(s.Status).To(HaveValue(Equal(api.Incomplete)))
		Expect(s.OrderAmount).To(HaveValue(Equal(kp.Request.OrderAmount)))
		Expect(s.PurchaseCurrency).To(HaveValue(Equal(kp.Request.PurchaseCurrency)))
	})

	/*
		Rule: an open KP session can be updated (204) and the read shows the update.
		Source: reference §2.1 (updateCreditSession 204)
	*/
	It("MUST update an open KP session with 204 and read the update back", fw.Cites("S2"), fw.Timeout, func(ctx SpecContext) {
		kp := f.CreateKPSession(ctx)
		ref := "updated-" + f.Ref
		resp, err := f.API.UpdateCreditSessionWithResponse(ctx, kp.ID, api.Session{MerchantReference2: &ref})
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(fw.HaveStatus(http.StatusNoContent))
		Expect(f.ReadKPSession(ctx, kp.ID).MerchantReference2).To(HaveValue(Equal(ref)))
	})

	Context("with an authorization token from the hosted page", Label(fw.Consumer), func() {
		/*
			Rule: the KP session stays incomplete until the token creates an order, then it is complete.
			Source: reference §3.2 (D-hppapi), §2.2 (status "'complete' is set when the order has been placed")
		*/
		It("MUST keep the KP session incomplete until an order is created and complete after", fw.Cites("S2", "D-hppapi"), fw.About("createOrder"), fw.CatchesKP(mock.FaultKPStatusNotCompleted, "the KP session MUST be complete"), fw.Timeout, func(ctx SpecContext) {
			h, token := f.Authorize(ctx)
			Expect(f.ReadKPSession(ctx, h.KP.ID).Status).To(HaveValue(Equal(api.Incomplete)), "no order yet")
			order := f.CreateOrder(ctx, token, fw.OrderRequest(h.KP.Request))
			Expect(order.OrderId).NotTo(BeEmpty())
			Expect(f.ReadKPSession(ctx, h.KP.ID).Status).To(HaveValue(Equal(api.Complete)), "the order was placed, so the KP session MUST be complete")
		})

		/*
			Rule: a token creates one order; a second use answers 403 INVALID_OPERATION.
			Source: assumption A-second-order: D-kperr has 403 "Authorization token already consumed" and 409 for an order "already completed
			with different request body"; nothing public covers a second, identical body (reference §2.3, §3.3, §8).
		*/
		It("MUST refuse a second order with the same authorization token with 403 INVALID_OPERATION", fw.Cites("A-second-order"), fw.CatchesKP(mock.FaultTokenReusable, "the token was used already"), fw.Timeout, func(ctx SpecContext) {
			h, token := f.Authorize(ctx)
			f.CreateOrder(ctx, token, fw.OrderRequest(h.KP.Request))
			resp, err := f.API.CreateOrderWithResponse(ctx, token, fw.OrderRequest(h.KP.Request))
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusForbidden), "the token was used already")
			Expect(resp).To(fw.HaveErrorCode("INVALID_OPERATION"))
		})

		/*
			Rule: an unused authorization can be cancelled (204); it then creates no order.
			Source: reference §2.1 (cancelAuthorization 204, createOrder 404 "The authorization does not exist")
		*/
		It("MUST cancel an unused authorization with 204 and refuse an order with it after", fw.Cites("S2"), fw.Timeout, func(ctx SpecContext) {
			h, token := f.Authorize(ctx)
			resp, err := f.API.CancelAuthorizationWithResponse(ctx, token)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusNoContent))
			order, err := f.API.CreateOrderWithResponse(ctx, token, fw.OrderRequest(h.KP.Request))
			Expect(err).NotTo(HaveOccurred())
			Expect(order).To(fw.HaveStatusIn(http.StatusForbidden, http.StatusNotFound), "a cancelled authorization creates no order")
			Expect(f.ReadKPSession(ctx, h.KP.ID).Status).To(HaveValue(Equal(api.Incomplete)))
		})

		/*
			Rule: the authorization of a session whose intent is tokenize or buy_and_tokenize creates a customer token: 200 with token_id.
			Source: reference §2.1 (purchaseToken 200 "Token was successfully created." → customer_token_creation_response), §2.2 (customer_token_creation_response required token_id; session_create intent enum)
		*/
		DescribeTable("MUST create a customer token with 200 and a token_id", fw.Cites("S2"),
			func(ctx SpecContext, intent api.Intent) {
				h, token := f.Authorize(ctx, fw.WithIntent(intent))
				resp, err := f.API.PurchaseTokenWithResponse(ctx, token, fw.CustomerTokenRequest(h.KP.Request))
				Expect(err).NotTo(HaveOccurred())
				Expect(resp).To(fw.HaveStatus(http.StatusOK), "a customer token from an authorization with intent %s", intent)
				Expect(resp.JSON200).NotTo(BeNil(), "a customer token 200 without a JSON body")
				Expect(resp.JSON200.TokenId).NotTo(BeEmpty(), "a customer token response MUST carry token_id")
			},
			Entry("from an authorization with intent tokenize", api.Tokenize, fw.Timeout),
			Entry("from an authorization with intent buy_and_tokenize", api.BuyAndTokenize, fw.Timeout),
		)

		/*
			Rule: the authorization of a session whose intent is buy creates no customer token: 403 INVALID_OPERATION.
			Source: reference §2.1 (purchaseToken 403), §2.3 (D-kperr 403 INVALID_OPERATION "Not allowed to create customer token for intent buy")
		*/
		It("MUST refuse a customer token for an authorization with intent buy with 403 INVALID_OPERATION", fw.Cites("S2", "D-kperr"), fw.Timeout, func(ctx SpecContext) {
			h, token := f.Authorize(ctx, fw.WithIntent(api.Buy))
			resp, err := f.API.PurchaseTokenWithResponse(ctx, token, fw.CustomerTokenRequest(h.KP.Request))
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusForbidden), "a customer token from an authorization with intent buy")
			Expect(resp).To(fw.HaveErrorCode("INVALID_OPERATION"))
		})
	})
})

// emailDistribution is a valid email distribution request.
func emailDistribution() api.DistributionRequestV1 {
	email := openapi_types.Email("kconform@example.com")
	return api.DistributionRequestV1{
		Method:             api.Email,
		ContactInformation: api.DistributionContactV1{Email: &email},
	}
}

// expectNewSessionWaiting: a new HPP session, whatever it hosts, names its
// own URL and reads WAITING with neither token nor order (S1, D-track).
func expectNewSessionWaiting(ctx SpecContext, f *fw.Framework, h fw.HPPSession) {
	GinkgoHelper()
	Expect(h.Created.SessionUrl).To(HaveSuffix(h.ID), "session_url is the endpoint to read the session")
	s := f.ExpectHPPStatus(ctx, h.ID, api.WAITING)
	Expect(s.SessionId).To(Equal(h.ID))
	Expect(s.AuthorizationToken).To(BeNil(), "a WAITING session has no authorization_token")
	Expect(s.OrderId).To(BeNil(), "a WAITING session has no order_id")
	Expect(s.ExpiresAt).To(BeTemporally("==", h.Created.ExpiresAt), "read and create agree on expires_at")
}
