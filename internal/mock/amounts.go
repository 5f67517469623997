package mock

import (
	"net/http"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/amounts"
)

// orderAmounts is the part of a KP body internal/amounts checks; the
// generated types differ per operation only in which fields are pointers.
func orderAmounts(amount, tax *int64, lines *[]api.OrderLine) amounts.Order {
	o := amounts.Order{OrderAmount: amount, OrderTaxAmount: tax}
	if lines == nil {
		return o
	}
	o.Lines = make([]amounts.Line, len(*lines))
	for i, l := range *lines {
		o.Lines[i] = amounts.Line{
			Quantity: &l.Quantity, UnitPrice: &l.UnitPrice, TotalAmount: &l.TotalAmount,
			TaxRate: l.TaxRate, TotalDiscountAmount: l.TotalDiscountAmount, TotalTaxAmount: l.TotalTaxAmount,
		}
		if l.Type != nil {
			o.Lines[i].Type = *l.Type
		}
	}
	return o
}

// checkAmounts refuses an order whose amounts do not add up, as Klarna
// does: 400 BAD_VALUE, one message per broken rule in Klarna's words
// (internal/amounts cites them). nil when they add up or amounts-unchecked
// is on.
func checkAmounts(o amounts.Order, faults faultSet) *apiError {
	if faults.has(FaultAmountsUnchecked) {
		return nil
	}
	problems := amounts.Check(o)
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message()
	}
	return newAPIError(http.StatusBadRequest, codeBadValue, msgs...)
}
