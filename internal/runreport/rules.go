package runreport

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// Verdict is what a run says of one rule.
type Verdict string

const (
	// Holds: the rule's spec ran and passed.
	Holds Verdict = "holds"
	// Broken: the rule's spec ran and failed; the rule has Evidence.
	Broken Verdict = "broken"
	// NotCheckable: the rule's spec could not run on this target (it
	// lacks what the spec needs, or the run left the spec out); Why says so.
	NotCheckable Verdict = "not-checkable"
)

// Verdicts in the order reports list them.
var Verdicts = []Verdict{Holds, Broken, NotCheckable}

// EvidenceEntry names the Ginkgo report entry a failed spec carries its
// Evidence in (suites/framework attaches it).
const EvidenceEntry = "kconform evidence"

// Evidence is what a failed spec shows of the breach: the exchange that
// gave it away and what was wrong with it. Both are redacted and short.
type Evidence struct {
	// Exchange is the one-line summary of the exchange ("api GET
	// http://h/hpp/v1/sessions/x → 200 (getSessionById)"); empty when the
	// spec failed before it sent anything.
	Exchange string `json:"exchange,omitempty"`
	// Violation is the contract issue of that exchange, or the spec's
	// failed expectation.
	Violation string `json:"violation"`
}

// Evidence classes of a rule: suites/framework gives each spec one, from
// the evidence it cites (labels "cites:<id>"). A broken assumption is a
// finding, not a proven breach.
const (
	ClassDocumented = "documented" // a Klarna or Kustom page or document
	ClassRecorded   = "recorded"   // a real capture
	ClassAssumption = "assumption" // no public source
	// CitesLabel starts the labels that carry a spec's citations.
	CitesLabel = "cites:"
)

// Rule is one row of the report.
type Rule struct {
	Area    string  `json:"area"`
	Rule    string  `json:"rule"`
	Verdict Verdict `json:"verdict"`
	// Why says why a rule is not checkable, or qualifies a verdict (an
	// assumption that does not hold is a finding, not a proven breach).
	Why      string    `json:"why,omitempty"`
	Evidence *Evidence `json:"evidence,omitempty"`
	// Assumption marks a rule Klarna does not document (label assumption).
	Assumption bool `json:"assumption,omitempty"`
	// Class is the rule's evidence class (ClassDocumented, ...) and Cites
	// the evidence it rests on (ids of suites/framework/sources.go).
	Class  string   `json:"class,omitempty"`
	Cites  []string `json:"cites,omitempty"`
	Labels []string `json:"labels"`
	// Spec is where the spec is written, relative to the module root.
	Spec string `json:"spec"`
}

// Areas are the report's groups, in order. A spec of the KP API alone is a
// KP rule; any other goes to the area its outermost container names.
var Areas = []string{"lifecycle", "placeholders", "expiry", "errors", "callbacks", "distribution", "kp"}

// AreaTitles are the areas' headings.
var AreaTitles = map[string]string{
	"lifecycle": "Lifecycle", "placeholders": "Placeholders", "expiry": "Expiry", "errors": "Errors",
	"callbacks": "Callbacks", "distribution": "Distribution", "kp": "Klarna Payments (KP)", "other": "Other",
}

const (
	whyNotSelected = "not selected: this run's --label-filter, --focus or --skip left it out"
	whyNotReached  = "not run: the run ended before it (%s)"
	whyInterrupted = "not checked: the run was interrupted while it ran"
	assumptionNote = "an assumption: Klarna does not document this rule, so a failure is a finding, not a proven breach"
)

// Rules turns a Ginkgo report into one Rule per spec (It), in the order
// of Areas and, within an area, in the order the specs are written.
func Rules(r types.Report) []Rule {
	var out []Rule
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		rule := Rule{
			Area: areaOf(s),
			Rule: s.FullText(),
			Spec: relativeSpec(s.LeafNodeLocation),
		}
		for _, l := range s.Labels() {
			switch id, cite := strings.CutPrefix(l, CitesLabel); {
			case cite:
				rule.Cites = append(rule.Cites, id)
			case l == ClassDocumented || l == ClassRecorded || l == ClassAssumption:
				rule.Class = l
				rule.Labels = append(rule.Labels, l)
			default:
				rule.Labels = append(rule.Labels, l)
			}
		}
		rule.Assumption = rule.Class == ClassAssumption
		rule.Verdict, rule.Why = verdictOf(r, s)
		if rule.Verdict == Broken {
			rule.Evidence = evidenceIn(s)
			if rule.Assumption {
				rule.Why = assumptionNote
			}
		}
		out = append(out, rule)
	}
	slices.SortStableFunc(out, func(a, b Rule) int { return areaRank(a.Area) - areaRank(b.Area) })
	return out
}

// verdictOf maps a spec's end state to a verdict and its reason.
func verdictOf(r types.Report, s types.SpecReport) (Verdict, string) {
	switch {
	case s.State == types.SpecStatePassed:
		return Holds, ""
	case s.State.Is(types.SpecStateInterrupted | types.SpecStateAborted):
		return NotCheckable, whyInterrupted
	case s.State.Is(types.SpecStateFailureStates):
		// Failed, timed out, panicked: the target did not do what the rule
		// says within the spec's limits.
		return Broken, ""
	case s.State == types.SpecStatePending:
		return NotCheckable, "pending: the spec is not written yet"
	}
	if msg := firstFinding(s.Failure.Message); msg != "" {
		return NotCheckable, msg // a Skip with its reason (suites/framework.Requires)
	}
	if len(r.SpecialSuiteFailureReasons) > 0 && s.RunTime == 0 && r.PreRunStats.SpecsThatWillRun > 0 && !filteredOut(r) {
		return NotCheckable, strings.Replace(whyNotReached, "%s", strings.Join(r.SpecialSuiteFailureReasons, "; "), 1)
	}
	return NotCheckable, whyNotSelected
}

// filteredOut reports whether the run's filters left specs out at all: when
// they did not, an unrun spec was not reached rather than not selected.
func filteredOut(r types.Report) bool {
	return r.PreRunStats.TotalSpecs > r.PreRunStats.SpecsThatWillRun
}

// areaOf is the area of a spec: KP when it is about the KP API alone, else
// the first area its containers (outermost first) or the spec name.
func areaOf(s types.SpecReport) string {
	labels := s.Labels()
	if slices.Contains(labels, "kp") && !slices.Contains(labels, "hpp") {
		return "kp"
	}
	levels := append(slices.Clone(s.ContainerHierarchyLabels), s.LeafNodeLabels)
	for _, level := range levels {
		for _, area := range Areas {
			if slices.Contains(level, area) {
				return area
			}
		}
	}
	return "other"
}

func areaRank(area string) int {
	if i := slices.Index(Areas, area); i >= 0 {
		return i
	}
	return len(Areas)
}

// evidenceIn is the Evidence the framework attached to a failed spec. A
// failure the framework did not see (a panic in a BeforeEach) has none:
// its message stands in.
func evidenceIn(s types.SpecReport) *Evidence {
	for _, e := range s.ReportEntries {
		if e.Name != EvidenceEntry {
			continue
		}
		if ev, ok := e.GetRawValue().(Evidence); ok {
			return &ev
		}
		// Read back from a Ginkgo JSON report, the value is only JSON.
		var ev Evidence
		if json.Unmarshal([]byte(e.Value.AsJSON), &ev) == nil && ev.Violation != "" {
			return &ev
		}
	}
	msg := firstFinding(s.Failure.Message)
	if msg == "" {
		msg = string(s.State.String())
	}
	return &Evidence{Violation: msg}
}

// firstFinding is the first line of a message that says something.
func firstFinding(msg string) string {
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// relativeSpec shortens a spec location to the module: from
// "/home/x/kconform/suites/conformance/errors.go:12" to
// "suites/conformance/errors.go:12".
func relativeSpec(l types.CodeLocation) string {
	path := filepath.ToSlash(l.FileName)
	if i := strings.LastIndex(path, "/suites/"); i >= 0 {
		path = path[i+1:]
	}
	return path + ":" + strconv.Itoa(l.LineNumber)
}
