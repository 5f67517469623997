package framework

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/labels"
)

// The label registry: every label a spec may carry, in one closed list. A
// spec that uses a label not listed here makes the whole run refuse to
// start (CheckSpecs), so a typo can never silently drop a spec from a
// --label-filter selection. Specs write Label(framework.HPP, ...).
//
// The names are internal/labels' (the report and the tests import them
// there); these are the spellings specs use. Area labels say what a spec checks; need labels say what the target must
// offer beyond the API, and a spec carrying one is skipped, with the reason,
// on a target that lacks it (see Requires).
const (
	// Areas.
	HPP          = labels.HPP
	KP           = labels.KP
	Lifecycle    = labels.Lifecycle
	Placeholders = labels.Placeholders
	Expiry       = labels.Expiry
	Errors       = labels.Errors
	Callbacks    = labels.Callbacks
	Distribution = labels.Distribution

	// Needs.
	Consumer = labels.Consumer
	Clock    = labels.Clock

	// Evidence classes (sources.go): given by framework.Cites, never written by hand.
	Assumption = labels.Assumption
)

// labelInfo is one registry entry.
type labelInfo struct {
	need bool
	use  string
}

var registry = map[string]labelInfo{
	HPP:          {use: "specs of the Hosted Payment Page API"},
	KP:           {use: "specs of the Klarna Payments API"},
	Lifecycle:    {use: "session status changes, terminal states, tokens and orders"},
	Placeholders: {use: "{{session_id}}, {{authorization_token}}, {{order_id}} in merchant URLs, URL encoding, fallbacks"},
	Expiry:       {use: "expires_at relations and what expired sessions and tokens answer"},
	Errors:       {use: "401, 404, 400 validation, 409, error bodies, correlation ids, content types"},
	Callbacks:    {use: "status_update and authorization callbacks: one per change, retries, event ids (needs a reachable receiver)"},
	Distribution: {use: "distribution by email, sms and token"},
	Consumer:     {need: true, use: "needs the consumer page (a consumer driver: --consumer, docs/consumer.md); not checkable without one"},
	Clock:        {need: true, use: "needs a movable clock (capability clock); skipped on targets without it"},
	Assumption:   {use: "evidence class: behaviour no public source documents; kconform's reading (given by framework.Cites)"},
	Documented:   {use: "evidence class: a Klarna or Kustom page or document says so (given by framework.Cites)"},
	Recorded:     {use: "evidence class: a real capture in shared/recordings shows it (given by framework.Cites)"},
}

// KnownLabels lists the registry, sorted.
func KnownLabels() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// LabelTable is the registry as Markdown, for the README.
func LabelTable() string {
	var b strings.Builder
	b.WriteString("| label | kind | use |\n|---|---|---|\n")
	for _, n := range KnownLabels() {
		kind := "area"
		if registry[n].need {
			kind = "need"
		}
		if slices.Contains(classLabels, n) {
			kind = "class"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", n, kind, registry[n].use)
	}
	return b.String()
}

// CheckSpecs checks the spec tree (from ginkgo.PreviewSpecs) before
// anything runs: every label is in the registry, every full spec name is
// unique (JUnit history and skip grouping depend on it), every spec
// states its rule with MUST and cites its evidence, which gives it its one
// class (sources.go), and every fault a spec says it catches is one of the
// mock's, declared with Catches (catches.go). Runners refuse to start when
// it fails.
func CheckSpecs(r types.Report) error {
	var bugs []string
	seen := map[string]bool{}
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		name := s.FullText()
		where := s.LeafNodeLocation.String()
		for _, l := range s.Labels() {
			if strings.HasPrefix(l, labels.Cites) {
				continue // checked with the class below
			}
			if strings.HasPrefix(l, catchesPrefix) {
				continue // checked below, with its needle
			}
			if op, ok := strings.CutPrefix(l, aboutPrefix); ok {
				if !knownOperation(op) {
					bugs = append(bugs, fmt.Sprintf("%s: About(%q) names no operation of the contract", where, op))
				}
				continue
			}
			if _, ok := registry[l]; !ok && l != "Serial" { // Ginkgo's Serial decorator adds its label
				bugs = append(bugs, fmt.Sprintf("%s: label %q is not in the registry (suites/framework/labels.go); known: %s", where, l, strings.Join(KnownLabels(), ", ")))
			}
		}
		if seen[name] {
			bugs = append(bugs, fmt.Sprintf("%s: spec name %q is used twice", where, name))
		}
		seen[name] = true
		if !strings.Contains(name, "MUST") {
			bugs = append(bugs, fmt.Sprintf("%s: spec name %q does not state a rule with MUST", where, name))
		}
		if err := checkEvidence(s.Labels()); err != nil {
			bugs = append(bugs, fmt.Sprintf("%s: spec %q: %v", where, name, err))
		}
	}
	catchesOf(r, &bugs)
	if len(bugs) == 0 {
		return nil
	}
	sort.Strings(bugs)
	return fmt.Errorf("the suite is built wrong, fix these before running:\n  %s", strings.Join(bugs, "\n  "))
}

// knownOperation reports whether the contract has operation id.
func knownOperation(id string) bool {
	v, err := contract.DefaultValidator()
	return err == nil && v.Operation(id) != nil
}

// UnknownFilterLabels returns the bare words of a label filter that are not
// registered labels, so `--label-filter clok` is refused instead of
// selecting nothing. Regular expressions (/.../) are left alone.
func UnknownFilterLabels(filter string) []string {
	filter = regexpLabel.ReplaceAllString(filter, " ")
	var unknown []string
	for _, tok := range strings.FieldsFunc(filter, func(r rune) bool {
		return strings.ContainsRune("&|!,() \t", r)
	}) {
		if strings.Contains(tok, ":") || setOperators[tok] {
			continue // label-set syntax: kconform's one set is "cites"
		}
		if _, ok := sources[tok]; ok {
			continue // a citation, as in 'cites: containsAny A-not-json'
		}
		if _, ok := registry[tok]; !ok {
			unknown = append(unknown, tok)
		}
	}
	return unknown
}

var regexpLabel = regexp.MustCompile(`/[^/]*/`)

var setOperators = map[string]bool{"isEmpty": true, "containsAny": true, "containsAll": true, "consistsOf": true, "isSubsetOf": true}
