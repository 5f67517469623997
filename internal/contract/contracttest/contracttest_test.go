package contracttest

import (
	"testing"

	"github.com/kconform/kconform/internal/contract"
)

func TestValidatorIsTheDefault(t *testing.T) {
	want, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	if got := Validator(t); got != want {
		t.Fatal("Validator is not contract.DefaultValidator's")
	}
}
