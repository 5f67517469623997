package conformance

import (
	"reflect"
	"testing"
)

// A breakage names its field once, in Klarna's notation; the path it edits
// is read from it.
func TestBreakageEditsTheFieldItNames(t *testing.T) {
	body := func() map[string]any {
		return map[string]any{"order_amount": 100, "order_lines": []any{map[string]any{"name": "x", "quantity": 1}}}
	}
	for _, tt := range []struct {
		b    breakage
		want map[string]any
	}{
		{missing("order_amount"), map[string]any{"order_lines": []any{map[string]any{"name": "x", "quantity": 1}}}},
		{missing("order_lines[0].name"), map[string]any{"order_amount": 100, "order_lines": []any{map[string]any{"quantity": 1}}}},
		{invalid("order_lines[0].quantity", 1.5), map[string]any{"order_amount": 100, "order_lines": []any{map[string]any{"name": "x", "quantity": 1.5}}}},
		{invalid("options.color_border", "red"), map[string]any{"order_amount": 100, "order_lines": []any{map[string]any{"name": "x", "quantity": 1}}, "options": map[string]any{"color_border": "red"}}},
	} {
		got := body()
		tt.b.edit(got)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: body %v, want %v", tt.b.field, got, tt.want)
		}
	}
	for _, bad := range []string{"order_lines[x].name", "order_lines[0.name", "[0].name"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("pathOf(%q) took a malformed field", bad)
				}
			}()
			pathOf(bad)
		}()
	}
}
