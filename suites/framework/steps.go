package framework

import (
	"context"

	"github.com/kconform/kconform/internal/transport"
)

// Setup steps: what a spec does to get to the thing its rule is about
// (create a KP session, authorize a payment). A step's requests carry its
// name (transport.InStep), so a violation in their answers is recorded as
// a finding of that operation without failing the step at the call, and a
// failure inside the step blocks a rule about another operation instead of
// breaking it.

// setup opens step name: the returned context marks its requests, and done
// closes it. Call done only when the step succeeded (not deferred): a step
// left open when the spec fails is the step the spec failed in.
func (f *Framework) setup(ctx context.Context, name string) (context.Context, func()) {
	f.steps = append(f.steps, name)
	n := len(f.steps)
	return transport.InStep(ctx, name), func() { f.steps = f.steps[:n-1] }
}

// failedStep is the innermost step still open, "" when none is.
func (f *Framework) failedStep() string {
	if len(f.steps) == 0 {
		return ""
	}
	return f.steps[len(f.steps)-1]
}
