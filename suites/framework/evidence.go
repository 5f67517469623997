package framework

import (
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/transport"
)

// judge attaches the runreport.Judgement of the spec to its report: the
// verdict on its rule by subject, the evidence, every contract violation
// its exchanges met and its clean-up failures. It runs after every other
// clean-up, so it sees everything the spec sent.
func (f *Framework) judge() {
	r := CurrentSpecReport()
	facts := runreport.Facts{About: AboutOf(r.Labels()), Labels: r.Labels(), Exchanges: exchangesOf(f.Recorder.Records())}
	if r.Failed() {
		if inBody(r.Failure.FailureNodeType) {
			facts.Failure = &runreport.Failure{Message: r.Failure.Message, At: r.Failure.TimelineLocation.Time, Step: f.failedStep()}
		} else {
			facts.CleanupFailure = r.Failure.Message
		}
	}
	AddReportEntry(runreport.JudgementEntry, runreport.Judge(facts), ReportEntryVisibilityNever)
}

// inBody reports whether a failure in a node of type t is the spec's own
// (its body or set-up) rather than a clean-up's.
func inBody(t types.NodeType) bool {
	return t.Is(types.NodeTypeIt|types.NodeTypeBeforeEach|types.NodeTypeJustBeforeEach|types.NodeTypeBeforeAll) || t == types.NodeTypeInvalid
}

// exchangesOf turns transport records into what judging needs.
func exchangesOf(recs []transport.Record) []runreport.Exchange {
	out := make([]runreport.Exchange, 0, len(recs))
	for _, r := range recs {
		e := runreport.Exchange{Kind: string(r.Kind), Status: r.Exchange.Status, Brief: r.Brief(), Step: r.Step, Cleanup: r.Cleanup, Started: r.Started, Issues: r.Failing()}
		if r.Result != nil {
			e.Operation = r.Result.Operation
		}
		if r.Err != nil {
			e.Err = r.Err.Error()
		}
		out = append(out, e)
	}
	return out
}

// aboutPrefix starts the label that names an operation a rule is about.
const aboutPrefix = "about:"

// About is the decorator that says which contract operations a spec's rule
// is about, when the spec reaches them through a setup step (CreateKPSession
// and the like) rather than calling them itself: a failure of such a step
// then breaks the rule instead of blocking it. The operations a spec calls
// itself need no decorator. CheckSpecs refuses an operation the contract
// does not have.
func About(operations ...string) Labels {
	var l Labels
	for _, op := range operations {
		l = append(l, aboutPrefix+op)
	}
	return l
}

// AboutOf are the operations the labels name with About.
func AboutOf(labels []string) []string {
	var ops []string
	for _, l := range labels {
		if op, ok := strings.CutPrefix(l, aboutPrefix); ok && !slices.Contains(ops, op) {
			ops = append(ops, op)
		}
	}
	return ops
}
