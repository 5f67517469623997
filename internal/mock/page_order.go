package mock

// What the payment page shows of the order: a person recognises a payment
// page by the shop's reference, the lines and the total.

// pageLine is one order line as the page shows it.
type pageLine struct {
	Name     string
	Quantity int64
	Total    string
}

// pageOrder fills the order part of p from KP session k.
func pageOrder(p *pageState, k *kpSession) {
	if k == nil {
		return
	}
	currency := ""
	if k.data.PurchaseCurrency != nil {
		currency = *k.data.PurchaseCurrency
	}
	if k.data.OrderAmount != nil && currency != "" {
		p.Amount = formatAmount(*k.data.OrderAmount, currency)
	}
	if k.data.MerchantReference1 != nil {
		p.Reference = *k.data.MerchantReference1
	}
	if k.data.OrderLines != nil {
		for _, l := range *k.data.OrderLines {
			p.Lines = append(p.Lines, pageLine{Name: l.Name, Quantity: l.Quantity, Total: formatAmount(l.TotalAmount, currency)})
		}
	}
}

// otherChoices are the page's actions besides paying, with what a person
// reads on each button (the value is the action of the form protocol).
var otherChoices = []struct{ Action, Label, Help string }{
	{"decline", "Decline", "The payment is not approved (FAILED)."},
	{"back", "Back to the store", "Leave the page without paying (BACK)."},
	{"cancel", "Cancel the purchase", "Give up this purchase (CANCELLED)."},
	{"error", "Simulate an error", "Something goes wrong on the page (ERROR)."},
	{"manual-id-check", "Ask for a manual ID check", "The payment waits for identification (MANUAL_ID_CHECK)."},
}

// pageKCOOrder fills the page's order summary from the KCO order it hosts.
func pageKCOOrder(p *pageState, o *kcoOrder) {
	if o == nil {
		return
	}
	currency := o.data.PurchaseCurrency
	p.Amount = formatAmount(o.data.OrderAmount, currency)
	if o.data.MerchantReference1 != nil {
		p.Reference = *o.data.MerchantReference1
	}
	for _, l := range o.data.OrderLines {
		p.Lines = append(p.Lines, pageLine{Name: l.Name, Quantity: l.Quantity, Total: formatAmount(l.TotalAmount, currency)})
	}
}
