package framework

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kconform/kconform/internal/transport"
)

// Started is part of a spec begun ahead of it (Ahead), waiting for the spec
// that adopts it (Framework.Adopt).
type Started struct {
	f *Framework
	// failure is the message of the assertion start failed on, if any,
	// and step the setup step under way then ("" for none).
	failure, step string
}

// Ahead runs start with a Framework of its own, for the part of a spec that
// can begin before the spec runs: call it in a BeforeAll of an Ordered
// container, begin there what the target then does on its own (a callback
// and its retries), and the specs' waits overlap instead of adding up.
// The container's need labels apply (a missing need skips the container).
//
// What start records, and what its inboxes receive later, belongs to the
// spec that adopts it: contract-checked with it, its evidence. A failed
// assertion in start does not fail the BeforeAll, which would leave every
// spec of the container unrun: it fails the adopting spec, with the same
// message, as if the spec had made the call itself. Clean-ups start
// registers (a session's quiet DELETE) run after the container; they are
// recorded but no spec checks them.
func Ahead(start func(a *Framework)) *Started {
	GinkgoHelper()
	e, err := current()
	Expect(err).NotTo(HaveOccurred())
	for _, labels := range CurrentSpecReport().ContainerHierarchyLabels {
		for _, l := range labels {
			Requires(e, l)
		}
	}
	f := &Framework{Env: e, Ref: e.nextRef()}
	f.record(&transport.Recorder{Log: GinkgoWriter, Observe: e.observe})
	s := &Started{f: f}
	if err := InterceptGomegaFailure(func() { start(f) }); err != nil {
		s.failure, s.step = err.Error(), f.failedStep()
	}
	return s
}

// Adopt makes s (from Ahead) part of this spec: what it recorded and will
// record, and its failure. Call it before the spec's own exchanges.
func (f *Framework) Adopt(s *Started) {
	GinkgoHelper()
	Expect(s).NotTo(BeNil(), "Adopt: nothing was started ahead for this spec")
	Expect(f.Recorder.Records()).To(BeEmpty(), "Adopt comes before the spec's own exchanges")
	// s's records were observed as they were recorded: not again.
	f.record(s.f.Recorder)
	if s.failure != "" {
		// A step that failed ahead failed in this spec: it blocks the
		// rule, or breaks it when the rule is about the step's operation.
		if s.step != "" {
			f.steps = append(f.steps, s.step)
		}
		Fail(s.failure)
	}
}
