// Package amounts holds Klarna's order arithmetic, the business rules KP
// enforces on create session, update session and create order beyond the
// schema: line totals, line tax, and the order's sums. It is the one
// implementation the mock refuses requests with and `kconform validate`
// checks recorded requests with.
//
// Sources:
//   - S2 order_line: total_amount "Value = (quantity x unit_price) -
//     total_discount_amount"; total_tax_amount "Must be within ±1 of
//     total_amount - total_amount * 10000 / (10000 + tax_rate). Negative when
//     type is discount" (reference Appendix B).
//   - Klarna's tax handling page (docs.klarna.com/klarna-payments/
//     in-depth-knowledge/tax-handling/): order_tax_amount sums the lines'
//     total_tax_amount, within ± the number of items; in the US model the
//     tax is a sales_tax line and "order_tax_amount is the total_amount of
//     the sales_tax order line".
//   - Live refusals: "Bad value: order_lines[0].total_amount"
//     (krokedil/klarna-payments-for-woocommerce issues 102 and 217), "Bad
//     value: order_lines[3].total_tax_amount" (woocommerce/woocommerce issue
//     55109), "… differs from the calculated value [-2990] by more than [1]"
//     (umbraco/Umbraco.Commerce.Issues 826), "Bad value: order_amount" (REC).
package amounts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Rule ids, in the style of the contract's rules.
const (
	// RuleLineTotal: total_amount = quantity × unit_price − total_discount_amount.
	RuleLineTotal = "amounts.line-total"
	// RuleLineTax: total_tax_amount within ±1 of
	// total_amount − total_amount × 10000 / (10000 + tax_rate).
	RuleLineTax = "amounts.line-tax"
	// RuleOrderTotal: order_amount = Σ total_amount.
	RuleOrderTotal = "amounts.order-total"
	// RuleOrderTax: order_tax_amount = Σ total_tax_amount (+ Σ total_amount of
	// sales_tax lines), within ± the number of lines.
	RuleOrderTax = "amounts.order-tax"
)

// LineTaxTolerance is S2's "within ±1".
const LineTaxTolerance = 1

// salesTax is the line type of the US model (reference §2.2, order_line.type).
const salesTax = "sales_tax"

// Line is an order line's amounts; nil is a field the request leaves out.
type Line struct {
	Type                string
	Quantity            *int64
	UnitPrice           *int64
	TotalAmount         *int64
	TaxRate             *int64
	TotalDiscountAmount *int64
	TotalTaxAmount      *int64
}

// Order is the amounts of a request body. Lines is nil when the body has no
// order_lines (an update that leaves them as they are).
type Order struct {
	OrderAmount    *int64
	OrderTaxAmount *int64
	Lines          []Line
}

// Problem is one broken rule.
type Problem struct {
	Rule    string
	Pointer string // JSON pointer: /order_lines/2/total_tax_amount
	Field   string // as Klarna names it: order_lines[2].total_tax_amount
	Actual  int64
	// Expected is the computed value; Computed is false when it cannot be
	// computed (a product beyond int64).
	Expected  int64
	Computed  bool
	Tolerance int64
}

// Message is Klarna's refusal for the problem: the computed value where
// Klarna gives one (line tax), else the bare field.
func (p Problem) Message() string {
	if p.Rule == RuleLineTax {
		return fmt.Sprintf("Bad value: %s differs from the calculated value [%d] by more than [%d]", p.Field, p.Expected, p.Tolerance)
	}
	return "Bad value: " + p.Field
}

// Explain says what is wrong in the user's terms: the field, the value sent
// and the value the rule computes.
func (p Problem) Explain() string {
	if !p.Computed {
		return fmt.Sprintf("%s is %d; the rule's value does not fit in 64 bits", p.Field, p.Actual)
	}
	what := map[string]string{
		RuleLineTotal:  "quantity × unit_price − total_discount_amount",
		RuleLineTax:    "total_amount − total_amount × 10000 / (10000 + tax_rate)",
		RuleOrderTotal: "the sum of the lines' total_amount",
		RuleOrderTax:   "the sum of the lines' total_tax_amount (and of sales_tax lines' total_amount)",
	}[p.Rule]
	tol := ""
	if p.Tolerance > 0 {
		tol = fmt.Sprintf(" ±%d", p.Tolerance)
	}
	return fmt.Sprintf("%s is %d, expected %d%s (%s)", p.Field, p.Actual, p.Expected, tol, what)
}

// Check returns every broken rule, lines first (in order), then the order's
// sums. A rule whose inputs the order leaves out is not checked: the schema
// says which fields are required.
func Check(o Order) []Problem {
	var out []Problem
	for i, l := range o.Lines {
		out = append(out, checkLine(i, l)...)
	}
	if o.Lines == nil {
		return out
	}
	sumTotal, sumTax, n := int64(0), int64(0), int64(len(o.Lines))
	totalsKnown := true
	for _, l := range o.Lines {
		if l.TotalAmount == nil {
			totalsKnown = false
			continue
		}
		sumTotal += *l.TotalAmount // each ≤ 2e8 by the contract; 1000 lines cannot overflow
		if l.Type == salesTax {
			sumTax += *l.TotalAmount
		}
		if l.TotalTaxAmount != nil {
			sumTax += *l.TotalTaxAmount
		}
	}
	if o.OrderAmount != nil && totalsKnown && *o.OrderAmount != sumTotal {
		out = append(out, Problem{Rule: RuleOrderTotal, Pointer: "/order_amount", Field: "order_amount",
			Actual: *o.OrderAmount, Expected: sumTotal, Computed: true})
	}
	if o.OrderTaxAmount != nil && totalsKnown && abs(*o.OrderTaxAmount-sumTax) > n {
		out = append(out, Problem{Rule: RuleOrderTax, Pointer: "/order_tax_amount", Field: "order_tax_amount",
			Actual: *o.OrderTaxAmount, Expected: sumTax, Computed: true, Tolerance: n})
	}
	return out
}

func checkLine(i int, l Line) []Problem {
	var out []Problem
	at := func(name string) (string, string) {
		return fmt.Sprintf("/order_lines/%d/%s", i, name), fmt.Sprintf("order_lines[%d].%s", i, name)
	}
	if l.Quantity != nil && l.UnitPrice != nil && l.TotalAmount != nil {
		gross, ok := mul(*l.Quantity, *l.UnitPrice)
		want := gross - deref(l.TotalDiscountAmount)
		if !ok || want != *l.TotalAmount {
			ptr, field := at("total_amount")
			out = append(out, Problem{Rule: RuleLineTotal, Pointer: ptr, Field: field,
				Actual: *l.TotalAmount, Expected: want, Computed: ok})
		}
	}
	if l.TotalAmount != nil && (l.TaxRate != nil || l.TotalTaxAmount != nil) {
		want, ok := LineTax(*l.TotalAmount, deref(l.TaxRate))
		got := deref(l.TotalTaxAmount)
		if !ok || abs(got-want) > LineTaxTolerance {
			ptr, field := at("total_tax_amount")
			out = append(out, Problem{Rule: RuleLineTax, Pointer: ptr, Field: field,
				Actual: got, Expected: want, Computed: ok, Tolerance: LineTaxTolerance})
		}
	}
	return out
}

// LineTax is the tax S2's formula gives for a line:
// total − total × 10000 / (10000 + rate), the division rounded half away
// from zero. ok is false when the rate is negative or the product does not
// fit in 64 bits.
func LineTax(total, rate int64) (int64, bool) {
	if rate < 0 {
		return 0, false
	}
	num, ok := mul(total, 10000)
	den := 10000 + rate
	if !ok || den <= 0 {
		return 0, false
	}
	q, r := num/den, num%den
	if 2*abs(r) >= den {
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return total - q, true
}

func mul(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return p, true
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// Parse reads the amounts of a KP request body (create session, update
// session, create order). ok is false when the body is not a JSON object. A
// number that is not an integer counts as left out: the schema reports it.
func Parse(body []byte) (Order, bool) {
	var raw struct {
		OrderAmount    json.Number `json:"order_amount"`
		OrderTaxAmount json.Number `json:"order_tax_amount"`
		OrderLines     *[]struct {
			Type                any         `json:"type"`
			Quantity            json.Number `json:"quantity"`
			UnitPrice           json.Number `json:"unit_price"`
			TotalAmount         json.Number `json:"total_amount"`
			TaxRate             json.Number `json:"tax_rate"`
			TotalDiscountAmount json.Number `json:"total_discount_amount"`
			TotalTaxAmount      json.Number `json:"total_tax_amount"`
		} `json:"order_lines"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		// A field of another type (a string amount) fails the whole decode;
		// the schema reports that, and there is nothing to compute with.
		return Order{}, false
	}
	o := Order{OrderAmount: integer(raw.OrderAmount), OrderTaxAmount: integer(raw.OrderTaxAmount)}
	if raw.OrderLines != nil {
		o.Lines = make([]Line, 0, len(*raw.OrderLines))
		for _, l := range *raw.OrderLines {
			typ, _ := l.Type.(string)
			o.Lines = append(o.Lines, Line{
				Type: typ, Quantity: integer(l.Quantity), UnitPrice: integer(l.UnitPrice),
				TotalAmount: integer(l.TotalAmount), TaxRate: integer(l.TaxRate),
				TotalDiscountAmount: integer(l.TotalDiscountAmount), TotalTaxAmount: integer(l.TotalTaxAmount),
			})
		}
	}
	return o, true
}

func integer(n json.Number) *int64 {
	if n == "" {
		return nil
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return nil
	}
	return &v
}
