package contracttest

import (
	"testing"

	"github.com/kconform/kconform/internal/contract"
)

// Validator is the process's one default validator, not a second load.
func TestValidatorIsTheDefault(t *testing.T) {
	want, err := contract.DefaultValidator()
	if got := Validator(t); err != nil || got != want {
		t.Fatalf("Validator is not contract.DefaultValidator's (its error: %v)", err)
	}
}
