package runreport

import (
	"github.com/kconform/kconform/internal/labels"

	"cmp"
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
	// Holds: the rule's spec ran, its own assertions passed and no
	// exchange of an operation it is about broke the contract.
	Holds Verdict = "holds"
	// Broken: the rule's own assertion failed, or an exchange of an
	// operation it is about broke the contract; the rule has Evidence.
	Broken Verdict = "broken"
	// FailedElsewhere: the rule's own assertions passed and its operations
	// kept to the contract, but a step (or a callback, a page) met a
	// contract defect of another operation, so Ginkgo failed the spec
	// (framework.checkContract). Not a hold, which the console's [FAIL]
	// would contradict; the defect is a finding of that operation,
	// counted there once, and Evidence shows where the rule met it.
	FailedElsewhere Verdict = "failed-elsewhere"
	// Blocked: a setup step about another operation could not be done;
	// Step names it and the Evidence shows its exchange and why.
	Blocked Verdict = "blocked"
	// NotCheckable: the target lacks a capability the rule needs; Why
	// says which and how to provide it.
	NotCheckable Verdict = "not-checkable"
	// NotRun: the run left the rule out (filters, deadline, interrupt).
	// Not a verdict on the target: never counted in its headline.
	NotRun Verdict = "not-run"
)

// Verdicts in the order reports list them.
var Verdicts = []Verdict{Holds, Broken, FailedElsewhere, Blocked, NotCheckable, NotRun}

// Kinds of evidence.
const (
	// KindContract: an exchange broke the contract (Pointer, ContractRule).
	KindContract = "contract"
	// KindExpectation: a rule's own expectation failed.
	KindExpectation = "expectation"
)

// Evidence is what a broken or blocked rule shows: the exchange that gave
// it away and what was wrong with it, in one line. Both are redacted.
type Evidence struct {
	// Exchange is the one-line summary of the exchange ("api GET
	// http://h/hpp/v1/sessions/x → 200 (getSessionById)"); empty when the
	// spec failed before it sent anything.
	Exchange string `json:"exchange,omitempty"`
	// Violation is the contract issue of that exchange, or the failed
	// expectation, in the field's words.
	Violation string `json:"violation"`
	// Kind is KindContract or KindExpectation.
	Kind      string `json:"kind,omitempty"`
	Operation string `json:"operation,omitempty"`
	Status    int    `json:"status,omitempty"`
	// Side, In, Pointer and ContractRule locate a contract violation.
	Side         string `json:"side,omitempty"`
	In           string `json:"in,omitempty"`
	Pointer      string `json:"pointer,omitempty"`
	ContractRule string `json:"contract_rule,omitempty"`
}

// Rule is one row of the report.
type Rule struct {
	Area    string  `json:"area"`
	Rule    string  `json:"rule"`
	Verdict Verdict `json:"verdict"`
	// Why says why a rule is not checkable, or qualifies a verdict (an
	// assumption that does not hold is a finding, not a proven breach).
	Why      string    `json:"why,omitempty"`
	Evidence *Evidence `json:"evidence,omitempty"`
	// About are the operations the rule is about.
	About []string `json:"about,omitempty"`
	// Step is the setup step a blocked rule could not do.
	Step string `json:"step,omitempty"`
	// Cleanup lists what went wrong in the rule's clean-ups; a rule whose
	// clean-up alone failed its spec is failed-elsewhere, never holds.
	Cleanup []string `json:"cleanup,omitempty"`
	// Seen are the contract violations the rule's exchanges met; the
	// report's Findings gather them.
	Seen []Seen `json:"-"`
	// Assumption marks a rule Klarna does not document (label assumption).
	Assumption bool `json:"assumption,omitempty"`
	// Class is the rule's evidence class (labels.Documented, ...) and Cites
	// the evidence it rests on (ids of suites/framework/sources.go).
	Class  string   `json:"class,omitempty"`
	Cites  []string `json:"cites,omitempty"`
	Labels []string `json:"labels"`
	// Spec is where the spec is written, relative to the module root.
	Spec string `json:"spec"`
	// Ended is how Ginkgo's summary line counted the spec (Passed, Failed,
	// Pending or Skipped): Report.SpecsLine squares the two counts.
	Ended string `json:"-"`
}

// Areas are the report's groups, in order. A spec of the KP API alone is a
// KP rule; any other goes to the area its outermost container names.
var Areas = []string{labels.Lifecycle, labels.Placeholders, labels.Expiry, labels.Errors, labels.Callbacks, labels.Distribution, labels.KP}

// AreaTitles are the areas' headings.
var AreaTitles = map[string]string{
	labels.Lifecycle: "Lifecycle", labels.Placeholders: "Placeholders", labels.Expiry: "Expiry", labels.Errors: "Errors",
	labels.Callbacks: "Callbacks", labels.Distribution: "Distribution", labels.KP: "Klarna Payments (KP)", "other": "Other",
}

const (
	whyNotSelected = "not selected: this run's --label-filter, --focus or --skip left it out"
	// cutShort starts the reasons of the rules the run meant to judge but
	// did not (Report.CutShort).
	cutShort       = "not run: "
	whyInterrupted = cutShort + "the run was interrupted while it ran"
	whyNotBegun    = cutShort + "the run was interrupted before it"
	whyOutOfTime   = cutShort + "the run's --deadline ran out while it ran"
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
			switch id, cite := strings.CutPrefix(l, labels.Cites); {
			case cite:
				rule.Cites = append(rule.Cites, id)
			case l == labels.Documented || l == labels.Recorded || l == labels.Assumption:
				rule.Class = l
				rule.Labels = append(rule.Labels, l)
			default:
				rule.Labels = append(rule.Labels, l)
			}
		}
		rule.Assumption = rule.Class == labels.Assumption
		rule.Verdict, rule.Why = verdictOf(r, s)
		rule.Ended = specOutcome(s.State)
		if rule.Verdict == Holds || rule.Verdict == Broken {
			if j := judgementIn(s); j != nil {
				rule.Verdict, rule.Evidence, rule.About, rule.Step, rule.Cleanup, rule.Seen = j.Verdict, j.Evidence, j.About, j.Step, j.Cleanup, j.Seen
				if j.Why != "" {
					rule.Why = j.Why
				}
				if rule.Verdict == Holds && s.State.Is(types.SpecStateFailureStates) {
					// Ginkgo failed the spec after the judgement was made:
					// the report never says holds where the console says FAIL.
					rule.Verdict, rule.Why = FailedElsewhere, "the spec failed after the rule's own assertions passed"
					rule.Evidence = evidenceIn(s)
				}
			} else if rule.Verdict == Broken {
				rule.Evidence = evidenceIn(s)
			}
		}
		if rule.Verdict == Broken && rule.Assumption {
			rule.Why = assumptionNote
		}
		out = append(out, rule)
	}
	// By area, then where the spec is written: the same order on every
	// run, whatever order Ginkgo ran the specs in.
	slices.SortStableFunc(out, func(a, b Rule) int {
		return cmp.Or(areaRank(a.Area)-areaRank(b.Area), compareSpec(a.Spec, b.Spec))
	})
	return out
}

// suiteTimeout opens Ginkgo's failure message of the spec under way when
// the suite timeout elapsed (a spec's own timeout says "A spec timeout" or
// "A node timeout").
const suiteTimeout = "A suite timeout occurred"

// NotRunEntry names the report entry of a spec a parallel run never
// reached (internal/parallel: its process was not started). Ginkgo has no
// state for that but skipped, which alone would read as left out by the
// filters; the entry's value is the reason.
const NotRunEntry = "kconform not run"

// NotReached is the reason of a spec the run ended before, given the
// run's reasons for ending (Ginkgo's "Interrupted by User", ...).
func NotReached(reasons []string) string {
	return "the run ended before it (" + strings.Join(reasons, "; ") + ")"
}

// notRunIn is the reason of a spec's NotRunEntry, "" for none.
func notRunIn(s types.SpecReport) string {
	for _, e := range s.ReportEntries {
		if e.Name != NotRunEntry {
			continue
		}
		if why, ok := e.GetRawValue().(string); ok {
			return why
		}
		var why string // read back from a Ginkgo JSON report
		if json.Unmarshal([]byte(e.Value.AsJSON), &why) == nil {
			return why
		}
	}
	return ""
}

// verdictOf maps a spec's end state to a verdict and its reason.
func verdictOf(r types.Report, s types.SpecReport) (Verdict, string) {
	switch why := notRunIn(s); {
	case why != "" && s.State == types.SpecStateSkipped:
		return NotRun, cutShort + why
	case s.State == types.SpecStatePassed:
		return Holds, ""
	case s.State == types.SpecStateAborted && s.StartTime.IsZero() && s.Failure.Message != "":
		// Never started, yet aborted: a process of a parallel run
		// (internal/parallel) that left no report, which the message
		// names and says how it ended.
		return NotRun, cutShort + s.Failure.Message
	case s.State.Is(types.SpecStateInterrupted | types.SpecStateAborted):
		return NotRun, whyInterrupted
	case s.State == types.SpecStateTimedout && strings.HasPrefix(s.Failure.Message, suiteTimeout):
		// Ginkgo ends the spec under way when the suite's timeout (the
		// run's --deadline) elapses: the run's limit, not the target's.
		return NotRun, whyOutOfTime
	case s.State.Is(types.SpecStateFailureStates):
		// Failed, timed out, panicked: the target did not do what the rule
		// says within the spec's limits.
		return Broken, ""
	case s.State == types.SpecStatePending:
		return NotRun, "pending: the spec is not written yet"
	}
	if msg := firstFinding(s.Failure.Message); msg != "" {
		return NotCheckable, msg // a Skip with its reason (suites/framework.Requires)
	}
	if len(r.SpecialSuiteFailureReasons) > 0 && s.RunTime == 0 && r.PreRunStats.SpecsThatWillRun > 0 && !filteredOut(r) {
		return NotRun, cutShort + NotReached(r.SpecialSuiteFailureReasons)
	}
	if !filteredOut(r) {
		return NotRun, whyNotBegun
	}
	return NotRun, whyNotSelected
}

// filteredOut reports whether the run's filters left specs out at all: when
// they did not, an unrun spec was not reached rather than not selected.
func filteredOut(r types.Report) bool {
	return r.PreRunStats.TotalSpecs > r.PreRunStats.SpecsThatWillRun
}

// areaOf is the area of a spec: KP when it is about the KP API alone, else
// the first area its containers (outermost first) or the spec name.
func areaOf(s types.SpecReport) string {
	ls := s.Labels()
	if slices.Contains(ls, labels.KP) && !slices.Contains(ls, labels.HPP) {
		return labels.KP
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

// compareSpec orders "file.go:12" locations by file, then line.
func compareSpec(a, b string) int {
	af, al, _ := strings.Cut(a, ":")
	bf, bl, _ := strings.Cut(b, ":")
	an, _ := strconv.Atoi(al)
	bn, _ := strconv.Atoi(bl)
	return cmp.Or(strings.Compare(af, bf), cmp.Compare(an, bn))
}

func areaRank(area string) int {
	if i := slices.Index(Areas, area); i >= 0 {
		return i
	}
	return len(Areas)
}

// judgementIn is the Judgement the framework attached to a spec that ran,
// or nil (a spec that failed before the framework set up).
func judgementIn(s types.SpecReport) *Judgement {
	for _, e := range s.ReportEntries {
		if e.Name != JudgementEntry {
			continue
		}
		if j, ok := e.GetRawValue().(Judgement); ok {
			return &j
		}
		// Read back from a Ginkgo JSON report, the value is only JSON.
		var j Judgement
		if json.Unmarshal([]byte(e.Value.AsJSON), &j) == nil && j.Verdict != "" {
			return &j
		}
	}
	return nil
}

// evidenceIn is the evidence of a failed spec the framework did not judge
// (a panic in a BeforeEach): its message stands in.
func evidenceIn(s types.SpecReport) *Evidence {
	msg := Plain(s.Failure.Message)
	if msg == "" {
		msg = string(s.State.String())
	}
	return &Evidence{Violation: msg, Kind: KindExpectation}
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
