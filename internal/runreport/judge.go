package runreport

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/labels"
)

// JudgementEntry names the Ginkgo report entry a spec carries its
// Judgement in (suites/framework attaches it once the spec is over).
const JudgementEntry = "kconform judgement"

// Exchange is what judging a spec needs of one of its exchanges (the
// framework fills it from its transport records; every text is redacted).
type Exchange struct {
	// Kind is api, page, control or callback.
	Kind string `json:"kind"`
	// Operation is the contract operation the exchange matched, "" for
	// none (pages, the control plane, unrouted requests).
	Operation string `json:"operation,omitempty"`
	Status    int    `json:"status,omitempty"`
	// Brief is the one-line summary ("api GET http://h/... → 200 (op)").
	Brief string `json:"brief"`
	// Step is the setup step that sent it, "" for the spec's own requests.
	Step string `json:"step,omitempty"`
	// Cleanup marks an exchange a clean-up sent after the spec's body.
	Cleanup bool `json:"cleanup,omitempty"`
	// Issues are the contract violations of the exchange (the request
	// half of a deliberately invalid request left out).
	Issues  []contract.Issue `json:"issues,omitempty"`
	Started time.Time        `json:"-"`
	// Err is the transport error of an exchange that got no answer.
	Err string `json:"err,omitempty"`
}

// Facts are what a spec did, for Judge: the operations its rule is about,
// its exchanges and how it ended.
type Facts struct {
	// About are the operations the rule is about, declared on the spec
	// (framework.About); the operations of the spec's own requests are
	// added to them.
	About  []string
	Labels []string
	// Exchanges in the order they were sent.
	Exchanges []Exchange
	// Failure is the first failure of the spec's body (nil when the body
	// passed); CleanupFailure is one of a clean-up.
	Failure        *Failure
	CleanupFailure string
}

// Failure is how a spec's body failed.
type Failure struct {
	Message string
	At      time.Time
	// Step is the setup step that was under way, "" when the spec's own
	// assertion failed.
	Step string
}

// Judgement is the verdict on one rule with what it rests on.
type Judgement struct {
	Verdict Verdict `json:"verdict"`
	// About are the operations the rule is about.
	About []string `json:"about,omitempty"`
	// Step is the setup step a blocked rule could not do, or that met
	// the defect of a rule that failed elsewhere.
	Step string `json:"step,omitempty"`
	// Why says why a rule failed elsewhere, or was blocked by a rate
	// limit (RateLimited).
	Why      string    `json:"why,omitempty"`
	Evidence *Evidence `json:"evidence,omitempty"`
	// Seen are the contract violations of every exchange of the spec.
	Seen []Seen `json:"seen,omitempty"`
	// Cleanup says what went wrong in the spec's clean-ups; it never
	// changes the verdict.
	Cleanup []string `json:"cleanup,omitempty"`
}

// Seen is one contract violation in one exchange of a spec.
type Seen struct {
	Operation string         `json:"operation"`
	Status    int            `json:"status"`
	Issue     contract.Issue `json:"issue"`
	Exchange  string         `json:"exchange"`
}

// Judge gives the verdict on a spec's rule by its subject. The rule is
// broken when its own assertion failed, or when an exchange of an
// operation it is about broke the contract; blocked when a setup step
// about another operation could not be done; otherwise it holds. A
// violation in another operation's exchange is seen (a finding of that
// operation) but does not break the rule; when it failed the spec (a step's,
// a callback's or a clean-up's exchange, or a clean-up's own failure) the
// rule is failed-elsewhere, never holds: Ginkgo says [FAIL].
func Judge(f Facts) Judgement {
	about := slices.Clone(f.About)
	for _, e := range f.Exchanges {
		if e.Kind == "api" && e.Step == "" && !e.Cleanup && e.Operation != "" {
			about = append(about, e.Operation)
		}
	}
	slices.Sort(about)
	about = slices.Compact(about)
	j := Judgement{Verdict: Holds, About: about}
	isAbout := func(op string) bool { return op != "" && slices.Contains(about, op) }

	for _, e := range f.Exchanges {
		for _, i := range distinct(e.Issues) {
			status := e.Status
			if i.Side == contract.Request {
				status = 0 // what the receiver answered says nothing of a request's body
			}
			j.Seen = append(j.Seen, Seen{Operation: e.Operation, Status: status, Issue: i, Exchange: e.Brief})
		}
		if e.Cleanup && len(e.Issues) > 0 {
			j.Cleanup = append(j.Cleanup, e.Brief+": "+IssueLine(e.Operation, e.Status, e.Issues[0]))
		}
	}
	if f.CleanupFailure != "" {
		j.Cleanup = append(j.Cleanup, Plain(f.CleanupFailure))
	}

	if fl := f.Failure; fl != nil {
		if e := rateLimited(f, fl); e != nil {
			// The target refused to answer for now: nothing is known of
			// the rule. A 429 is a documented answer (the real playground
			// gives it with an empty body: reference §"Rate limits"), not
			// a defect of the operation.
			j.Verdict, j.Step = Blocked, fl.Step
			// One wording, whatever the rule expected: one finding per
			// operation the target rate-limited, not one per expectation.
			j.Evidence = &Evidence{Exchange: e.Brief, Operation: e.Operation, Status: e.Status, Kind: KindExpectation,
				Violation: e.Operation + ": the target answered 429 Too Many Requests (its rate limit)"}
			j.Why = RateLimited
			return j
		}
		if fl.Step != "" {
			step := lastOf(f.Exchanges, fl.At, func(e Exchange) bool { return e.Step == fl.Step })
			if step == nil || !isAbout(step.Operation) {
				j.Verdict, j.Step = Blocked, fl.Step
				j.Evidence = failureEvidence(step, fl.Message)
				// the step's own assertions often name it too: say it once
				j.Evidence.Violation = "could not " + fl.Step + ": " + strings.TrimPrefix(j.Evidence.Violation, fl.Step+": ")
				return j
			}
			j.Verdict = Broken
			j.Evidence = failureEvidence(step, fl.Message)
			return j
		}
		j.Verdict = Broken
		j.Evidence = failureEvidence(subjectExchange(f, fl.At), fl.Message)
		if op := awaitedCallback(f, about, fl.At); op != "" && j.Evidence.Kind == KindExpectation && strings.HasPrefix(Plain(fl.Message), gaveUp) {
			// No callback came: the defect is the callback's, not that of
			// the read or the DELETE the spec sent before it gave up.
			j.Evidence = &Evidence{Operation: op, Violation: op + NoCallback + Plain(fl.Message), Kind: KindExpectation}
		}
		return j
	}
	for _, e := range f.Exchanges {
		if !e.Cleanup && len(e.Issues) > 0 && isAbout(e.Operation) {
			j.Verdict = Broken
			j.Evidence = violationEvidence(e)
			return j
		}
	}
	// Ginkgo fails the spec for any exchange that broke the contract
	// (framework.checkContract), its body's or a clean-up's, about the rule
	// or not: such a rule does not hold, though the defect is another
	// operation's (or a clean-up's). The body's exchanges come first: they
	// are nearer the rule.
	for _, cleanup := range []bool{false, true} {
		for _, e := range f.Exchanges {
			if e.Cleanup != cleanup || len(e.Issues) == 0 {
				continue
			}
			j.Verdict, j.Step = FailedElsewhere, e.Step
			j.Evidence = violationEvidence(e)
			op := e.Operation
			if op == "" {
				op = "an unknown operation"
			}
			where := "an exchange of the spec"
			switch {
			case e.Cleanup:
				where = "its clean-up"
			case e.Step != "":
				where = "its step “" + e.Step + "”"
			case e.Kind == "callback":
				where = "a callback it received"
			case e.Kind == "page":
				where = "a page it opened"
			}
			j.Why = fmt.Sprintf("the spec failed for a contract defect of %s that %s met (that operation's finding, counted there once); the rule's own assertions passed", op, where)
			return j
		}
	}
	// A clean-up that failed fails the spec too (Ginkgo's [FAIL]).
	if f.CleanupFailure != "" {
		j.Verdict = FailedElsewhere
		j.Evidence = &Evidence{Violation: "clean-up: " + Plain(f.CleanupFailure), Kind: KindExpectation}
		j.Why = "the spec failed in a clean-up after the rule's own assertions passed"
	}
	return j
}

// RateLimited is why a rule whose exchange the target answered with 429
// Too Many Requests is blocked.
const RateLimited = "the target answered 429 Too Many Requests (its rate limit), so the rule could not be checked: run again later or with fewer --procs"

// rateLimited is the exchange a failure is about when the target answered
// it 429, else nil: a setup step's, or the rule's own.
func rateLimited(f Facts, fl *Failure) *Exchange {
	var e *Exchange
	if fl.Step != "" {
		e = lastOf(f.Exchanges, fl.At, func(e Exchange) bool { return e.Step == fl.Step })
	} else {
		e = subjectExchange(f, fl.At)
	}
	if e == nil || e.Kind != "api" || e.Status != http.StatusTooManyRequests {
		return nil
	}
	return e
}

// NoCallback follows the callback operation in the evidence of a callback
// rule that failed because no callback arrived.
const NoCallback = ": the target sent no callback; "

// gaveUp opens the plain words of an Eventually that timed out (Tidy):
// a callback rule waiting for a call that never came.
const gaveUp = "still not so after "

// awaitedCallback is the callback operation a callback rule is about
// (framework.About) when none of its calls arrived before at, else "".
func awaitedCallback(f Facts, about []string, at time.Time) string {
	if !slices.Contains(f.Labels, labels.Callbacks) || lastOf(f.Exchanges, at, func(e Exchange) bool { return e.Kind == "callback" }) != nil {
		return ""
	}
	for _, op := range about {
		if !slices.ContainsFunc(f.Exchanges, func(e Exchange) bool { return e.Operation == op }) {
			return op
		}
	}
	return ""
}

// distinct leaves out the issues that only restate another of the same
// exchange: a "matches none of the allowed shapes" (oneOf, anyOf) whose
// reasons name a field another issue already points at.
func distinct(issues []contract.Issue) []contract.Issue {
	var out []contract.Issue
	for _, i := range issues {
		restates := false
		if i.Rule == "schema.oneOf" || i.Rule == "schema.anyOf" {
			for _, other := range issues {
				if other.Pointer != i.Pointer && other.Pointer != "" && strings.Contains(i.Message, other.Pointer+" ") {
					restates = true
					break
				}
			}
		}
		if !restates {
			out = append(out, i)
		}
	}
	return out
}

// lastOf is the last exchange before at (any time when at is zero) that
// matches keep, or nil.
func lastOf(xs []Exchange, at time.Time, keep func(Exchange) bool) *Exchange {
	var last *Exchange
	for i := range xs {
		e := &xs[i]
		if !at.IsZero() && e.Started.After(at) {
			break
		}
		if keep(*e) {
			last = e
		}
	}
	return last
}

// subjectExchange is the exchange a failed assertion is about: a contract
// violation of the spec's own requests when the failure is one, else the
// last callback of a callback rule, the last page answer (the redirect) of
// a placeholder rule, or the last exchange before the failure.
func subjectExchange(f Facts, at time.Time) *Exchange {
	body := func(e Exchange) bool { return !e.Cleanup }
	if strings.Contains(f.Failure.Message, "contract violation") {
		if e := firstOf(f.Exchanges, at, func(e Exchange) bool { return body(e) && e.Step == "" && len(e.Issues) > 0 }); e != nil {
			return e
		}
	}
	var prefer []func(Exchange) bool
	if slices.Contains(f.Labels, labels.Callbacks) {
		prefer = append(prefer, func(e Exchange) bool { return body(e) && e.Kind == "callback" })
	}
	if slices.Contains(f.Labels, labels.Placeholders) {
		prefer = append(prefer, func(e Exchange) bool { return body(e) && e.Kind == "page" })
	}
	prefer = append(prefer, func(e Exchange) bool { return body(e) && e.Kind != "control" })
	for _, keep := range prefer {
		if e := lastOf(f.Exchanges, at, keep); e != nil {
			return e
		}
	}
	return nil
}

func firstOf(xs []Exchange, at time.Time, keep func(Exchange) bool) *Exchange {
	for i := range xs {
		e := &xs[i]
		if !at.IsZero() && e.Started.After(at) {
			break
		}
		if keep(*e) {
			return e
		}
	}
	return nil
}

// failureEvidence is the evidence of a failed assertion about exchange e
// (nil when it sent nothing): the exchange's own contract violation when it
// has one and the failure is about it, else the failure in plain words.
func failureEvidence(e *Exchange, message string) *Evidence {
	if e == nil {
		return &Evidence{Violation: Plain(message), Kind: KindExpectation}
	}
	if len(e.Issues) > 0 && (e.Step != "" || strings.Contains(message, "contract violation")) {
		return violationEvidence(*e)
	}
	status := e.Status
	if e.Kind == "callback" {
		status = 0 // kconform's receiver answered it: says nothing of the target
	}
	return &Evidence{Exchange: e.Brief, Operation: e.Operation, Status: status, Violation: Plain(message), Kind: KindExpectation}
}

func violationEvidence(e Exchange) *Evidence {
	i := distinct(e.Issues)[0]
	status := e.Status
	if i.Side == contract.Request {
		status = 0
	}
	return &Evidence{Exchange: e.Brief, Operation: e.Operation, Status: status, Violation: IssueLine(e.Operation, status, i),
		Kind: KindContract, Pointer: i.Pointer, ContractRule: i.Rule, Side: string(i.Side), In: i.In}
}

// IssueLine is a contract violation in one line, in the field's words:
// "createCreditSession → 200: response body /client_token: property
// "client_token" is missing [schema.required]".
func IssueLine(op string, status int, i contract.Issue) string {
	where := string(i.Side) + " " + i.In
	switch {
	case i.In == contract.InBody && i.Pointer == "":
		where += " (root)"
	case i.Pointer != "":
		where += " " + i.Pointer
	}
	head := op
	if head == "" {
		head = "unknown operation"
	}
	if status != 0 {
		head += fmt.Sprintf(" → %d", status)
	}
	return fmt.Sprintf("%s: %s: %s [%s]", head, where, i.Message, i.Rule)
}
