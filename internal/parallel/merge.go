package parallel

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2/types"
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
// silently. Suite-level nodes (ReportAfterSuite, say) are kept from the
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
			out.SpecialSuiteFailureReasons = append(out.SpecialSuiteFailureReasons, p.Err.Error())
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
		lost.State = types.SpecStateAborted
		lost.RunTime, lost.StartTime, lost.EndTime = 0, time.Time{}, time.Time{}
		why := fmt.Sprintf("%s ended without reporting this spec", parts[i].Shard.Describe())
		if parts[i].Err != nil {
			why = parts[i].Err.Error()
		}
		lost.Failure = types.Failure{Message: why, Location: s.LeafNodeLocation, FailureNodeType: types.NodeTypeIt}
		out.SuiteSucceeded = false
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

// specKey tells specs apart: table entries written in one loop share a
// place, and two containers may hold specs of the same name.
func specKey(s types.SpecReport) string {
	return s.FullText() + "\x00" + s.LeafNodeLocation.String()
}
