// Package contracttest gives tests the validator of kconform's own
// contract in one call.
package contracttest

import (
	"testing"

	"github.com/kconform/kconform/internal/contract"
)

// Validator is contract.DefaultValidator; when the embedded contract does
// not load, the test stops with its error.
func Validator(t testing.TB) *contract.Validator {
	t.Helper()
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
