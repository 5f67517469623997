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

// kcoLifetime: a KCO order is "only valid for 48 hours after merchant
// update or client interaction" (K-kco-err).
const kcoLifetime = 48 * time.Hour

// lastTouched is when a KCO order's 48 hours start running: its last
// update (last_modified_at, K-kco-read), or its start when it has none.
func lastTouched(o api.CheckoutOrder) *time.Time {
	if o.LastModifiedAt != nil {
		return o.LastModifiedAt
	}
	return o.StartedAt
}

// The rules of an HPP session hosting a KCO order (Klarna Checkout, now
// Kustom Checkout): they run with --payment-provider kco, which is the
// default on a Kustom host. Every other HPP spec runs with either provider.
var _ = fw.Group("HPP sessions hosting a KCO order", Label(fw.HPP), func() {
	f := fw.New()
	BeforeEach(func() { f.OnlyKCO() })

	/*
		Rule: a new KCO order answers 201 checkout_incomplete with its order_id.
		Source: K-kco-create (response example), D-kco-create
	*/
	It("MUST create a KCO order with 201, checkout_incomplete, and read it back the same", Label(fw.Lifecycle), fw.Cites("K-kco-create", "K-kco-read", "N-kco-create"), fw.About("createCheckoutOrder"), fw.Timeout, func(ctx SpecContext) {
		o := f.CreateKCOOrder(ctx)
		Expect(o.Created.Status).To(Equal(api.CheckoutIncomplete), "a new KCO order is checkout_incomplete")
		read := f.ReadKCOOrder(ctx, o.ID)
		Expect(read.OrderId).To(Equal(o.ID))
		Expect(read.Status).To(Equal(api.CheckoutIncomplete), "nobody paid yet: the order is checkout_incomplete")
		Expect(read.OrderAmount).To(HaveValue(Equal(o.Request.OrderAmount)), "the order keeps its order_amount")
	})

	/*
		Rule: an HPP session hosting a KCO order answers 201 and reads WAITING with neither token nor order.
		Source: S1 (payment_session_url "URL of the KP Session or KCO Order"), K-hpp-create, D-track (WAITING)
	*/
	It("MUST create an HPP session for a KCO order with 201 and read it back WAITING", Label(fw.Lifecycle), fw.Cites("S1", "K-hpp-create", "D-track"), fw.About("createHppSession"), fw.CatchesKCO(mock.FaultHPPCreateWrongStatus, "Expected HTTP status 201, the target answered 200"), fw.CatchesKCO(mock.FaultHPPReadMissingField, "/expires_at [schema.required]"), fw.CatchesKCO(mock.FaultHPPStatusLowercase, "/status [schema.enum]"), fw.Timeout, func(ctx SpecContext) {
		expectNewSessionWaiting(ctx, f, f.NewHPPSession(ctx))
	})

	/*
		Rule: paying completes the HPP session with the KCO order's id and a klarna_reference, never an authorization token, and the order becomes checkout_complete.
		Source: seed 001 (Kustom read-session: COMPLETED with order_id and klarna_reference), K-hpp-create (no {{authorization_token}}), K-kco-read (a paid order reads checkout_complete with completed_at), D-create (seed 004)
	*/
	It("MUST complete the HPP session with the KCO order's id and leave the order checkout_complete", Label(fw.Lifecycle, fw.Consumer), fw.Cites("S1", "K-hpp-create", "K-kco-read", "D-track"), fw.CatchesKCO(mock.FaultKCOOrderNotComplete, "the KCO order MUST be checkout_complete"), fw.Timeout, func(ctx SpecContext) {
		h := f.NewHPPSession(ctx)
		f.Opens(ctx, h)
		f.ExpectHPPStatus(ctx, h.ID, api.INPROGRESS)
		f.Does(ctx, h, fw.Pay)
		s := f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
		Expect(s.OrderId).To(HaveValue(Equal(h.Order.ID)), "a COMPLETED session hosting a KCO order carries that order's id as order_id")
		Expect(s.KlarnaReference).To(HaveValue(Not(BeEmpty())), "a COMPLETED session hosting a KCO order carries klarna_reference")
		Expect(s.AuthorizationToken).To(BeNil(), "a KCO order has no authorization token")
		o := f.ReadKCOOrder(ctx, h.Order.ID)
		Expect(o.Status).To(Equal(api.CheckoutComplete), "the consumer paid on the hosted page, so the KCO order MUST be checkout_complete")
		Expect(o.CompletedAt).NotTo(BeNil(), "a checkout_complete order carries completed_at")
	})

	/*
		Rule: after paying for a KCO order the consumer goes to the success URL with {{session_id}} and {{order_id}} filled, {{authorization_token}} left as written.
		Source: D-create (seed 004) ({{order_id}} "works only for KCO or when using place_order_mode"), K-hpp-create (no {{authorization_token}}), reference §1.3
	*/
	It("MUST fill {{session_id}} and {{order_id}} in the success URL of a KCO order", Label(fw.Placeholders, fw.Consumer), fw.Cites("K-hpp-create", "D-create"), fw.CatchesKCO(mock.FaultPlaceholderWrongMode, "{{authorization_token}} MUST stay as written in the success URL"), fw.Timeout, func(ctx SpecContext) {
		success := f.ReturnURL("success") + merchantQuery
		h := f.NewHPPSession(ctx, fw.WithMerchantURLs(api.MerchantUrlsV1{Success: &success}))
		location := fw.BackAtMerchant(f.OpensAndDoes(ctx, h, fw.Pay), "after paying")
		values := map[string]string{"{{session_id}}": h.ID, "{{order_id}}": h.Order.ID}
		checkPlaceholders(location, "success", nil, values)
		Expect(location).To(Equal(substitute(success, values)),
			"the success URL: only %v substituted (query-escaped), every other byte as the merchant wrote it", keys(values))
	})

	/*
		Rule: the HPP session expires one hour before the KCO order it hosts, which is valid 48 hours after its last update.
		Source: D-create and D-create (seed 004) ("the HPP Session will expire 1 hour before the Payment Session"), K-kco-err (48 hours), K-kco-read (last_modified_at)
	*/
	It("MUST set the HPP session's expires_at one hour before the KCO order expires", Label(fw.Expiry), fw.Cites("D-create", "K-kco-err", "K-kco-read"), fw.CatchesKCO(mock.FaultHPPExpiryNotOneHourBefore, "MUST be 1h before the KCO order expires"), fw.Timeout, func(ctx SpecContext) {
		h := f.NewHPPSession(ctx)
		last := lastTouched(f.ReadKCOOrder(ctx, h.Order.ID))
		Expect(last).NotTo(BeNil(), "the KCO read MUST carry last_modified_at or started_at: the order's 48 hours run from there")
		want := last.Add(kcoLifetime - hppHeadroom)
		Expect(h.Created.ExpiresAt).To(BeTemporally("~", want, slack),
			"HPP expires_at %s MUST be 1h before the KCO order expires (48h after %s; off by %s)",
			h.Created.ExpiresAt.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano), h.Created.ExpiresAt.Sub(want))
	})

	/*
		Rule: a KCO order whose amounts do not add up answers 400 BAD_VALUE naming the field, as a KP session does.
		Source: K-kco-err (400 BAD_VALUE "the error message will indicate which specific property"), N-live-bad-value, N-tax
	*/
	It("MUST answer 400 BAD_VALUE naming order_tax_amount when it is not the sum of the lines' tax", Label(fw.Errors), fw.Cites("K-kco-err", "N-live-bad-value", "N-tax"), fw.CatchesKCO(mock.FaultAmountsUnchecked, "a KCO order whose order_tax_amount does not add up"), fw.Timeout, func(ctx SpecContext) {
		body := fw.KCOOrderRequest(f.Ref)
		body.OrderTaxAmount += 100 // beyond the ±1 per line that rounding allows
		resp, err := f.API.CreateCheckoutOrderWithResponse(fw.Rejecting(ctx), body)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(fw.HaveStatus(http.StatusBadRequest), "a KCO order whose order_tax_amount does not add up")
		Expect(resp).To(fw.HaveErrorCode("BAD_VALUE"))
		Expect(resp).To(fw.MentionField("order_tax_amount"))
	})

	/*
		Rule: the KCO operations need credentials: 401 without them, as every Klarna and Kustom API.
		Source: D-auth ("If the credentials are missing or incorrect, Klarna responds with 401"), K-auth (Kustom: HTTP Basic with the API key)
	*/
	It("MUST answer 401 to createCheckoutOrder and readCheckoutOrder without credentials", Label(fw.Errors), fw.Cites("D-auth", "K-auth"), fw.Timeout, func(ctx SpecContext) {
		c := f.Unauthenticated()
		created, err := c.CreateCheckoutOrderWithResponse(ctx, fw.KCOOrderRequest(f.Ref))
		Expect(err).NotTo(HaveOccurred())
		Expect(created).To(fw.HaveStatus(http.StatusUnauthorized), "createCheckoutOrder without valid credentials")
		read, err := c.ReadCheckoutOrderWithResponse(ctx, "kconform-unknown-"+f.Ref)
		Expect(err).NotTo(HaveOccurred())
		Expect(read).To(fw.HaveStatus(http.StatusUnauthorized), "readCheckoutOrder without valid credentials")
	})

	/*
		Rule: an unknown KCO order reads 404 with the shared error body.
		Source: assumption A-kco-404
	*/
	It("MUST answer 404 to readCheckoutOrder with an unknown id", Label(fw.Errors), fw.Cites("A-kco-404"), fw.Timeout, func(ctx SpecContext) {
		resp, err := f.API.ReadCheckoutOrderWithResponse(ctx, "kconform-unknown-"+f.Ref)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(fw.HaveStatus(http.StatusNotFound), "readCheckoutOrder on an id that does not exist")
		Expect(resp).To(fw.HaveErrorCode("NOT_FOUND"))
	})

	// Serial: these specs move the target's clock, which every process of
	// a parallel run (--procs) shares; moved under another spec, it would
	// expire that spec's sessions. They run alone, after the others.
	Context("when time passes", Label(fw.Expiry, fw.Clock), Serial, func() {
		/*
			Rule: an expired KCO order reads 404 and cannot be hosted: HPP create answers 404.
			Source: assumption A-kco-404 (K-kco-err: 48 hours; S1: createHppSession 404 "Payment session has expired."; the order's own 404 by analogy with KP)
		*/
		It("MUST answer 404 to reading an expired KCO order and to hosting it in an HPP session", fw.Cites("A-kco-404"), fw.Timeout, func(ctx SpecContext) {
			o := f.CreateKCOOrder(ctx)
			last := lastTouched(f.ReadKCOOrder(ctx, o.ID))
			Expect(last).NotTo(BeNil(), "the KCO read MUST carry last_modified_at or started_at")
			f.AdvancePast(ctx, last.Add(kcoLifetime))
			gone, err := f.API.ReadCheckoutOrderWithResponse(ctx, o.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(gone).To(fw.HaveStatus(http.StatusNotFound), "an expired KCO order is not readable")
			resp, err := f.API.CreateHppSessionWithResponse(ctx, nil, api.SessionCreationRequestV1{PaymentSessionUrl: f.CheckoutOrderURL(o.ID)})
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusNotFound), "an expired KCO order cannot be hosted")
		})
	})
})
