package conformance

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/mock"
	fw "github.com/kconform/kconform/suites/framework"
)

// respond hands a generated response on as a framework Response, or the
// error; never a typed nil inside a non-nil interface.
func respond[T fw.Response](r T, err error) (fw.Response, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}

// operation calls one API operation with client c on id (an HPP session id,
// KP session id or authorization token, as the operation needs), with a
// valid body where it takes one.
type operation struct {
	id   string
	call func(ctx context.Context, f *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error)
}

// operations are every API operation of the contract.
var operations = []operation{
	{"createCreditSession", func(ctx context.Context, f *fw.Framework, c *api.ClientWithResponses, _ string) (fw.Response, error) {
		return respond(c.CreateCreditSessionWithResponse(ctx, fw.KPSessionRequest(f.Ref)))
	}},
	{"readCreditSession", func(ctx context.Context, _ *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.ReadCreditSessionWithResponse(ctx, id))
	}},
	{"updateCreditSession", func(ctx context.Context, f *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.UpdateCreditSessionWithResponse(ctx, id, api.Session{MerchantReference2: fw.Ptr(f.Ref)}))
	}},
	{"createOrder", func(ctx context.Context, f *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.CreateOrderWithResponse(ctx, id, fw.OrderRequest(fw.KPSessionRequest(f.Ref))))
	}},
	{"cancelAuthorization", func(ctx context.Context, _ *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.CancelAuthorizationWithResponse(ctx, id))
	}},
	{"purchaseToken", func(ctx context.Context, _ *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.PurchaseTokenWithResponse(ctx, id, api.CustomerTokenCreationRequest{
			Description: "kconform subscription", IntendedUse: api.SUBSCRIPTION, Locale: "sv-SE", PurchaseCountry: "SE", PurchaseCurrency: "SEK",
		}))
	}},
	{"createHppSession", func(ctx context.Context, f *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.CreateHppSessionWithResponse(ctx, nil, f.HPPRequest(id)))
	}},
	{"getSessionById", func(ctx context.Context, _ *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.GetSessionByIdWithResponse(ctx, id))
	}},
	{"disableHppSession", func(ctx context.Context, _ *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.DisableHppSessionWithResponse(ctx, id))
	}},
	{"distributeHppSession", func(ctx context.Context, _ *fw.Framework, c *api.ClientWithResponses, id string) (fw.Response, error) {
		return respond(c.DistributeHppSessionWithResponse(ctx, id, emailDistribution()))
	}},
}

// breakage is one way to make a valid body invalid, and the field the error
// message must then name (Klarna's notation: order_lines[0].name).
type breakage struct {
	field string
	edit  func(m map[string]any)
}

// body is valid broken as b says, for a *WithBody client method.
func (b breakage) body(valid any) io.Reader {
	m := fw.AsMap(valid)
	b.edit(m)
	return fw.JSON(m)
}

// expectRefused expects the answer to the broken body: 400 naming b.field;
// what names the request in the failure ("a KP session").
func (b breakage) expectRefused(resp fw.Response, err error, what string) {
	GinkgoHelper()
	Expect(err).NotTo(HaveOccurred())
	Expect(resp).To(fw.HaveStatus(http.StatusBadRequest), "%s with a bad %s", what, b.field)
	Expect(resp).To(fw.MentionField(b.field))
}

// missing is the breakage that deletes field.
func missing(field string) breakage {
	path := pathOf(field)
	return breakage{field, func(m map[string]any) { edit(m, path, nil, true) }}
}

// invalid is the breakage that sets field to value.
func invalid(field string, value any) breakage {
	path := pathOf(field)
	return breakage{field, func(m map[string]any) { edit(m, path, value, false) }}
}

// pathOf is field in Klarna's notation (options.color_border,
// order_lines[0].name) as the keys and indexes edit walks, so a breakage
// names its field once. A malformed field is a bug in a table: it panics
// as the spec tree is built.
func pathOf(field string) []any {
	var path []any
	for _, part := range strings.Split(field, ".") {
		key, indexes, _ := strings.Cut(part, "[")
		path = append(path, key)
		for _, ix := range strings.Split(indexes, "[") {
			if ix == "" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSuffix(ix, "]"))
			if err != nil || !strings.HasSuffix(ix, "]") || key == "" {
				panic(fmt.Sprintf("breakage of %q: not a field in Klarna's notation (options.color_border, order_lines[0].name)", field))
			}
			path = append(path, n)
		}
	}
	return path
}

// edit walks path (string keys, int indexes) in a decoded JSON body and
// sets or deletes the last element. A path that does not exist is created.
func edit(m map[string]any, path []any, value any, del bool) {
	var cur any = m
	for i, p := range path {
		last := i == len(path)-1
		switch k := p.(type) {
		case string:
			obj := cur.(map[string]any)
			if last {
				if del {
					delete(obj, k)
				} else {
					obj[k] = value
				}
				return
			}
			if _, ok := obj[k]; !ok {
				obj[k] = map[string]any{}
			}
			cur = obj[k]
		case int:
			arr := cur.([]any)
			if last {
				arr[k] = value
				return
			}
			cur = arr[k]
		}
	}
}

var _ = fw.Group("Errors", Label(fw.Errors), func() {
	f := fw.New()

	unknown := func() string { return "kconform-unknown-" + f.Ref }

	// One spec of each family is enough to prove a fault caught.
	authCatches := map[string]Labels{"getSessionById": fw.Catches(mock.FaultAuthNotEnforced, "getSessionById without valid credentials")}
	notFoundCatches := map[string]Labels{"readCreditSession": fw.Catches(mock.FaultErrorBodyWrongShape, "/error_code [schema.required]")}
	authEntries := []TableEntry{}
	notFoundEntries := []TableEntry{}
	for _, op := range operations {
		area, document := fw.KP, "S2"
		if strings.Contains(op.id, "Hpp") || op.id == "getSessionById" {
			area, document = fw.HPP, "S1"
		}
		wrongPassword := fw.Cites("D-auth", document)
		if op.id == "createCreditSession" { // the playground answered wrong credentials here with 401
			wrongPassword = fw.Cites("D-auth", document, "REC-solidus-401")
		}
		/*
			Rule: missing credentials answer 401, on every operation.
			Source: reference §4 (D-auth: "If the credentials are missing or incorrect, Klarna responds with 401 Unauthorized")
		*/
		authEntries = append(authEntries,
			Entry(fmt.Sprintf("MUST answer 401 to %s without credentials", op.id), Label(area), fw.Cites("D-auth", document), authCatches[op.id], op, false, fw.Timeout),
			Entry(fmt.Sprintf("MUST answer 401 to %s with a wrong password", op.id), Label(area), wrongPassword, op, true, fw.Timeout))
		if op.id != "createCreditSession" {
			/*
				Rule: an unknown id answers 404, on every operation that takes one.
				Source: reference §1.1, §2.1 (404 on every operation with an id), §3.3
			*/
			notFoundEntries = append(notFoundEntries,
				Entry(fmt.Sprintf("MUST answer 404 to %s with an unknown id", op.id), Label(area), fw.Cites(document), notFoundCatches[op.id], op, fw.Timeout))
		}
	}

	DescribeTable("authentication",
		func(ctx SpecContext, op operation, wrongPassword bool) {
			c := f.Unauthenticated()
			if wrongPassword {
				c = f.WrongCredentials()
			}
			resp, err := op.call(ctx, f, c, unknown())
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusUnauthorized), "%s without valid credentials", op.id)
		},
		authEntries,
	)

	DescribeTable("unknown ids",
		func(ctx SpecContext, op operation) {
			resp, err := op.call(ctx, f, f.API, unknown())
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(fw.HaveStatus(http.StatusNotFound), "%s on an id that does not exist", op.id)
		},
		notFoundEntries,
	)

	// The evidence of the KP 400s: Klarna's KP document and error page, and
	// the real captures where the playground named a missing field.
	kpDocs := fw.Cites("S2", "D-kperr")
	sessionRecorded := fw.Cites("S2", "D-kperr", "REC-solidus-400", "REC-nebulab-session")
	orderRecorded := fw.Cites("S2", "D-kperr", "REC-nebulab-order")
	tokenRecorded := fw.Cites("S2", "D-kperr", "REC-nebulab-token")

	// kpCreate sends a KP session body broken by b and expects 400 naming b.field.
	kpCreate := func(ctx SpecContext, b breakage) {
		resp, err := f.API.CreateCreditSessionWithBodyWithResponse(fw.Rejecting(ctx), "application/json", b.body(fw.KPSessionRequest(f.Ref)))
		b.expectRefused(resp, err, "a KP session")
	}

	/*
		Rule: a KP session without a required field answers 400 naming the field.
		Source: reference §2.2 (session_create required: order_amount, order_lines, purchase_country, purchase_currency; order_line required), §2.3 (BAD_VALUE "Bad value: order_amount").
		Recorded for purchase_country and purchase_currency: the playground answered {} with "Bad value: purchase_currency, purchase_country".
	*/
	DescribeTable("a KP session without a required field", Label(fw.KP), kpCreate,
		Entry("MUST answer 400 naming order_amount when it is missing", kpDocs, missing("order_amount"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines when it is missing", kpDocs, missing("order_lines"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_country when it is missing", sessionRecorded, missing("purchase_country"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_currency when it is missing", sessionRecorded, fw.Catches(mock.FaultValidationOff, "a KP session with a bad purchase_currency"), missing("purchase_currency"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].name when it is missing", kpDocs, missing("order_lines[0].name"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].quantity when it is missing", kpDocs, missing("order_lines[0].quantity"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].unit_price when it is missing", kpDocs, missing("order_lines[0].unit_price"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].total_amount when it is missing", kpDocs, missing("order_lines[0].total_amount"), fw.Timeout),
	)

	/*
		Rule: a KP session that breaks a constraint (enum, pattern, length, type, range) answers 400 naming the field.
		Source: reference §2.2 (patterns, enums, lengths), Appendix B; §2.3 (400 BAD_VALUE).
		Enum breakages use values outside the enum in any case: the real playground accepted intended_use "subscription"
		(shared/recordings nebulab-klarna_proxy__*customer_token*success*), and Klarna's docs send acquiring_channel "in_store"
		and lower-case intents, so a value that differs only in case is no proof of a breach.
	*/
	DescribeTable("a KP session that breaks a constraint", Label(fw.KP), kpDocs, kpCreate,
		Entry("MUST answer 400 naming acquiring_channel when it is not in its enum", invalid("acquiring_channel", "ONLINE"), fw.Timeout),
		Entry("MUST answer 400 naming intent when it is not in its enum", invalid("intent", "purchase"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_country when it is not two letters", invalid("purchase_country", "SWE"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_currency when it is not three letters", invalid("purchase_currency", "SE"), fw.Timeout),
		Entry("MUST answer 400 naming locale when it does not match RFC 1766", invalid("locale", "sv_SE"), fw.Timeout),
		Entry("MUST answer 400 naming options.color_border when it is not a hex colour", invalid("options.color_border", "red"), fw.Timeout),
		Entry("MUST answer 400 naming merchant_reference1 when it is longer than 255", invalid("merchant_reference1", strings.Repeat("r", 256)), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].name when it is empty", invalid("order_lines[0].name", ""), fw.Timeout),
		Entry("MUST answer 400 naming order_lines when it is empty", invalid("order_lines", []any{}), fw.Timeout),
		Entry("MUST answer 400 naming order_amount when it is a string", invalid("order_amount", "10000"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].quantity when it is a fraction", invalid("order_lines[0].quantity", 1.5), fw.Timeout),
		Entry("MUST answer 400 naming order_amount when it is negative", invalid("order_amount", -1), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].tax_rate when it is above 10000", invalid("order_lines[0].tax_rate", 10001), fw.Timeout),
	)

	/*
		Rule: an HPP session request that breaks the contract answers 400 naming the field.
		Source: reference §1.2 (payment_session_url required), §1.4 (enums; D-hppkp: both category fields "will end up in a refused request").
		Assumption A-hpp-error-body: that the 400's body names the field (§3.4: no HPP error body is documented or recorded).
		Enum breakages use values outside the enum in any case: Klarna's docs write the categories in lower case (§6.7).
	*/
	DescribeTable("an invalid HPP session request", Label(fw.HPP), fw.Cites("A-hpp-error-body"),
		func(ctx SpecContext, b breakage) {
			valid := api.SessionCreationRequestV1{PaymentSessionUrl: f.NewPaymentURL(ctx)}
			resp, err := f.API.CreateHppSessionWithBodyWithResponse(fw.Rejecting(ctx), nil, "application/json", b.body(valid))
			b.expectRefused(resp, err, "an HPP session")
		},
		Entry("MUST answer 400 naming payment_session_url when it is missing", missing("payment_session_url"), fw.Timeout),
		Entry("MUST answer 400 naming payment_session_url when it is not a URL", invalid("payment_session_url", "not a url"), fw.Timeout),
		Entry("MUST answer 400 naming options.place_order_mode when it is not in its enum", invalid("options.place_order_mode", "PLACE"), fw.Timeout),
		Entry("MUST answer 400 naming options.payment_method_category when it is not in its enum", invalid("options.payment_method_category", "PAY_SOMETIME"), fw.Timeout),
		Entry("MUST answer 400 naming options when payment_method_category and payment_method_categories are both set", breakage{"options", func(m map[string]any) {
			edit(m, []any{"options", "payment_method_category"}, "PAY_LATER", false)
			edit(m, []any{"options", "payment_method_categories"}, []any{"PAY_NOW"}, false)
		}}, fw.Timeout),
	)

	/*
		Rule: a distribution request that breaks the contract answers 400 naming the field.
		Source: reference §1.6 (DistributionRequestV1 required contact_information, method; method enum sms, email, token).
		Assumption A-hpp-error-body: that the 400's body names the field (§3.4).
	*/
	DescribeTable("an invalid distribution request", Label(fw.HPP, fw.Distribution), fw.Cites("A-hpp-error-body"),
		func(ctx SpecContext, b breakage) {
			h := f.NewHPPSession(ctx)
			resp, err := f.API.DistributeHppSessionWithBodyWithResponse(fw.Rejecting(ctx), h.ID, "application/json", b.body(emailDistribution()))
			b.expectRefused(resp, err, "a distribution")
		},
		Entry("MUST answer 400 naming method when it is missing", missing("method"), fw.Timeout),
		Entry("MUST answer 400 naming method when it is not in its enum", invalid("method", "fax"), fw.Timeout),
		Entry("MUST answer 400 naming contact_information when it is missing", missing("contact_information"), fw.Timeout),
	)

	/*
		Rule: a KP session update that breaks a constraint (enum, pattern, length, type, range) answers 400 naming the field.
		Source: reference §2.1 (updateCreditSession 400 "We were unable to update the session"), §2.2 (session: the same properties as session_create, no required list), §2.3 (400 BAD_VALUE)
	*/
	DescribeTable("an invalid KP session update", Label(fw.KP), kpDocs,
		func(ctx SpecContext, b breakage) {
			kp := f.CreateKPSession(ctx)
			resp, err := f.API.UpdateCreditSessionWithBodyWithResponse(fw.Rejecting(ctx), kp.ID, "application/json", b.body(api.Session{MerchantReference2: fw.Ptr(f.Ref)}))
			b.expectRefused(resp, err, "a KP session update")
		},
		Entry("MUST answer 400 naming intent when it is not in its enum", invalid("intent", "purchase"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_country when it is not two letters", invalid("purchase_country", "SWE"), fw.Timeout),
		Entry("MUST answer 400 naming locale when it does not match RFC 1766", invalid("locale", "sv_SE"), fw.Timeout),
		Entry("MUST answer 400 naming merchant_reference2 when it is longer than 255", invalid("merchant_reference2", strings.Repeat("r", 256)), fw.Timeout),
		Entry("MUST answer 400 naming order_amount when it is a string", invalid("order_amount", "10000"), fw.Timeout),
		Entry("MUST answer 400 naming order_amount when it is negative", invalid("order_amount", -1), fw.Timeout),
	)

	/*
		Rule: a create-order request that breaks the contract answers 400 naming the field.
		Source: reference §2.1 (createOrder 400 "We were unable to create an order with the provided data"), §2.2 (create_order_request required order_amount, order_lines, purchase_country, purchase_currency; order_line), §2.3 (400 BAD_VALUE).
		Recorded for the missing fields: the playground answered {} with "Bad value: purchase_country, order_amount, order_lines, purchase_currency".
	*/
	DescribeTable("an invalid create-order request", Label(fw.KP, fw.Consumer),
		func(ctx SpecContext, b breakage) {
			h, token := f.Authorize(ctx)
			resp, err := f.API.CreateOrderWithBodyWithResponse(fw.Rejecting(ctx), token, "application/json", b.body(fw.OrderRequest(h.KP.Request)))
			b.expectRefused(resp, err, "an order")
		},
		Entry("MUST answer 400 naming order_amount when it is missing", orderRecorded, missing("order_amount"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines when it is missing", orderRecorded, missing("order_lines"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_country when it is missing", orderRecorded, missing("purchase_country"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_currency when it is not three letters", kpDocs, invalid("purchase_currency", "SE"), fw.Timeout),
		Entry("MUST answer 400 naming order_lines[0].quantity when it is a fraction", kpDocs, invalid("order_lines[0].quantity", 1.5), fw.Timeout),
		Entry("MUST answer 400 naming auto_capture when it is not a boolean", kpDocs, invalid("auto_capture", "yes"), fw.Timeout),
	)

	/*
		Rule: a customer-token request that breaks the contract answers 400 naming the field.
		Source: reference §2.1 (purchaseToken 400 → ErrorV2), §2.2 (customer_token_creation_request required description 1..255, intended_use enum SUBSCRIPTION, locale, purchase_country, purchase_currency), §2.3 (400 BAD_VALUE).
		Recorded for description and intended_use: the playground answered {} with "Bad value: description, intended_use" (and named
		nothing else, so whether it checks locale is not shown).
	*/
	DescribeTable("an invalid customer-token request", Label(fw.KP, fw.Consumer),
		func(ctx SpecContext, b breakage) {
			h, token := f.Authorize(ctx, fw.WithIntent(api.Tokenize))
			resp, err := f.API.PurchaseTokenWithBodyWithResponse(fw.Rejecting(ctx), token, "application/json", b.body(fw.CustomerTokenRequest(h.KP.Request)))
			b.expectRefused(resp, err, "a customer-token request")
		},
		Entry("MUST answer 400 naming description when it is missing", tokenRecorded, missing("description"), fw.Timeout),
		Entry("MUST answer 400 naming intended_use when it is missing", tokenRecorded, missing("intended_use"), fw.Timeout),
		Entry("MUST answer 400 naming locale when it is missing", kpDocs, missing("locale"), fw.Timeout),
		Entry("MUST answer 400 naming description when it is empty", kpDocs, invalid("description", ""), fw.Timeout),
		Entry("MUST answer 400 naming intended_use when it is not in its enum", kpDocs, invalid("intended_use", "RECURRING"), fw.Timeout),
		Entry("MUST answer 400 naming purchase_country when it is not two letters", kpDocs, invalid("purchase_country", "SWE"), fw.Timeout),
	)

	/*
		Rule: a customer-token request whose currency and country do not match the session answers 409 BAD_VALUE.
		Source: reference §2.1 (purchaseToken 409), §2.3 (D-kperr 409 BAD_VALUE "Not matching fields...")
	*/
	It("MUST answer 409 BAD_VALUE to a customer-token request whose currency and country do not match the session", Label(fw.KP, fw.Consumer), fw.Cites("S2", "D-kperr"), fw.Timeout, func(ctx SpecContext) {
		h, token := f.Authorize(ctx, fw.WithIntent(api.Tokenize))
		body := fw.CustomerTokenRequest(h.KP.Request)
		body.PurchaseCountry, body.PurchaseCurrency = "DE", "EUR"
		resp, err := f.API.PurchaseTokenWithResponse(ctx, token, body)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(fw.HaveStatus(http.StatusConflict), "a customer token in %s/%s against a session in %s/%s", body.PurchaseCountry, body.PurchaseCurrency, h.KP.Request.PurchaseCountry, h.KP.Request.PurchaseCurrency)
		Expect(resp).To(fw.HaveErrorCode("BAD_VALUE"))
	})

	/*
		Rule: an order whose data does not match the session answers 409.
		Source: reference §2.1 (createOrder 409 "does not match the session"), §3.3 (D-kperr 409 BAD_VALUE "Not matching fields")
	*/
	It("MUST answer 409 to an order whose amounts do not match the session", Label(fw.KP, fw.Consumer), fw.Cites("S2", "D-kperr", "D-kporder"), fw.CatchesKP(mock.FaultOrderMismatchAccepted, "against a session of"), fw.Timeout, func(ctx SpecContext) {
		h, token := f.Authorize(ctx)
		order := fw.OrderRequest(h.KP.Request)
		order.OrderAmount *= 2
		order.OrderLines = []api.OrderLine{order.OrderLines[0]}
		order.OrderLines[0].Quantity, order.OrderLines[0].TotalAmount, order.OrderLines[0].TotalTaxAmount = 2, order.OrderAmount, fw.Ptr(*order.OrderTaxAmount*2)
		order.OrderTaxAmount = fw.Ptr(*order.OrderTaxAmount * 2)
		resp, err := f.API.CreateOrderWithResponse(ctx, token, order)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(fw.HaveStatus(http.StatusConflict), "order_amount %d against a session of %d", order.OrderAmount, h.KP.Request.OrderAmount)
		Expect(f.ReadKPSession(ctx, h.KP.ID).Status).To(HaveValue(Equal(api.Incomplete)), "no order was placed")
	})

	/*
		Rule: an error carries its correlation id in the Klarna-Correlation-Id header and the same value in the body.
		Source: reference §2.3 (REC: "The Klarna-Correlation-Id header equals correlation_id in the body"); contract ErrorV2, KlarnaCorrelationId.
		The KP 400 is recorded (solidus, nebulab); for the KP 404, D-kpread documents the body's correlation_id and every recorded
		KP answer (saleor's 200s too) carries the header.
		The HPP entries are assumption A-hpp-error-body: every recorded error is a KP one (§3.4).
	*/
	DescribeTable("correlation ids",
		func(ctx SpecContext, call func(ctx context.Context) (fw.Response, http.Header, error)) {
			resp, header, err := call(ctx)
			Expect(err).NotTo(HaveOccurred())
			if s := resp.StatusCode(); s < 400 {
				Fail(fmt.Sprintf("expected a 4xx refusal, the target answered %d", s))
			}
			e, err := fw.ErrorBody(resp)
			if err != nil {
				Fail(err.Error()) // its own words, not Gomega's dump of the error value
			}
			Expect(header.Get("Klarna-Correlation-Id")).NotTo(BeEmpty(), "the Klarna-Correlation-Id header is missing")
			Expect(e.CorrelationId).To(Equal(header.Get("Klarna-Correlation-Id")), "correlation_id in the body MUST equal the Klarna-Correlation-Id header")
		},
		Entry("MUST send the same correlation id in the header and the body of a KP 400", Label(fw.KP), fw.Cites("D-err", "REC-solidus-400", "REC-nebulab-session"), func(ctx context.Context) (fw.Response, http.Header, error) {
			body := fw.AsMap(fw.KPSessionRequest(f.Ref))
			delete(body, "purchase_currency")
			r, err := f.API.CreateCreditSessionWithBodyWithResponse(fw.Rejecting(ctx), "application/json", fw.JSON(body))
			if err != nil {
				return nil, nil, err
			}
			return r, r.HTTPResponse.Header, nil
		}, fw.Timeout),
		Entry("MUST send the same correlation id in the header and the body of a KP 404", Label(fw.KP), fw.Cites("D-err", "D-kpread", "REC-saleor"), fw.Catches(mock.FaultCorrelationIDMismatch, "[error.correlation-id-mismatch]"), func(ctx context.Context) (fw.Response, http.Header, error) {
			r, err := f.API.ReadCreditSessionWithResponse(ctx, unknown())
			if err != nil {
				return nil, nil, err
			}
			return r, r.HTTPResponse.Header, nil
		}, fw.Timeout),
		Entry("MUST send the same correlation id in the header and the body of an HPP 404", Label(fw.HPP), fw.Cites("A-hpp-error-body"), func(ctx context.Context) (fw.Response, http.Header, error) {
			r, err := f.API.GetSessionByIdWithResponse(ctx, unknown())
			if err != nil {
				return nil, nil, err
			}
			return r, r.HTTPResponse.Header, nil
		}, fw.Timeout),
		Entry("MUST send the same correlation id in the header and the body of an HPP 400", Label(fw.HPP), fw.Cites("A-hpp-error-body"), func(ctx context.Context) (fw.Response, http.Header, error) {
			r, err := f.API.CreateHppSessionWithBodyWithResponse(fw.Rejecting(ctx), nil, "application/json", strings.NewReader(`{}`))
			if err != nil {
				return nil, nil, err
			}
			return r, r.HTTPResponse.Header, nil
		}, fw.Timeout),
	)

	/*
		Rule: JSON bodies, success or error, are sent as application/json.
		Source: reference §2.3 (REC: "content-type: application/json", success "application/json;charset=utf-8"); contract responses
	*/
	It("MUST answer application/json on success and on errors", Label(fw.HPP, fw.KP), fw.Cites("S1", "S2", "REC-saleor", "REC-solidus-400"), fw.Timeout, func(ctx SpecContext) {
		kp, err := f.API.CreateCreditSessionWithResponse(ctx, fw.KPSessionRequest(f.Ref))
		Expect(err).NotTo(HaveOccurred())
		Expect(kp).To(fw.HaveStatus(http.StatusOK))
		Expect(kp.JSON200).NotTo(BeNil(), "a KP session 200 without a JSON body")
		hpp, err := f.API.CreateHppSessionWithResponse(ctx, nil, f.HPPRequest(kp.JSON200.SessionId))
		Expect(err).NotTo(HaveOccurred())
		Expect(hpp).To(fw.HaveStatus(http.StatusCreated))
		Expect(hpp.JSON201).NotTo(BeNil(), "an HPP session 201 without a JSON body")
		DeferCleanup(func(ctx SpecContext) { _, _ = f.API.DisableHppSessionWithResponse(ctx, hpp.JSON201.SessionId) })
		missing, err := f.API.ReadCreditSessionWithResponse(ctx, unknown())
		Expect(err).NotTo(HaveOccurred())
		Expect(missing).To(fw.HaveStatus(http.StatusNotFound))
		for _, r := range []fw.Response{kp, hpp, missing} {
			mt, _, err := mime.ParseMediaType(r.ContentType())
			Expect(err).NotTo(HaveOccurred(), "Content-Type %q of a %d", r.ContentType(), r.StatusCode())
			Expect(mt).To(Equal("application/json"), "Content-Type of a %d", r.StatusCode())
		}
	})

	/*
		Rule: a request body that is not JSON is refused with a 4xx, not accepted or answered 5xx.
		Source: assumption A-not-json: the contract lists only application/json request bodies; Klarna does not document the answer (400 or 415)
	*/
	It("MUST refuse a request body that is not JSON with a 4xx", Label(fw.KP), fw.Cites("A-not-json"), fw.Timeout, func(ctx SpecContext) {
		resp, err := f.API.CreateCreditSessionWithBodyWithResponse(fw.Rejecting(ctx), "text/plain", strings.NewReader("order_amount=10000"))
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(fw.HaveStatusIn(http.StatusBadRequest, http.StatusUnsupportedMediaType))
	})
})
