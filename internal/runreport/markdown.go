package runreport

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Mark is the sign before a verdict in the Markdown, readable at a glance;
// the word stays beside it, so the Markdown and the JSON say the same.
func Mark(v Verdict) string {
	switch v {
	case Holds:
		return "✅"
	case Broken:
		return "❌"
	}
	return "⚪"
}

// WriteMarkdown writes the report for people: a summary per area, then one
// table of rules per area, then the coverage.
func (r Report) WriteMarkdown(w io.Writer) error {
	// bufio keeps the first write error and Flush returns it, so the
	// sections write freely.
	bw := bufio.NewWriter(w)
	r.writeHeader(bw)
	r.writeRules(bw)
	if r.Coverage != nil {
		writeCoverage(bw, r.Coverage)
	}
	return bw.Flush()
}

func (r Report) writeHeader(w io.Writer) {
	fmt.Fprintf(w, "# kconform conformance report\n\n")
	fmt.Fprintf(w, "- target: `%s`\n", r.Target)
	fmt.Fprintf(w, "- version: %s\n", r.Kconform)
	if r.Filter != "" {
		fmt.Fprintf(w, "- selection: %s\n", r.Filter)
	}
	c := r.Counts
	fmt.Fprintf(w, "- rules: %d: **%d hold, %d broken, %d not checkable** on this target\n\n", c.Rules, c.Holds, c.Broken, c.NotCheckable)
	fmt.Fprintf(w, "A rule is one spec of the suites (its name states the rule with MUST). `holds`: the spec ran and passed. `broken`: it ran and failed; the first evidence is shown. `not-checkable`: it could not run on this target; the reason is shown. A rule marked *assumption* rests on no public Klarna or Kustom source: when it is broken, that is a finding to look into, not a proven breach.\n\n")

	areas, counts := r.CountsByArea()
	fmt.Fprintf(w, "| area | rules | holds | broken | not-checkable |\n|---|---:|---:|---:|---:|\n")
	for _, a := range areas {
		c := counts[a]
		fmt.Fprintf(w, "| [%s](#%s) | %d | %d | %d | %d |\n", AreaTitles[a], anchor(AreaTitles[a]), c.Rules, c.Holds, c.Broken, c.NotCheckable)
	}
	fmt.Fprintf(w, "| **all** | %d | %d | %d | %d |\n\n", c.Rules, c.Holds, c.Broken, c.NotCheckable)
}

func (r Report) writeRules(w io.Writer) {
	for i, rule := range r.Rules {
		if i == 0 || r.Rules[i-1].Area != rule.Area {
			fmt.Fprintf(w, "## %s\n\n| verdict | rule | evidence, or why not checkable |\n|---|---|---|\n", AreaTitles[rule.Area])
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", Mark(rule.Verdict)+" "+string(rule.Verdict), cell(rule.Rule), detail(rule))
		if i+1 == len(r.Rules) || r.Rules[i+1].Area != rule.Area {
			fmt.Fprintln(w)
		}
	}
}

// detail is the third column, ready for the table: the evidence of a
// broken rule, the reason of a not-checkable one.
func detail(rule Rule) string {
	var parts []string
	if e := rule.Evidence; e != nil {
		if e.Exchange != "" {
			parts = append(parts, code(e.Exchange)+":")
		}
		parts = append(parts, cell(e.Violation))
	}
	if rule.Why != "" {
		if rule.Verdict == Broken {
			parts = append(parts, "("+cell(rule.Why)+")")
		} else {
			parts = append(parts, cell(firstSentence(rule.Why)))
		}
	}
	if rule.Assumption && rule.Verdict != Broken { // a broken one says so in Why
		parts = append(parts, "*(assumption)*")
	}
	return strings.Join(parts, " ")
}

// firstSentence shortens a skip reason for a table row (the JSON keeps it
// whole): the rest says how to get the rule checked, the same on every row.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// cell makes text safe inside a Markdown table cell: one line, no bare
// pipes, no HTML.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "`", "'").Replace(s)
}

// code is s as a code span inside a table cell: one line, pipes escaped
// (GitHub splits cells before it reads code spans), no backticks.
func code(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return "`" + strings.NewReplacer("|", `\|`, "`", "'").Replace(s) + "`"
}

// anchor is GitHub's heading anchor for a heading text.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
