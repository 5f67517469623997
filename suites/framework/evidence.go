package framework

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/transport"
)

// keepEvidence attaches the runreport.Evidence of a failed spec to its report. It
// runs after every other clean-up of the spec, the contract check too, so
// it sees the final verdict.
func (f *Framework) keepEvidence() {
	r := CurrentSpecReport()
	if !r.Failed() {
		return
	}
	ev := evidenceOf(f.Recorder.Records(), r.Failure.Message, r.Failure.TimelineLocation.Time)
	AddReportEntry(runreport.EvidenceEntry, ev, ReportEntryVisibilityNever)
}

// evidenceOf picks the evidence of a failure at time failedAt: the first
// exchange before it that broke the contract, else the last exchange
// before it (the one whose answer the failed expectation was about).
// Exchanges of the clean-ups after the failure are never evidence. The
// failure message gives the violation when no exchange broke the contract.
func evidenceOf(recs []transport.Record, message string, failedAt time.Time) runreport.Evidence {
	var last *transport.Record
	for i := range recs {
		r := &recs[i]
		if !failedAt.IsZero() && r.Started.After(failedAt) {
			break
		}
		if failing := r.Failing(); len(failing) > 0 {
			return runreport.Evidence{Exchange: r.Brief(), Violation: failing[0].String()}
		}
		if r.Kind != transport.Control {
			last = r
		}
	}
	ev := runreport.Evidence{Violation: clip(strings.Join(findings(message), " "), maxViolation)}
	if ev.Violation == "" {
		ev.Violation = "the spec failed without a message"
	}
	if last != nil {
		ev.Exchange = last.Brief()
	}
	return ev
}

// maxViolation bounds the violation text: a report row, not a log.
const maxViolation = 300

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + " …"
}
