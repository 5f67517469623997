package runreport

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kconform/kconform/internal/coverage"
)

// writeCoverage writes what the run exercised of the contract: operations ×
// statuses, callbacks, the HPP state machine and the placeholders, each
// item not exercised with the known reason, if any.
func writeCoverage(w io.Writer, c *coverage.Coverage, builtInMock bool, unserved []Unserved) {
	served := func(op string) bool {
		return !slices.ContainsFunc(unserved, func(u Unserved) bool { return u.Operation == op })
	}
	fmt.Fprintf(w, "## Coverage of the contract\n\n")
	if builtInMock {
		fmt.Fprintf(w, "What this run exercised of what `openapi/kconform.yaml` defines. An item not exercised shows why: a known limit of the built-in mock.\n\n")
	} else {
		fmt.Fprintf(w, "What this run exercised of what `openapi/kconform.yaml` defines. An item not exercised is one this target did not produce in this run.\n\n")
	}
	gapNote := func(exercised bool, gap, never string) string {
		switch {
		case exercised:
			return ""
		case builtInMock && gap != "":
			return "not exercised; known limit: " + cell(gap)
		}
		return never
	}
	fmt.Fprintf(w, "| part | exercised | of |\n|---|---:|---:|\n")
	row := func(part string, n exercisedOf) { fmt.Fprintf(w, "| %s | %d | %d |\n", part, n.n, n.of) }
	row("operation × response status", countSeen(c.Responses, func(r coverage.Response) (bool, bool) { return r.Documented, r.Seen > 0 && served(r.Operation) }))
	row("callbacks", countSeen(c.Callbacks, func(cb coverage.Callback) (bool, bool) { return true, cb.Received > 0 }))
	row("HPP status transitions", countSeen(c.Transitions, func(t coverage.Transition) (bool, bool) { return t.Documented, t.Seen > 0 }))
	row("merchant-URL placeholders", countSeen(c.Placeholders, func(p coverage.Placeholder) (bool, bool) { return true, p.Substituted > 0 }))
	fmt.Fprintln(w)

	fmt.Fprintf(w, "### Operations × response statuses\n\n")
	fmt.Fprintf(w, "| API | operation | status | seen | conforming | note |\n|---|---|---:|---:|---:|---|\n")
	for _, r := range c.Responses {
		note := gapNote(r.Seen > 0, r.Gap, fmt.Sprintf("this target never answered %d in this run", r.Status))
		if !r.Documented {
			note = "⚠ status not in the document"
		}
		if !served(r.Operation) {
			note = "⚠ route not served: not counted"
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s |\n", r.API, code(r.Method+" "+r.Path)+" "+cell(r.Operation), r.Status, seen(r.Seen), conforming(r.Seen, r.Conforming), note)
	}
	if c.Unrouted.Seen > 0 {
		fmt.Fprintf(w, "\n%d API exchange(s) matched no operation of the document.\n", c.Unrouted.Seen)
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "### Callbacks\n\n| API | callback | received | conforming | note |\n|---|---|---:|---:|---|\n")
	for _, cb := range c.Callbacks {
		fmt.Fprintf(w, "| %s | %s (%s) | %s | %s | %s |\n", cb.API, cell(cb.Name), cell(cb.Operation), seen(cb.Received), conforming(cb.Received, cb.Conforming), gapNote(cb.Received > 0, cb.Gap, "this target sent none in this run"))
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "### HPP status transitions\n\nThe documented state machine (`x-kconform-transitions`), each edge labelled with how often this run saw it; moves the document does not have are drawn too, marked ⚠.\n\n")
	fmt.Fprintf(w, "```mermaid\n%s```\n\n", c.Mermaid())
	fmt.Fprintf(w, "| from | to | seen | note |\n|---|---|---:|---|\n")
	for _, t := range c.Transitions {
		note := gapNote(t.Seen > 0, t.Gap, "this target was not seen to make this move in this run")
		if !t.Documented {
			note = "⚠ not a documented transition"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", cell(t.From), cell(t.To), seen(t.Seen), note)
	}
	if c.SkippedChanges > 0 {
		fmt.Fprintf(w, "\n%d status change(s) were seen between observations two or more documented steps apart (e.g. WAITING, then COMPLETED); no edge is credited for them.\n", c.SkippedChanges)
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "### Merchant-URL placeholders\n\n| placeholder | in | when | sent | substituted | note |\n|---|---|---|---:|---:|---|\n")
	for _, p := range c.Placeholders {
		fmt.Fprintf(w, "| %s | %s | %s | %d | %s | %s |\n", code(p.Name), cell(strings.Join(p.Fields, ", ")), cell(p.Condition), p.Sent, seen(p.Substituted), gapNote(p.Substituted > 0, p.Gap, "this target substituted it in no URL of this run"))
	}
	fmt.Fprintln(w)
}

// exercisedOf is n exercised items of the document's of.
type exercisedOf struct{ n, of int }

// countSeen counts the items that count (documented) and, of those, the
// exercised ones.
func countSeen[T any](items []T, what func(T) (counts, exercised bool)) exercisedOf {
	var c exercisedOf
	for _, it := range items {
		counts, exercised := what(it)
		if !counts {
			continue
		}
		c.of++
		if exercised {
			c.n++
		}
	}
	return c
}

func seen(n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("✔ %d", n)
}

// conforming shows how many of the seen exchanges conformed, marked when
// some did not.
func conforming(seen, ok int) string {
	switch {
	case seen == 0:
		return ""
	case ok < seen:
		return fmt.Sprintf("❌ %d of %d", ok, seen)
	}
	return fmt.Sprintf("%d", ok)
}
