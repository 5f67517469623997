package conformance

import (
	"net/http"

	openapi_types "github.com/oapi-codegen/runtime/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/mock"
	fw "github.com/kconform/kconform/suites/framework"
)

var _ = fw.Group("HPP link distribution", Label(fw.HPP, fw.Distribution), func() {
	f := fw.New()

	contact := func(email, phone, country, access string) api.DistributionContactV1 {
		c := api.DistributionContactV1{}
		if email != "" {
			c.Email = fw.Ptr(openapi_types.Email(email))
		}
		if phone != "" {
			c.Phone = &phone
		}
		if country != "" {
			c.PhoneCountry = &country
		}
		if access != "" {
			c.AccessId = &access
		}
		return c
	}

	/*
		Rule: a distribution with the contact data its method needs is accepted (201 or 204).
		Source: reference §1.1 (distributeHppSession 201, 204), §1.6 (method email, sms, token; "Only required if ...").
		sms and token with made-up contact data: assumption A-made-up-contact (§6.8: newer pages describe e-mail only).
	*/
	DescribeTable("with the contact data of its method",
		func(ctx SpecContext, method api.DistributionFieldsV1Method, c api.DistributionContactV1) {
			h := f.NewHPPSession(ctx)
			resp, err := f.API.DistributeHppSessionWithResponse(ctx, h.ID, api.DistributionRequestV1{Method: method, ContactInformation: c})
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatusIn(http.StatusCreated, http.StatusNoContent), "distribution by %s", method)
			f.ExpectHPPStatus(ctx, h.ID, api.WAITING)
		},
		Entry("MUST accept a distribution by email", fw.Cites("S1", "D-dist"), fw.Catches(mock.FaultDistributionUnavailable, "the target answered 503"), api.Email, contact("kconform@example.com", "", "", ""), fw.Timeout),
		Entry("MUST accept a distribution by sms", fw.Cites("A-made-up-contact"), api.Sms, contact("", "07000212345", "SE", ""), fw.Timeout),
		Entry("MUST accept a distribution by token", fw.Cites("A-made-up-contact"), api.Token, contact("", "", "", "5a5e8e70-1a96-4651-b3b6-b774012a5bbb"), fw.Timeout),
	)

	/*
		Rule: a distribution without the contact data its method needs answers 400 MISSING_CONTACT_DATA.
		Source: reference §1.6 (D-dist error table: "400 MISSING_CONTACT_DATA Incomplete email data."); contract DistributionRequestV1.
		The sms and token rows are assumption A-made-up-contact: the readable row names e-mail data only.
	*/
	DescribeTable("without the contact data of its method",
		func(ctx SpecContext, method api.DistributionFieldsV1Method, c api.DistributionContactV1) {
			h := f.NewHPPSession(ctx)
			resp, err := f.API.DistributeHppSessionWithResponse(fw.Rejecting(ctx), h.ID, api.DistributionRequestV1{Method: method, ContactInformation: c})
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusBadRequest), "distribution by %s without its contact data", method)
			Expect(resp).To(fw.HaveErrorCode("MISSING_CONTACT_DATA"))
		},
		Entry("MUST answer 400 MISSING_CONTACT_DATA to an email distribution without email", fw.Cites("D-dist"), fw.Catches(mock.FaultMissingContactAccepted, "distribution by email without its contact data"), api.Email, contact("", "07000212345", "SE", ""), fw.Timeout),
		Entry("MUST answer 400 MISSING_CONTACT_DATA to an sms distribution without phone", fw.Cites("A-made-up-contact"), api.Sms, contact("kconform@example.com", "", "SE", ""), fw.Timeout),
		Entry("MUST answer 400 MISSING_CONTACT_DATA to an sms distribution without phone_country", fw.Cites("A-made-up-contact"), api.Sms, contact("", "07000212345", "", ""), fw.Timeout),
		Entry("MUST answer 400 MISSING_CONTACT_DATA to a token distribution without access_id", fw.Cites("A-made-up-contact"), api.Token, contact("kconform@example.com", "", "", ""), fw.Timeout),
	)
})
