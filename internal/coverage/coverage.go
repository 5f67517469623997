package coverage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kconform/kconform/internal/contract"
)

// Coverage is what a run exercised, next to everything the document defines.
type Coverage struct {
	// Responses has one entry per documented operation × status (document
	// order: paths as written, so HPP then KP, then status ascending), then
	// the undocumented statuses that were observed (Documented false).
	Responses []Response `json:"responses"`
	// Unrouted counts API exchanges that matched no operation of the
	// document (Seen) and those of them whose response side conformed.
	Unrouted Tally `json:"unrouted"`
	// Callbacks are the document's callbacks, in document order.
	Callbacks []Callback `json:"callbacks"`
	// Transitions are every documented HPP transition, [*]→initial first,
	// then the undocumented ones that were observed (Documented false).
	Transitions []Transition `json:"transitions"`
	// SkippedChanges counts status changes between two consecutive
	// observations of a session that only a path of several documented
	// steps explains (e.g. WAITING then COMPLETED): no edge is credited.
	SkippedChanges int `json:"skipped_changes"`
	// Terminal are the statuses a session never leaves (x-kconform-terminal).
	Terminal []string `json:"terminal"`
	// Unreachable are the statuses no documented transition leads to.
	Unreachable []string `json:"unreachable"`
	// Placeholders are the documented merchant-URL placeholders.
	Placeholders []Placeholder `json:"placeholders"`
}

// Tally is a count of exchanges and how many of them conformed.
type Tally struct {
	Seen       int `json:"seen"`
	Conforming int `json:"conforming"`
}

// Response is one operation × status.
type Response struct {
	API        string `json:"api"`
	Operation  string `json:"operation"`
	Method     string `json:"method"`
	Path       string `json:"path"`
	Status     int    `json:"status"`
	Documented bool   `json:"documented"`
	Seen       int    `json:"seen"`
	Conforming int    `json:"conforming"`
	// Gap says why the suites cannot exercise it against the built-in
	// mock; empty when there is no known reason.
	Gap string `json:"gap,omitempty"`
}

// Callback is one callback of the document.
type Callback struct {
	API       string `json:"api"`
	Operation string `json:"operation"`
	// Name is the callback's key under the operation (statusUpdate), and
	// Expression the URL it is sent to ({$request.body#/...}).
	Name       string `json:"name"`
	Expression string `json:"expression"`
	Received   int    `json:"received"`
	Conforming int    `json:"conforming"`
	Gap        string `json:"gap,omitempty"`
}

// Transition is one move of an HPP session's status. From is "[*]" for the
// session's first status.
type Transition struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Documented bool   `json:"documented"`
	Seen       int    `json:"seen"`
	Gap        string `json:"gap,omitempty"`
}

// Placeholder is one documented merchant-URL placeholder.
type Placeholder struct {
	Name string `json:"name"`
	// Fields are the merchant_urls fields it may appear in, Condition when
	// HPP fills it (both from the document).
	Fields    []string `json:"fields"`
	Condition string   `json:"condition,omitempty"`
	// Sent counts created sessions (201) whose merchant_urls held it;
	// Substituted counts redirects and callback URLs where it came back
	// filled in.
	Sent        int    `json:"sent"`
	Substituted int    `json:"substituted"`
	Gap         string `json:"gap,omitempty"`
}

// Coverage compares what was observed with the contract v, the one the
// records were validated against.
func (c *Collector) Coverage(v *contract.Validator) (Coverage, error) {
	d, err := readDocument(v)
	if err != nil {
		return Coverage{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := Coverage{
		Unrouted:    Tally{Seen: c.unrouted.seen, Conforming: c.unrouted.conforming},
		Terminal:    d.machine.TerminalStatuses(),
		Unreachable: d.machine.Unreachable(),
	}
	out.Responses = c.responseCoverage(d)
	for _, cb := range d.callbacks {
		t := c.callbacks[cb.id]
		if t == nil {
			t = &tally{}
		}
		out.Callbacks = append(out.Callbacks, Callback{
			API: cb.api, Operation: cb.id, Name: cb.name, Expression: cb.expression,
			Received: t.seen, Conforming: t.conforming, Gap: gaps[callbackItem(cb.id)],
		})
	}
	out.Transitions, out.SkippedChanges = c.transitionCoverage(d)
	out.Placeholders = c.placeholderCoverage(d)
	return out, nil
}

func (c *Collector) responseCoverage(d *document) []Response {
	var out []Response
	documented := map[responseKey]bool{}
	order := map[string]int{}
	for i, op := range d.operations {
		order[op.id] = i
		for _, st := range op.statuses {
			k := responseKey{op.id, st}
			documented[k] = true
			t := c.responses[k]
			if t == nil {
				t = &tally{}
			}
			out = append(out, Response{
				API: op.api, Operation: op.id, Method: op.method, Path: op.path, Status: st, Documented: true,
				Seen: t.seen, Conforming: t.conforming, Gap: gaps[responseItem(op.id, st)],
			})
		}
	}
	var extra []responseKey
	for k := range c.responses {
		if !documented[k] {
			extra = append(extra, k)
		}
	}
	// Operations the document knows first, in its order; others by name.
	slices.SortFunc(extra, func(a, b responseKey) int {
		ia, oka := order[a.operation]
		ib, okb := order[b.operation]
		switch {
		case oka && okb && ia != ib:
			return ia - ib
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		case a.operation != b.operation:
			if a.operation < b.operation {
				return -1
			}
			return 1
		}
		return a.status - b.status
	})
	for _, k := range extra {
		r := Response{Operation: k.operation, Status: k.status, Seen: c.responses[k].seen, Conforming: c.responses[k].conforming}
		if i, ok := order[k.operation]; ok {
			op := d.operations[i]
			r.API, r.Method, r.Path = op.api, op.method, op.path
		}
		out = append(out, r)
	}
	return out
}

func (c *Collector) transitionCoverage(d *document) ([]Transition, int) {
	counts, skipped := d.transitionCounts(c.sessions)
	initial := d.machine.Initial()
	first := Transition{From: start, To: initial, Documented: true, Seen: counts[[2]string{start, initial}]}
	first.Gap = gaps[transitionItem(first.From, first.To)]
	out := []Transition{first}
	for _, e := range d.machine.Edges() {
		k := [2]string{e.From, e.To}
		out = append(out, Transition{From: e.From, To: e.To, Documented: true, Seen: counts[k], Gap: gaps[transitionItem(e.From, e.To)]})
	}
	var extra [][2]string
	for e := range counts {
		if !d.machine.Documented(e[0], e[1]) && e != [2]string{start, initial} {
			extra = append(extra, e)
		}
	}
	slices.SortFunc(extra, func(a, b [2]string) int {
		if n := d.compareStatus(a[0], b[0]); n != 0 {
			return n
		}
		return d.compareStatus(a[1], b[1])
	})
	for _, e := range extra {
		out = append(out, Transition{From: e[0], To: e[1], Seen: counts[e]})
	}
	return out, skipped
}

// compareStatus orders statuses as the enum does, unknown ones after it by
// text, so that undocumented transitions come out in a stable order.
func (d *document) compareStatus(a, b string) int {
	statuses := d.machine.Statuses()
	ia, ib := slices.Index(statuses, a), slices.Index(statuses, b)
	switch {
	case ia >= 0 && ib >= 0:
		return ia - ib
	case ia >= 0:
		return -1
	case ib >= 0:
		return 1
	}
	return strings.Compare(a, b)
}

func (c *Collector) placeholderCoverage(d *document) []Placeholder {
	idx := newTemplateIndex(c.templates)
	filled := map[string]int{}
	for _, u := range c.arrivals {
		for tok := range idx.substituted(u) {
			filled[tok]++
		}
	}
	var out []Placeholder
	for _, p := range d.placeholders {
		out = append(out, Placeholder{
			Name: p.Name, Fields: append([]string(nil), p.Fields...), Condition: p.Condition,
			Sent: c.sentTokens[p.Name], Substituted: filled[p.Name], Gap: gaps[placeholderItem(p.Name)],
		})
	}
	return out
}

// Item names: the keys of the gap table and what Uncovered lists.
func responseItem(operation string, status int) string {
	return "response " + operation + " " + strconv.Itoa(status)
}
func callbackItem(operation string) string { return "callback " + operation }
func transitionItem(from, to string) string {
	return "transition " + from + "→" + to
}
func placeholderItem(name string) string { return "placeholder " + name }

// items lists every documented item with whether it was covered.
func (c Coverage) items() map[string]bool {
	out := map[string]bool{}
	for _, r := range c.Responses {
		if r.Documented {
			out[responseItem(r.Operation, r.Status)] = r.Seen > 0
		}
	}
	for _, cb := range c.Callbacks {
		out[callbackItem(cb.Operation)] = cb.Received > 0
	}
	for _, t := range c.Transitions {
		if t.Documented {
			out[transitionItem(t.From, t.To)] = t.Seen > 0
		}
	}
	for _, p := range c.Placeholders {
		out[placeholderItem(p.Name)] = p.Substituted > 0
	}
	return out
}

// Uncovered lists the documented items the run did not exercise and for
// which the gap table gives no reason, sorted.
func (c Coverage) Uncovered() []string {
	var out []string
	for item, covered := range c.items() {
		if !covered && gaps[item] == "" {
			out = append(out, item)
		}
	}
	slices.Sort(out)
	return out
}

// StaleGaps lists the gap-table entries that no longer hold for c: the item
// was covered after all, or the document has no such item. Sorted.
func StaleGaps(c Coverage) []string {
	items := c.items()
	var out []string
	for item := range gaps {
		covered, known := items[item]
		switch {
		case !known:
			out = append(out, fmt.Sprintf("%s: the gap table names it, the document does not", item))
		case covered:
			out = append(out, fmt.Sprintf("%s: the gap table says it cannot be exercised, but the run did", item))
		}
	}
	slices.Sort(out)
	return out
}
