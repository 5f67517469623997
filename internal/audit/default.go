package audit

import "github.com/kconform/kconform/internal/contract"

// NewDefault is New for kconform's own contract (openapi/kconform.yaml):
// the auditor of `kconform validate` and of the tests that validate a
// capture as it does.
func NewDefault(opts Options) (*Auditor, error) {
	v, err := contract.DefaultValidator()
	if err != nil {
		return nil, err
	}
	return New(v, opts)
}
