package runreport

import (
	"cmp"
	"fmt"
	"github.com/kconform/kconform/internal/contract"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Finding is one distinct defect of the target: a contract violation
// (one per operation × status × pointer × contract rule), or a kind of
// failed expectation (one per operation or step and message), however many
// rules met it.
type Finding struct {
	// Kind is KindContract or KindExpectation.
	Kind      string `json:"kind"`
	Operation string `json:"operation,omitempty"`
	Status    int    `json:"status,omitempty"`
	// Pointer and ContractRule locate a contract violation.
	Pointer      string `json:"pointer,omitempty"`
	ContractRule string `json:"contract_rule,omitempty"`
	// What says what is wrong, in one line; for an expectation met on
	// several operations, with "…" where they differ.
	What string `json:"what"`
	// Operations are the operations an expectation finding was met on.
	Operations []string `json:"operations,omitempty"`
	// Seen is how often the run met it (exchanges, or rules for an
	// expectation).
	Seen int `json:"seen"`
	// Example is one redacted exchange that shows it.
	Example string `json:"example,omitempty"`
	// Broken and Blocked are the rules it broke or blocked; Failed those
	// whose specs it failed on the way, though they are about other
	// operations (FailedElsewhere); Touched the others whose exchanges met
	// it (they failed first on their own assertion or another defect).
	Broken  []string `json:"broken,omitempty"`
	Blocked []string `json:"blocked,omitempty"`
	Failed  []string `json:"failed_elsewhere,omitempty"`
	Touched []string `json:"touched,omitempty"`

	// first is the message of the first rule that met an expectation
	// finding: its What when no other rule did, values unmasked.
	first string
	// message is a contract finding's issue message (the schema's words,
	// without operation or pointer), side the half of the exchange.
	message, side string
	// desc, expected and answered are a wrong status's rule description
	// (operations masked), the status expected and those answered.
	desc, expected string
	answered       []string
}

// Impact orders findings: rules broken or blocked first, then rules
// touched, then how often seen.
func (f Finding) impact() (int, int, int) {
	return len(f.Broken) + len(f.Blocked) + len(f.Failed), len(f.Touched), f.Seen
}

// ids are the parts of a message that differ between runs and sessions
// (UUIDs, hex ids, kconform's references, timestamps), masked so that one
// kind of failure is one finding.
var ids = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|kconform-[0-9a-f]+-\d+|\b[0-9a-fA-F]{16,}\b|\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)?|/sessions/[^/\s"]+|/authorizations/[^/\s"]+|/cb/[0-9a-f]+`)

var (
	// operationWord is an operation id in a message (createHppSession).
	operationWord = regexp.MustCompile(`\b[a-z]+(?:[A-Z][a-z]+)+\b`)
	withBody      = regexp.MustCompile(`(?s)with body:?.*$`)
	// wrongStatus is a failed status expectation (framework.HaveStatus).
	// (framework.HaveStatus, HaveStatusIn: "Expected HTTP status 201 or 204").
	wrongStatus = regexp.MustCompile(`Expected HTTP status (\d{3}(?: or \d{3})*), the target answered (\d{3})( \([^)]*\))?`)
	// gotExpected is the "got X; expected it Y" of a failed value
	// expectation (Plain), after the rule's own description.
	gotExpected = regexp.MustCompile(`got .*; expected it .*$`)
)

// kindOf is the kind of a failed expectation: its message with what
// differs between operations, sessions and runs masked ("…"), and the
// body the target sent left out (the example exchange shows it). The
// status the target answered is never masked: it is what was wrong.
func kindOf(msg string) string {
	msg = ids.ReplaceAllString(msg, "…")
	msg = operationWord.ReplaceAllString(msg, "…")
	return strings.TrimSpace(withBody.ReplaceAllString(msg, ""))
}

// wrongAnswer is the key and the title of a failed expectation that is
// the same wrong answer wherever it was met (a rule's own request, a setup
// step of its operation, or a step that blocked another rule): the
// operation, the status expected and the status answered; or the
// operation, its status and the value got where another was expected,
// whatever words each rule described it with. ok is false for the rest.
func wrongAnswer(op string, status int, msg string) (key, what string, ok bool) {
	subject := op
	if subject == "" {
		subject = "the target"
	}
	if m := wrongStatus.FindStringSubmatch(msg); m != nil {
		return "s\x00" + op + "\x00" + m[1] + "\x00" + m[2],
			fmt.Sprintf("%s: expected HTTP status %s, the target answered %s%s", subject, m[1], m[2], m[3]), true
	}
	if m := gotExpected.FindString(msg); m != "" && op != "" {
		masked := ids.ReplaceAllString(m, "…")
		return "v\x00" + op + "\x00" + strconv.Itoa(status) + "\x00" + masked,
			strings.TrimPrefix(msg, "could not "), true
	}
	return "", "", false
}

// Findings gathers the distinct defects of the rules, most impact first.
func Findings(rules []Rule) []Finding {
	byKey := map[string]*Finding{}
	var order []string
	get := func(key string, f Finding) *Finding {
		if got, ok := byKey[key]; ok {
			return got
		}
		byKey[key] = &f
		order = append(order, key)
		return &f
	}
	add := func(list *[]string, rule string) {
		if !slices.Contains(*list, rule) {
			*list = append(*list, rule)
		}
	}
	contractKey := func(op string, status int, side, in, ptr, rule string) string {
		return "c\x00" + op + "\x00" + strconv.Itoa(status) + "\x00" + side + "\x00" + in + "\x00" + ptr + "\x00" + rule
	}
	for _, r := range rules {
		for _, s := range r.Seen {
			i := s.Issue
			f := get(contractKey(s.Operation, s.Status, string(i.Side), i.In, i.Pointer, i.Rule), Finding{
				Kind: KindContract, Operation: s.Operation, Status: s.Status, Pointer: i.Pointer, ContractRule: i.Rule,
				What: IssueLine(s.Operation, s.Status, i), Example: s.Exchange, message: i.Message, side: string(i.Side),
			})
			f.Seen++
			add(&f.Touched, r.Rule)
		}
		e := r.Evidence
		if e == nil || (r.Verdict != Broken && r.Verdict != Blocked && r.Verdict != FailedElsewhere) {
			continue
		}
		var f *Finding
		if e.Kind == KindContract {
			f = get(contractKey(e.Operation, e.Status, e.Side, e.In, e.Pointer, e.ContractRule), Finding{
				Kind: KindContract, Operation: e.Operation, Status: e.Status, Pointer: e.Pointer, ContractRule: e.ContractRule,
				What: e.Violation, Example: e.Exchange, Seen: 1, message: contractMessage(e.Violation), side: e.Side,
			})
		} else if strings.HasPrefix(e.Violation, e.Operation+NoCallback) && e.Operation != "" {
			// One missing callback, whatever each rule expected of it.
			f = get("n\x00"+e.Operation, Finding{Kind: KindExpectation, Operation: e.Operation,
				What: e.Operation + ": the target sent no callback where the rules expected one", first: e.Violation})
			f.Seen++
		} else if key, what, ok := wrongAnswer(e.Operation, e.Status, e.Violation); ok {
			f = get(key, Finding{Kind: KindExpectation, Operation: e.Operation, Status: e.Status, What: what, Example: e.Exchange})
			if m := wrongStatus.FindStringSubmatchIndex(e.Violation); m != nil && f.expected == "" {
				desc := strings.TrimSuffix(strings.TrimSpace(e.Violation[:m[0]]), ":")
				if r.Step != "" {
					desc = "" // a step's failure: its words are the step's, not the rule's
				}
				f.desc, f.expected = kindOf(desc), e.Violation[m[2]:m[3]]
				f.answered = []string{e.Violation[m[4]:m[5]]}
			}
			f.Seen++
			if !slices.Contains(f.Operations, e.Operation) {
				f.Operations = append(f.Operations, e.Operation)
			}
		} else {
			what := kindOf(e.Violation)
			subject := ""
			if r.Step != "" {
				subject = "step " + r.Step
			}
			f = get("e\x00"+subject+"\x00"+what, Finding{
				Kind: KindExpectation, Operation: e.Operation, Status: e.Status, What: what, Example: e.Exchange, first: e.Violation,
			})
			f.Seen++
			if e.Operation != "" && !slices.Contains(f.Operations, e.Operation) {
				f.Operations = append(f.Operations, e.Operation)
			}
		}
		switch r.Verdict {
		case Broken:
			add(&f.Broken, r.Rule)
		case FailedElsewhere:
			add(&f.Failed, r.Rule)
		default:
			add(&f.Blocked, r.Rule)
		}
	}
	order = mergeEmbedded(byKey, order)
	order = mergeAcrossOperations(byKey, order)
	out := make([]Finding, 0, len(order))
	for _, k := range order {
		f := *byKey[k]
		if f.Seen == 1 && f.first != "" {
			f.What = f.first
		}
		f.Touched = slices.DeleteFunc(f.Touched, func(r string) bool {
			return slices.Contains(f.Broken, r) || slices.Contains(f.Blocked, r) || slices.Contains(f.Failed, r)
		})
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		a1, a2, a3 := a.impact()
		b1, b2, b3 := b.impact()
		return cmp.Or(cmp.Compare(b1, a1), cmp.Compare(b2, a2), cmp.Compare(b3, a3), cmp.Compare(a.What, b.What))
	})
	return out
}

// contractMessage is the issue message of a contract violation's line
// (IssueLine): what follows the pointer, without the rule.
func contractMessage(line string) string {
	_, rest, _ := strings.Cut(line, ": ")
	_, msg, _ := strings.Cut(rest, ": ")
	if i := strings.LastIndex(msg, " ["); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// mergeEmbedded folds a contract finding into another that is the same
// schema defect of the same object embedded elsewhere: the same contract
// rule and message, at a pointer that ends with the other's (/status of
// the HPP session a read answers, /session/status of the same session in
// a callback body). The target got one object wrong once, so it is one
// finding; it names every operation it was seen in. Findings at the same
// pointer of different operations stay apart (a KP and an HPP create each
// missing session_id are two defects), as do whole-body ("") ones.
func mergeEmbedded(byKey map[string]*Finding, order []string) []string {
	var kept []string
	for _, k := range order {
		f := byKey[k]
		var into *Finding
		if f.Kind == KindContract {
			for _, ok := range kept {
				if g := byKey[ok]; g.Kind == KindContract && g.ContractRule == f.ContractRule && embedded(f, g) {
					into = g
					break
				}
			}
		}
		if into == nil {
			kept = append(kept, k)
			continue
		}
		if len(f.Pointer) < len(into.Pointer) {
			// The object itself (the shorter pointer) names the finding.
			*into, *f = *f, *into
		}
		into.Seen += f.Seen
		for _, list := range []struct{ to, from *[]string }{{&into.Broken, &f.Broken}, {&into.Blocked, &f.Blocked}, {&into.Failed, &f.Failed}, {&into.Touched, &f.Touched}} {
			for _, r := range *list.from {
				if !slices.Contains(*list.to, r) {
					*list.to = append(*list.to, r)
				}
			}
		}
		if len(into.Operations) == 0 {
			into.Operations = []string{into.Operation}
		}
		if !slices.Contains(into.Operations, f.Operation) {
			into.Operations = append(into.Operations, f.Operation)
			into.What += fmt.Sprintf(" (the same field also in %s %s body %s)", f.Operation, f.side, f.Pointer)
		}
	}
	return kept
}

// embedded reports whether a and b are one schema defect of one object,
// one of them seen embedded in a larger body: the longer pointer is a
// prefix plus the shorter, and the messages agree once the prefix is taken
// out of the longer one's (a "none of the allowed shapes" names the
// fields it looked at, under the prefix) and the values they show left
// out. A whole body ("") matches an
// embedded object only when its message names such fields.
func embedded(a, b *Finding) bool {
	if len(a.Pointer) < len(b.Pointer) {
		a, b = b, a
	}
	if a.Pointer == b.Pointer || a.message == "" || !strings.HasSuffix(a.Pointer, b.Pointer) {
		return false
	}
	prefix := strings.TrimSuffix(a.Pointer, b.Pointer)
	if !strings.HasPrefix(prefix, "/") || (b.Pointer != "" && !strings.HasPrefix(b.Pointer, "/")) {
		return false
	}
	// The values an issue shows may differ (the object seen at two
	// moments: "waiting" read, "in_progress" called back); the defect not.
	long, short := contract.WithoutActual(a.message), contract.WithoutActual(b.message)
	msg := strings.ReplaceAll(long, prefix+"/", "/")
	if b.Pointer == "" {
		return msg != long && msg == short
	}
	return msg == short
}

// mergeAcrossOperations folds together wrong statuses of different
// operations that fail the same kind of rule the same way: the same rule
// description once the operation is masked ("… without valid
// credentials") and the same status expected. A target that never checks
// credentials is one finding, not one per operation; its title lists
// every status the target answered.
func mergeAcrossOperations(byKey map[string]*Finding, order []string) []string {
	var kept []string
	for _, k := range order {
		f := byKey[k]
		var into *Finding
		if f.desc != "" && f.expected != "" {
			for _, ok := range kept {
				if g := byKey[ok]; g.desc == f.desc && g.expected == f.expected && g.Operation != f.Operation {
					into = g
					break
				}
			}
		}
		if into == nil {
			kept = append(kept, k)
			continue
		}
		into.Seen += f.Seen
		into.Broken = append(into.Broken, f.Broken...)
		into.Blocked = append(into.Blocked, f.Blocked...)
		into.Failed = append(into.Failed, f.Failed...)
		for _, op := range f.Operations {
			if !slices.Contains(into.Operations, op) {
				into.Operations = append(into.Operations, op)
			}
		}
		for _, a := range f.answered {
			if !slices.Contains(into.answered, a) {
				into.answered = append(into.answered, a)
			}
		}
		into.What = fmt.Sprintf("%s: expected HTTP status %s, the target answered %s", into.desc, into.expected, strings.Join(into.answered, " or "))
	}
	return kept
}

// Headline is a finding in one line for a summary: what, and its effect.
func (f Finding) Headline() string {
	return f.What + f.on() + " (" + f.Effect() + ")"
}

// on names the operations of an expectation finding met on several.
func (f Finding) on() string {
	if len(f.Operations) < 2 {
		return ""
	}
	return " [on " + strings.Join(f.Operations, ", ") + "]"
}

// Effect says what a finding did to the rules and how often it was seen.
func (f Finding) Effect() string {
	var parts []string
	if n := len(f.Broken); n > 0 {
		parts = append(parts, fmt.Sprintf("breaks %d rule(s)", n))
	}
	if n := len(f.Failed); n > 0 {
		parts = append(parts, fmt.Sprintf("fails %d other rule(s) whose steps or clean-ups met it", n))
	}
	if n := len(f.Blocked); n > 0 {
		parts = append(parts, fmt.Sprintf("blocks %d", n))
	}
	if n := len(f.Touched); n > 0 {
		// Never "hold": any violation fails the spec (framework.checkContract),
		// so a rule that met this one failed first on something else.
		parts = append(parts, fmt.Sprintf("met in %d other rule(s) that failed first on something else", n))
	}
	return strings.Join(append(parts, fmt.Sprintf("seen %d×", f.Seen)), ", ")
}

// KindRoute: the target does not serve an operation's route at all.
const KindRoute = "route"

// Unserved is an operation whose route the target does not serve, as the
// probe before the suites found: it answered 404 (or 405, 501) without
// Klarna's error shape to an unknown id and to an id it had just created.
type Unserved struct {
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Why       string `json:"why"`
}

// routeFindings are the unserved routes as findings, ahead of the rest:
// every rule about such an operation can only fail.
func routeFindings(unserved []Unserved, rules []Rule) []Finding {
	var out []Finding
	for _, u := range unserved {
		f := Finding{Kind: KindRoute, Operation: u.Operation, Seen: 1,
			What:    fmt.Sprintf("%s (%s %s) is not served: %s", u.Operation, u.Method, u.Path, u.Why),
			Example: u.Method + " " + u.Path}
		for _, r := range rules {
			if slices.Contains(r.About, u.Operation) && (r.Verdict == Broken || r.Verdict == Blocked) {
				f.Broken = append(f.Broken, r.Rule)
			}
		}
		out = append(out, f)
	}
	return out
}
