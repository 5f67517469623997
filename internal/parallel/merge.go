package parallel

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/runreport"
)

// ShardReport is what one child left of its run: its Ginkgo report (nil
// when it wrote none) and why it is missing or incomplete (Err).
type ShardReport struct {
	Shard  Shard
	Report *types.Report
	Err    error
}

// ReadReport reads the Ginkgo report a child wrote (as --json-report
// writes it: a list of one report).
func (s Shard) ReadReport() (*types.Report, error) {
	b, err := os.ReadFile(s.ReportPath())
	if err != nil {
		return nil, err
	}
	var rs []types.Report
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, fmt.Errorf("the report of %s: %v", s.Describe(), err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("the report of %s holds %d suites, want 1", s.Describe(), len(rs))
	}
	return &rs[0], nil
}

// MergeReports is the report one process would have given: the preview's
// specs in the preview's order, each with what the shard that ran it
// reported. The specs of a shard that left no report (a crash, a hang)
// are aborted with a failure naming the shard, so no verdict is lost
// silently; those of a shard the run ended before it started (NotStarted)
// are skipped, as one process skips the specs after an interrupt, with
// the reason for the report (runreport.NotRunEntry). Suite-level nodes (ReportAfterSuite, say) are kept from the
// first shard, and from the others when they failed.
func MergeReports(preview types.Report, parts []ShardReport) types.Report {
	out := preview
	out.SpecReports = nil
	out.SuiteSucceeded = true
	out.SpecialSuiteFailureReasons = nil
	out.StartTime, out.EndTime = time.Time{}, time.Time{}

	owner := map[string]int{} // full text → index in parts
	for i, p := range parts {
		for _, t := range p.Shard.Specs {
			owner[t] = i
		}
	}
	// The specs each part ran, by full text and place, in its order.
	ran := make([]map[string][]types.SpecReport, len(parts))
	var suiteNodes types.SpecReports
	for i, p := range parts {
		ran[i] = map[string][]types.SpecReport{}
		if p.Err != nil {
			out.SuiteSucceeded = false
			out.SpecialSuiteFailureReasons = append(out.SpecialSuiteFailureReasons, p.suiteReason())
		}
		if p.Report == nil {
			continue
		}
		r := p.Report
		out.SuiteSucceeded = out.SuiteSucceeded && r.SuiteSucceeded
		for _, why := range r.SpecialSuiteFailureReasons {
			if !slices.Contains(out.SpecialSuiteFailureReasons, why) {
				out.SpecialSuiteFailureReasons = append(out.SpecialSuiteFailureReasons, why)
			}
		}
		if out.StartTime.IsZero() || r.StartTime.Before(out.StartTime) {
			out.StartTime = r.StartTime
		}
		if r.EndTime.After(out.EndTime) {
			out.EndTime = r.EndTime
		}
		for _, s := range r.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt {
				if i == 0 || s.State.Is(types.SpecStateFailureStates) {
					suiteNodes = append(suiteNodes, s)
				}
				continue
			}
			if j, ok := owner[s.FullText()]; ok && j == i {
				if s.State == types.SpecStateSkipped && s.Failure.Message == "" && len(r.SpecialSuiteFailureReasons) > 0 {
					// Not reached by its process, which was stopped: for
					// that process's reasons, not those of every process.
					s = withNotRun(s, runreport.NotReached(r.SpecialSuiteFailureReasons))
				}
				k := specKey(s)
				ran[i][k] = append(ran[i][k], s)
			}
		}
	}
	for _, s := range preview.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		i, ok := owner[s.FullText()]
		if !ok || s.State != types.SpecStatePassed {
			// Not selected (a preview says so with skipped or pending).
			out.SpecReports = append(out.SpecReports, s)
			continue
		}
		k := specKey(s)
		if got := ran[i][k]; len(got) > 0 {
			out.SpecReports = append(out.SpecReports, got[0])
			ran[i][k] = got[1:]
			continue
		}
		// Selected, given to a shard, and not in its report.
		lost := s
		lost.RunTime, lost.StartTime, lost.EndTime = 0, time.Time{}, time.Time{}
		out.SuiteSucceeded = false
		if ns := (*NotStarted)(nil); errors.As(parts[i].Err, &ns) {
			lost.State = types.SpecStateSkipped
			out.SpecReports = append(out.SpecReports, withNotRun(lost, parts[i].Shard.Name()+" was not started: "+ns.Why))
			continue
		}
		lost.State = types.SpecStateAborted
		why := parts[i].Shard.Name() + " ended without reporting this spec"
		if parts[i].Err != nil {
			why = parts[i].short()
		}
		lost.Failure = types.Failure{Message: why, Location: s.LeafNodeLocation, FailureNodeType: types.NodeTypeIt}
		out.SpecReports = append(out.SpecReports, lost)
	}
	out.SpecReports = append(out.SpecReports, suiteNodes...)
	if out.StartTime.IsZero() {
		out.StartTime = preview.StartTime
	}
	if out.EndTime.Before(out.StartTime) {
		out.EndTime = out.StartTime
	}
	out.RunTime = out.EndTime.Sub(out.StartTime)
	return out
}

// short is the part's error with the process named, not its specs: a
// spec's reason names only its own process, whose other specs have
// their own lines.
func (p ShardReport) short() string {
	return strings.Replace(p.Err.Error(), p.Shard.Describe(), p.Shard.Name(), 1)
}

// suiteReason is what Ginkgo's one-line summary says of a part that left
// no report (after "FAIL! - ", like its own "Interrupted by User"): a few
// words.
func (p ShardReport) suiteReason() string {
	if errors.As(p.Err, new(*NotStarted)) {
		return p.Shard.Name() + " not started"
	}
	return p.short()
}

// withNotRun gives a skipped spec the reason it was not run.
func withNotRun(s types.SpecReport, why string) types.SpecReport {
	s.ReportEntries = append(slices.Clone(s.ReportEntries), types.ReportEntry{
		Name: runreport.NotRunEntry, Visibility: types.ReportEntryVisibilityNever,
		Location: s.LeafNodeLocation, Value: types.WrapEntryValue(why),
	})
	return s
}

// specKey tells specs apart: table entries written in one loop share a
// place, and two containers may hold specs of the same name.
func specKey(s types.SpecReport) string {
	return s.FullText() + "\x00" + s.LeafNodeLocation.String()
}
