package audit

import (
	"cmp"
	"slices"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/recording"
)

// Verdict is the outcome of one entry.
type Verdict string

const (
	// Conforms: no violation (warnings allowed).
	Conforms Verdict = "conforms"
	// Violates: at least one violation.
	Violates Verdict = "violates"
	// Outside: no operation of the contract, or the recording does not say
	// which; counted and listed, a violation only in strict mode.
	Outside Verdict = "outside"
	// Unreadable: the entry could not be turned into an exchange.
	Unreadable Verdict = "unreadable"
)

// Entry is the outcome of one entry of a recording.
type Entry struct {
	File  string
	Index int
	Kind  recording.Kind
	// Method and URL of the request, "" when not recorded; the URL has any
	// userinfo redacted.
	Method string
	URL    string
	// Operation is the operationId checked against, "" when none.
	Operation string
	// Status of the response, 0 when not recorded.
	Status  int
	Verdict Verdict
	// Issues are sorted: request before response, then by pointer and rule.
	Issues []contract.Issue
	// Err says why an Unreadable entry could not be read.
	Err error
	// Credentials are what the request authenticated with (Authorization
	// values, a URL password), never shown: whatever prints the entry
	// scrubs them and their forms (exchange.Scrubber.AddCredentials).
	Credentials []string
}

// Violations counts the issues that break the contract.
func (e *Entry) Violations() int { return countSeverity(e.Issues, contract.Violation) }

// Warnings counts the issues that only report additions.
func (e *Entry) Warnings() int { return countSeverity(e.Issues, contract.Warning) }

func countSeverity(issues []contract.Issue, s contract.Severity) int {
	n := 0
	for _, i := range issues {
		if i.Severity == s {
			n++
		}
	}
	return n
}

// verdict decides an entry's outcome from its issues.
func (e *Entry) verdict() Verdict {
	switch {
	case e.Err != nil:
		return Unreadable
	case e.Violations() > 0:
		return Violates
	case e.Operation == "":
		return Outside
	}
	return Conforms
}

var sideOrder = map[contract.Side]int{contract.Request: 0, contract.Response: 1}

// sortIssues gives every output the same order whatever order the checks
// found them in.
func sortIssues(issues []contract.Issue) {
	slices.SortStableFunc(issues, func(a, b contract.Issue) int {
		return cmp.Or(
			cmp.Compare(sideOrder[a.Side], sideOrder[b.Side]),
			cmp.Compare(a.In, b.In),
			cmp.Compare(a.Pointer, b.Pointer),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Summary counts the outcomes of a run.
type Summary struct {
	Files           int `json:"files"`
	UnreadableFiles int `json:"unreadable_files"`
	Entries         int `json:"entries"`
	// Conforming: entries that conform, of files read to their end; those
	// of a file that could not be are counted as Unreadable.
	Conforming int `json:"conforming"`
	Violating  int `json:"violating"`
	Outside    int `json:"outside"`
	Unreadable int `json:"unreadable"`
	Violations int `json:"violations"`
	Warnings   int `json:"warnings"`
	// UncheckedFiles are files (and folders) in which nothing was checked
	// against the contract: no entry, or only entries outside it.
	UncheckedFiles int `json:"unchecked_files"`
}

func (s *Summary) add(e *Entry) {
	s.Entries++
	switch e.Verdict {
	case Conforms:
		s.Conforming++
	case Violates:
		s.Violating++
	case Outside:
		s.Outside++
	case Unreadable:
		s.Unreadable++
	}
	s.Violations += e.Violations()
	s.Warnings += e.Warnings()
}

// Exit codes of kconform validate.
const (
	ExitConforms   = 0
	ExitViolations = 1
	ExitUnreadable = 2
	// ExitNothingChecked: everything read conforms, but some file or folder
	// had nothing to check (or no path had any), so 0 would vouch for
	// nothing.
	ExitNothingChecked = 3
)

// ExitCode is 2 when an input could not be read, 1 when something does not
// conform, 3 when a file (or the whole run) checked nothing, 0 otherwise.
func (s Summary) ExitCode() int {
	switch {
	case s.UnreadableFiles > 0 || s.Unreadable > 0:
		return ExitUnreadable
	case s.Violating > 0:
		return ExitViolations
	case s.UncheckedFiles > 0 || s.Conforming == 0:
		return ExitNothingChecked
	}
	return ExitConforms
}
