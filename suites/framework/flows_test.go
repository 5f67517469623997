package framework

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/generated/api"
)

// A setup call that fails says which call, and how: no answer, the wrong
// status, or no JSON body; the body is read only from an answer.
func TestAnsweredNamesTheCallThatFailed(t *testing.T) {
	RegisterTestingT(t) // InterceptGomegaFailure takes the failures from it
	answer := func(status int, order *api.CheckoutOrder) *api.ReadCheckoutOrderResponse {
		return &api.ReadCheckoutOrderResponse{Body: []byte(`{}`), HTTPResponse: &http.Response{StatusCode: status}, JSON200: order}
	}
	order := &api.CheckoutOrder{OrderId: "o1"}
	for _, tt := range []struct {
		name string
		resp *api.ReadCheckoutOrderResponse
		err  error
		want string // in the failure; "" for none
	}{
		{"no answer", nil, errors.New("connection refused"), "read KCO order o1\n"},
		{"wrong status", answer(http.StatusInternalServerError, nil), nil, "Expected HTTP status 200, the target answered 500"},
		{"no body", answer(http.StatusOK, nil), nil, "read KCO order o1: no JSON body"},
		{"answered", answer(http.StatusOK, order), nil, ""},
	} {
		var got api.CheckoutOrder
		failure := InterceptGomegaFailure(func() { got = answered200(tt.resp, tt.err, "read KCO order o1") })
		switch {
		case tt.want == "" && failure != nil:
			t.Errorf("%s: failed: %v", tt.name, failure)
		case tt.want == "" && got.OrderId != "o1":
			t.Errorf("%s: body %+v, want the order", tt.name, got)
		case tt.want != "" && (failure == nil || !strings.Contains(failure.Error(), tt.want)):
			t.Errorf("%s: failure %v, want it to say %q", tt.name, failure, tt.want)
		}
	}
	created := &api.CreateCheckoutOrderResponse{Body: []byte(`{}`), HTTPResponse: &http.Response{StatusCode: http.StatusOK}, JSON201: order}
	if failure := InterceptGomegaFailure(func() { answered201(created, nil, "create a KCO order") }); failure == nil || !strings.Contains(failure.Error(), "Expected HTTP status 201, the target answered 200") {
		t.Errorf("a create answered 200: failure %v", failure)
	}
}
