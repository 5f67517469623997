package conformance

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/mock"
	fw "github.com/kconform/kconform/suites/framework"
)

// merchantQuery is the query of every merchant URL: every placeholder, an
// unknown one, and a query of its own that must survive byte for byte: an
// encoded space, an encoded plus, a literal plus, an encoded placeholder
// (not a placeholder), an empty value and a bare key.
const merchantQuery = "?sid={{session_id}}&token={{authorization_token}}&order={{order_id}}&ref={{klarna_reference}}" +
	"&keep=a%20b%2Bc+d&enc=%7B%7Bsession_id%7D%7D&empty=&flag"

// substitute is what the target must make of template: each placeholder in
// values replaced by its value, query-escaped; everything else unchanged.
func substitute(template string, values map[string]string) string {
	out := template
	for placeholder, v := range values {
		out = strings.ReplaceAll(out, placeholder, url.QueryEscape(v))
	}
	return out
}

var _ = fw.Group("HPP merchant URL placeholders", Label(fw.HPP, fw.Placeholders, fw.Consumer), func() {
	f := fw.New()

	// merchantURL is the merchant URL of kind on the return receiver, with
	// merchantQuery: the consumer's browser is sent there.
	merchantURL := func(kind string) string { return f.ReturnURL(kind) + merchantQuery }

	// allURLs sets every merchant URL to its merchantURL template.
	allURLs := func() api.MerchantUrlsV1 {
		return api.MerchantUrlsV1{
			Success: fw.Ptr(merchantURL("success")), Failure: fw.Ptr(merchantURL("failure")),
			Back: fw.Ptr(merchantURL("back")), Cancel: fw.Ptr(merchantURL("cancel")), Error: fw.Ptr(merchantURL("error")),
		}
	}

	DescribeTable("when the consumer is sent back to the merchant", fw.Cites("S1", "D-create"),
		func(ctx SpecContext, action, kind string, mode *api.OptionsV1PlaceOrderMode) {
			if action == fw.Pay || mode != nil {
				// The entries name a KP mode; kco.go has the KCO order's success URL.
				f.OnlyKP()
			}
			h := f.NewHPPSession(ctx, fw.WithMode(mode), fw.WithMerchantURLs(allURLs()))
			location := fw.BackAtMerchant(f.OpensAndDoes(ctx, h, action), "after "+action)
			values := map[string]string{"{{session_id}}": h.ID}
			if action == fw.Pay {
				s := f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
				if mode == nil || *mode == api.NONE {
					Expect(s.AuthorizationToken).To(HaveValue(Not(BeEmpty())))
					values["{{authorization_token}}"] = *s.AuthorizationToken
				} else {
					Expect(s.OrderId).To(HaveValue(Not(BeEmpty())))
					values["{{order_id}}"] = *s.OrderId
				}
			}
			checkPlaceholders(location, kind, mode, values)
			Expect(location).To(Equal(substitute(merchantURL(kind), values)),
				"the %s URL after %q: only %v substituted (query-escaped), every other byte as the merchant wrote it", kind, action, keys(values))
		},
		/*
			Rule: success, mode NONE: {{session_id}} and {{authorization_token}} are filled; {{order_id}} and unknown placeholders stay.
			Source: reference §1.3 (placeholder table: authorization_token "only for KP ... in a success URL", order_id only with place_order_mode)
		*/
		Entry("MUST fill {{session_id}} and {{authorization_token}} in the success URL in mode NONE", fw.Pay, "success", fw.Mode(api.NONE), fw.Timeout),
		/*
			Rule: success, mode PLACE_ORDER: {{session_id}} and {{order_id}} are filled; {{authorization_token}} stays.
			Source: reference §1.3, §1.4
		*/
		Entry("MUST fill {{session_id}} and {{order_id}} in the success URL in mode PLACE_ORDER", fw.Pay, "success", fw.Mode(api.PLACEORDER), fw.CatchesKP(mock.FaultPlaceholderWrongMode, "{{authorization_token}} MUST stay as written in the success URL in mode PLACE_ORDER"), fw.Timeout),
		/*
			Rule: success, mode CAPTURE_ORDER: as PLACE_ORDER.
			Source: reference §1.3, §1.4
		*/
		Entry("MUST fill {{session_id}} and {{order_id}} in the success URL in mode CAPTURE_ORDER", fw.Pay, "success", fw.Mode(api.CAPTUREORDER), fw.Timeout),
		/*
			Rule: failure (decline): only {{session_id}} is filled.
			Source: reference §1.3 ({{session_id}} in every URL; token and order only in success)
		*/
		Entry("MUST fill only {{session_id}} in the failure URL", fw.Decline, "failure", nil, fw.Catches(mock.FaultPlaceholderNotEscaped, "own query MUST stay byte for byte"), fw.Timeout),
		/*
			Rule: failure in a place-order mode: only {{session_id}} is filled, no {{order_id}}.
			Source: reference §1.3
		*/
		Entry("MUST fill only {{session_id}} in the failure URL in mode PLACE_ORDER", fw.Decline, "failure", fw.Mode(api.PLACEORDER), fw.Timeout),
		/*
			Rule: back: only {{session_id}} is filled.
			Source: reference §1.3
		*/
		Entry("MUST fill only {{session_id}} in the back URL", fw.Back, "back", nil, fw.Catches(mock.FaultPlaceholderUnsubstituted, "{{session_id}} MUST be filled in the back URL"), fw.Timeout),
		/*
			Rule: cancel: only {{session_id}} is filled.
			Source: reference §1.3
		*/
		Entry("MUST fill only {{session_id}} in the cancel URL", fw.Cancel, "cancel", nil, fw.Timeout),
		/*
			Rule: error: only {{session_id}} is filled, in the error URL itself when one is set.
			Source: reference §1.3
		*/
		Entry("MUST fill only {{session_id}} in the error URL", fw.Error, "error", nil, fw.Timeout),
	)

	/*
		Rule: a placeholder is filled everywhere it appears, not only the first time.
		Source: assumption A-placeholder-text: reference §1.3 (examples carry {{session_id}} more than once across URLs, never twice in one)
	*/
	It("MUST fill a placeholder every time it appears in a URL", fw.Cites("A-placeholder-text"), fw.Timeout, func(ctx SpecContext) {
		success := f.ReturnURL("repeat") + "?a={{session_id}}&b={{session_id}}&t1={{authorization_token}}&t2={{authorization_token}}&o1={{order_id}}&o2={{order_id}}"
		h := f.NewHPPSession(ctx, fw.WithMerchantURLs(api.MerchantUrlsV1{Success: &success}))
		location := fw.BackAtMerchant(f.OpensAndDoes(ctx, h, fw.Pay), "after paying")
		s := f.ExpectHPPStatus(ctx, h.ID, api.COMPLETED)
		values := map[string]string{"{{session_id}}": h.ID}
		if f.PlacesOrder(nil) { // a KCO order completes with order_id (seed 004)
			Expect(s.OrderId).To(HaveValue(Not(BeEmpty())))
			values["{{order_id}}"] = *s.OrderId
		} else {
			Expect(s.AuthorizationToken).To(HaveValue(Not(BeEmpty())))
			values["{{authorization_token}}"] = *s.AuthorizationToken
		}
		Expect(location).To(Equal(substitute(success, values)))
	})

	/*
		Rule: text that is not one of the three placeholders is left exactly as written.
		Source: assumption A-placeholder-text: reference §1.3 ("{{klarna_reference}}" and "{{profile_id}}" are not merchant_url placeholders; nothing says what becomes of them)
	*/
	It("MUST leave unknown placeholders exactly as written", fw.Cites("A-placeholder-text"), fw.Timeout, func(ctx SpecContext) {
		back := f.ReturnURL("unknown") + "?r={{klarna_reference}}&p={{profile_id}}&u={{unknown}}&c={{SESSION_ID}}&s={{session_id}}&half={{session_id"
		h := f.NewHPPSession(ctx, fw.WithMerchantURLs(api.MerchantUrlsV1{Back: &back}))
		location := fw.BackAtMerchant(f.OpensAndDoes(ctx, h, fw.Back), "after going back")
		Expect(location).To(Equal(substitute(back, map[string]string{"{{session_id}}": h.ID})))
	})

	Context("when a merchant URL is missing", func() {
		/*
			Rule: with no error URL, an error sends the consumer to the failure URL.
			Source: reference §1.3 (D-create: "When error is empty or null, the failure definition will be used.")
		*/
		It("MUST send the consumer to the failure URL on an error when no error URL is set", fw.Cites("D-create"), fw.Catches(mock.FaultErrorFallbackMissing, "the error falls back to the failure URL"), fw.Timeout, func(ctx SpecContext) {
			failure := merchantURL("failure")
			h := f.NewHPPSession(ctx, fw.WithMerchantURLs(api.MerchantUrlsV1{Failure: &failure}))
			location := fw.BackAtMerchant(f.OpensAndDoes(ctx, h, fw.Error), "the error falls back to the failure URL")
			Expect(location).To(Equal(substitute(failure, map[string]string{"{{session_id}}": h.ID})), "the error falls back to the failure URL")
			f.ExpectHPPStatus(ctx, h.ID, api.ERROR)
		})

		DescribeTable("the consumer sees a generic page", fw.Cites("D-create"),
			func(ctx SpecContext, urls func() *api.MerchantUrlsV1, action string) {
				edits := []func(*api.SessionCreationRequestV1){}
				if u := urls(); u != nil {
					edits = append(edits, fw.WithMerchantURLs(*u))
				}
				h := f.NewHPPSession(ctx, edits...)
				landing := f.OpensAndDoes(ctx, h, action)
				Expect(landing.Returned).To(BeNil(), "no merchant URL to go to, yet the consumer arrived at %s", landing.URL)
				p := f.LandedPage(landing)
				Expect(p.Status).To(Equal(http.StatusOK), "the generic confirmation page %s answers; body:\n%s", landing.URL, p.Body)
			},
			/*
				Rule: an empty success URL shows the consumer a generic confirmation page.
				Source: reference §1.3 (D-create: "If success, cancel or failure is empty or null, the consumer sees a generic action confirmation page")
			*/
			Entry("MUST show a generic page after paying when the success URL is empty", func() *api.MerchantUrlsV1 { return &api.MerchantUrlsV1{Success: fw.Ptr("")} }, fw.Pay, fw.Timeout),
			/*
				Rule: without any merchant URL, a decline shows a generic page.
				Source: reference §1.3 (D-create)
			*/
			Entry("MUST show a generic page after a decline when no merchant URL is set", func() *api.MerchantUrlsV1 { return nil }, fw.Decline, fw.Timeout),
			/*
				Rule: with neither error nor failure URL, an error shows a generic page.
				Source: reference §1.3 (D-create: error falls back to failure, failure to the generic page)
			*/
			Entry("MUST show a generic page after an error when neither error nor failure URL is set", func() *api.MerchantUrlsV1 { return &api.MerchantUrlsV1{Success: fw.Ptr(merchantURL("success"))} }, fw.Error, fw.Timeout),
		)
	})
})

// checkPlaceholders names the rule a wrong Location breaks before the
// byte-for-byte comparison does: which placeholder was (not) filled, and
// whether the merchant's own query survived.
func checkPlaceholders(location, kind string, mode *api.OptionsV1PlaceOrderMode, values map[string]string) {
	GinkgoHelper()
	u, err := url.Parse(location)
	Expect(err).NotTo(HaveOccurred(), "the %s redirect %q is not a URL", kind, location)
	q := u.Query()
	m := "NONE (default)"
	if mode != nil {
		m = string(*mode)
	}
	for param, placeholder := range map[string]string{"sid": "{{session_id}}", "token": "{{authorization_token}}", "order": "{{order_id}}"} {
		if v, filled := values[placeholder]; filled {
			Expect(q.Get(param)).To(Equal(v), "%s MUST be filled in the %s URL in mode %s", placeholder, kind, m)
		} else {
			Expect(q.Get(param)).To(Equal(placeholder), "%s MUST stay as written in the %s URL in mode %s", placeholder, kind, m)
		}
	}
	Expect(q.Get("ref")).To(Equal("{{klarna_reference}}"), "an unknown placeholder MUST stay as written")
	Expect(u.RawQuery).To(ContainSubstring("&keep=a%20b%2Bc+d&enc=%7B%7Bsession_id%7D%7D&empty=&flag"),
		"the merchant URL's own query MUST stay byte for byte (its escapes neither decoded nor re-encoded)")
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
