package amounts

import (
	"strings"
	"testing"
)

func n(v int64) *int64 { return &v }

func rulesOf(ps []Problem) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Rule+"@"+p.Pointer)
	}
	return strings.Join(out, ",")
}

func TestLineTax(t *testing.T) {
	for _, tt := range []struct{ total, rate, want int64 }{
		{25000, 2500, 5000},   // klarna-payments-for-woocommerce session-se-b2c
		{59500, 2000, 9917},   // Klarna's tax handling page: 59500 at 20 %
		{50000, 1000, 4545},   // kco_rest_dotnet issue 24: "change the item tax to 4545"
		{-14950, 2500, -2990}, // a discount line: negative (Umbraco issue 826's value)
		{495, 700, 32},        // klarna-payments-for-woocommerce issue 169 (41 was refused)
		{1700, 0, 0},
		{0, 2500, 0},
	} {
		got, ok := LineTax(tt.total, tt.rate)
		if !ok || got != tt.want {
			t.Errorf("LineTax(%d, %d) = %d, %v; want %d", tt.total, tt.rate, got, ok, tt.want)
		}
	}
	if _, ok := LineTax(1<<62, 100); ok {
		t.Error("an overflowing product was computed")
	}
	if _, ok := LineTax(100, -1); ok {
		t.Error("a negative rate was computed")
	}
}

// eu is the EU model from Klarna's tax handling page.
func eu() Order {
	return Order{OrderAmount: n(62400), OrderTaxAmount: n(10400), Lines: []Line{
		{Type: "physical", Quantity: n(1), UnitPrice: n(59500), TotalAmount: n(59500), TaxRate: n(2000), TotalTaxAmount: n(9917)},
		{Type: "shipping_fee", Quantity: n(1), UnitPrice: n(2900), TotalAmount: n(2900), TaxRate: n(2000), TotalTaxAmount: n(483)},
	}}
}

// us is the US model (klarna-payments-for-woocommerce session-us-sales-tax):
// the tax is a sales_tax line, every tax_rate 0.
func us() Order {
	return Order{OrderAmount: n(21700), OrderTaxAmount: n(1700), Lines: []Line{
		{Type: "physical", Quantity: n(2), UnitPrice: n(10000), TotalAmount: n(20000), TaxRate: n(0), TotalDiscountAmount: n(0), TotalTaxAmount: n(0)},
		{Type: "sales_tax", Quantity: n(1), UnitPrice: n(1700), TotalAmount: n(1700), TaxRate: n(0), TotalDiscountAmount: n(0), TotalTaxAmount: n(0)},
	}}
}

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*Order)
		want string
	}{
		{"EU model", func(*Order) {}, ""},
		{"line tax one off is within ±1", func(o *Order) { *o.Lines[0].TotalTaxAmount = 9918; *o.OrderTaxAmount = 10401 }, ""},
		{"line tax two off", func(o *Order) { *o.Lines[1].TotalTaxAmount = 485; *o.OrderTaxAmount = 10402 },
			"amounts.line-tax@/order_lines/1/total_tax_amount"},
		{"tax computed on the net price (kco_rest_dotnet issue 24)", func(o *Order) { *o.Lines[0].TotalTaxAmount = 11900; *o.OrderTaxAmount = 12383 },
			"amounts.line-tax@/order_lines/0/total_tax_amount"},
		{"line total not quantity × price", func(o *Order) { *o.Lines[0].Quantity = 2 },
			"amounts.line-total@/order_lines/0/total_amount"},
		{"discount subtracted", func(o *Order) { o.Lines[1].TotalDiscountAmount = n(900) },
			"amounts.line-total@/order_lines/1/total_amount"},
		{"order amount not the sum", func(o *Order) { *o.OrderAmount = 62401 },
			"amounts.order-total@/order_amount"},
		{"order tax within ± the number of lines", func(o *Order) { *o.OrderTaxAmount = 10402 }, ""},
		{"order tax beyond ± the number of lines", func(o *Order) { *o.OrderTaxAmount = 10403 },
			"amounts.order-tax@/order_tax_amount"},
		{"no order_tax_amount: not checked", func(o *Order) { o.OrderTaxAmount = nil }, ""},
		{"an update without lines: no sums", func(o *Order) { o.Lines = nil; *o.OrderAmount = 1 }, ""},
		{"a line without tax fields: no tax rule", func(o *Order) {
			o.Lines[1].TaxRate, o.Lines[1].TotalTaxAmount = nil, nil
			*o.OrderTaxAmount = 9917
		}, ""},
		{"tax without a rate counts the rate as 0", func(o *Order) { o.Lines[1].TaxRate = nil },
			"amounts.line-tax@/order_lines/1/total_tax_amount"},
		{"quantity × price beyond 64 bits", func(o *Order) { *o.Lines[0].Quantity = 1 << 40; *o.Lines[0].UnitPrice = 1 << 40 },
			"amounts.line-total@/order_lines/0/total_amount"},
		{"a discount line: negative amounts and tax", func(o *Order) {
			o.Lines = append(o.Lines, Line{Type: "discount", Quantity: n(1), UnitPrice: n(-14950), TotalAmount: n(-14950), TaxRate: n(2500), TotalTaxAmount: n(-2990)})
			*o.OrderAmount, *o.OrderTaxAmount = 62400-14950, 10400-2990
		}, ""},
		{"a discount line with positive tax", func(o *Order) {
			o.Lines = append(o.Lines, Line{Type: "discount", Quantity: n(1), UnitPrice: n(-14950), TotalAmount: n(-14950), TaxRate: n(2500), TotalTaxAmount: n(2990)})
			*o.OrderAmount, *o.OrderTaxAmount = 62400-14950, 10400+2990
		}, "amounts.line-tax@/order_lines/2/total_tax_amount"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := eu()
			tt.edit(&o)
			if got := rulesOf(Check(o)); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestUSModel(t *testing.T) {
	if ps := Check(us()); len(ps) != 0 {
		t.Fatalf("the US model is refused: %v", rulesOf(ps))
	}
	o := us()
	*o.OrderTaxAmount = 0 // the sales tax line's amount is the order's tax
	if got := rulesOf(Check(o)); got != "amounts.order-tax@/order_tax_amount" {
		t.Errorf("got %q", got)
	}
}

func TestMessages(t *testing.T) {
	o := eu()
	*o.Lines[0].TotalTaxAmount = 0
	*o.Lines[1].Quantity = 3
	*o.OrderAmount = 1
	var msgs []string
	for _, p := range Check(o) {
		msgs = append(msgs, p.Message())
	}
	want := []string{
		"Bad value: order_lines[0].total_tax_amount differs from the calculated value [9917] by more than [1]",
		"Bad value: order_lines[1].total_amount",
		"Bad value: order_amount",
		"Bad value: order_tax_amount",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	p := Check(o)[1]
	if got := p.Explain(); got != "order_lines[1].total_amount is 2900, expected 8700 (quantity × unit_price − total_discount_amount)" {
		t.Errorf("explain: %s", got)
	}
}

func TestParse(t *testing.T) {
	o, ok := Parse([]byte(`{"order_amount":62400,"order_tax_amount":10400,"order_lines":[
		{"type":"physical","quantity":1,"unit_price":59500,"total_amount":59500,"tax_rate":2000,"total_tax_amount":9917},
		{"quantity":1,"unit_price":2900,"total_amount":2900,"tax_rate":2000,"total_tax_amount":483,"image_url":null}]}`))
	if !ok || len(Check(o)) != 0 || len(o.Lines) != 2 || *o.OrderAmount != 62400 || o.Lines[0].Type != "physical" {
		t.Fatalf("parse: %+v %v", o, ok)
	}
	o, ok = Parse([]byte(`{"order_amount":100}`))
	if !ok || o.Lines != nil {
		t.Errorf("a body without order_lines has lines: %+v", o)
	}
	o, ok = Parse([]byte(`{"order_amount":100.5,"order_lines":[{"quantity":0.5,"unit_price":2120,"total_amount":1060}]}`))
	if !ok || o.OrderAmount != nil || o.Lines[0].Quantity != nil || len(Check(o)) != 0 {
		t.Errorf("non-integers are not left to the schema: %+v", o)
	}
	for _, bad := range []string{``, `[]`, `"x"`, `{"order_lines":"x"}`} {
		if _, ok := Parse([]byte(bad)); ok {
			t.Errorf("Parse(%q) ok", bad)
		}
	}
}
