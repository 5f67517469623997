package runreport

import (
	"bufio"
	"fmt"
	"io"
	"slices"
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
	case FailedElsewhere:
		return "🟠"
	case Blocked:
		return "⛔"
	}
	return "⚪"
}

// WriteMarkdown writes the report for people: the headline, the findings,
// a summary per area, one table of rules per area, the clean-up failures,
// then the coverage.
func (r Report) WriteMarkdown(w io.Writer) error {
	// bufio keeps the first write error and Flush returns it, so the
	// sections write freely.
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# kconform conformance report\n\n")
	r.writeHeader(bw)
	r.writeFindings(bw)
	r.writeAreas(bw)
	r.writeRules(bw)
	r.writeCleanup(bw)
	if r.Coverage != nil {
		writeCoverage(bw, r.Coverage, r.BuiltInMock, r.Unserved)
	}
	return bw.Flush()
}

// WriteFindingsMarkdown writes the short form, for a README: the target,
// the counts and the findings, without the rule tables and the coverage.
func (r Report) WriteFindingsMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	r.writeHeader(bw)
	r.findings(bw, true)
	return bw.Flush()
}

func (r Report) writeHeader(w io.Writer) {
	fmt.Fprintf(w, "- target: `%s`\n", r.Target)
	fmt.Fprintf(w, "- version: %s\n", r.Kconform)
	if r.Filter != "" {
		fmt.Fprintf(w, "- selection: %s\n", r.Filter)
	}
	c := r.Counts
	fmt.Fprintf(w, "- **%d finding(s)**; %d %s: **%s**\n", len(r.Findings), c.Judged, judgedOn, c.verdictList())
	if c.NotRun > 0 {
		fmt.Fprintf(w, "- %d rule(s) not run (filtered out, past the deadline or interrupted): not a verdict on the target\n", c.NotRun)
	}
	fmt.Fprintln(w)
}

// maxFindingRules bounds the rules named under a finding; the JSON names
// them all.
const maxFindingRules = 3

func (r Report) writeFindings(w io.Writer) { r.findings(w, false) }

// findings writes the findings; short leaves out those that broke or
// blocked no rule, saying how many.
func (r Report) findings(w io.Writer, short bool) {
	fmt.Fprintf(w, "## Findings\n\n")
	if len(r.Findings) == 0 {
		fmt.Fprintf(w, "None: every exchange kept to the contract and every rule that ran held.\n\n")
		return
	}
	fmt.Fprintf(w, "The target's distinct defects, most rules affected first; each is one defect however many rules met it.\n\n")
	quiet := 0
	for i, f := range r.Findings {
		if short && len(f.Broken)+len(f.Blocked)+len(f.Failed) == 0 {
			quiet++
			continue
		}
		fmt.Fprintf(w, "%d. **%s**: %s", i+1, inline(f.What+f.on()), f.Effect())
		if f.Example != "" {
			fmt.Fprintf(w, "; e.g. %s", code(f.Example))
		}
		fmt.Fprintln(w)
		for _, list := range []struct {
			what  string
			rules []string
		}{{"broken", f.Broken}, {"failed elsewhere", f.Failed}, {"blocked", f.Blocked}} {
			if len(list.rules) == 0 {
				continue
			}
			fmt.Fprintf(w, "   - %s: %s\n", list.what, ruleList(list.rules))
		}
	}
	if quiet > 0 {
		fmt.Fprintf(w, "\nAnd %d more contract violation(s) met only in rules that failed first on something else (the whole report lists them).\n", quiet)
	}
	fmt.Fprintln(w)
}

func ruleList(rules []string) string {
	var quoted []string
	for i, r := range rules {
		if i == maxFindingRules {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(rules)-i))
			break
		}
		quoted = append(quoted, "“"+inline(r)+"”")
	}
	return strings.Join(quoted, ", ")
}

// inline makes text safe in a Markdown line: one line, no HTML.
func inline(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "`", "'", "*", "\\*", "_", "\\_").Replace(s)
}

func (r Report) writeAreas(w io.Writer) {
	fmt.Fprintf(w, "## Rules\n\n")
	fmt.Fprintf(w, "A rule is one spec of the suites (its name states the rule with MUST), judged by its subject: the operations it is about. `holds`: its assertions passed and its operations kept to the contract. `broken`: its own assertion failed, or an exchange of its operation broke the contract. `failed-elsewhere`: its own assertions passed and its operations kept to the contract, but a setup step, a callback or a clean-up met a contract defect of another operation (or a clean-up failed), so the spec failed (Ginkgo says FAIL); the defect is that operation's finding, counted once. `blocked`: a setup step about another operation could not be done (the step is named). `not-checkable`: the target lacks what the rule needs (the reason says how to provide it). `not-run`: the run left it out. A violation met in a setup step is a finding of that step's operation, not of every rule that passed through it. A rule marked *assumption* rests on no public Klarna or Kustom source: when it is broken, that is a finding to look into, not a proven breach.\n\n")
	areas, counts := r.CountsByArea()
	// The failed-elsewhere column only when a rule has that verdict, as
	// the counts line says it.
	verdicts := slices.DeleteFunc(slices.Clone(Verdicts), func(v Verdict) bool { return v == FailedElsewhere && r.Counts.FailedElsewhere == 0 })
	fmt.Fprintf(w, "| area | rules |")
	for _, v := range verdicts {
		fmt.Fprintf(w, " %s |", v)
	}
	fmt.Fprintf(w, "\n|---|---:|%s\n", strings.Repeat("---:|", len(verdicts)))
	row := func(name string, c Counts) {
		fmt.Fprintf(w, "| %s | %d |", name, c.Rules)
		for _, v := range verdicts {
			fmt.Fprintf(w, " %d |", c.of(v))
		}
		fmt.Fprintln(w)
	}
	for _, a := range areas {
		row(fmt.Sprintf("[%s](#%s)", AreaTitles[a], anchor(AreaTitles[a])), counts[a])
	}
	row("**all**", r.Counts)
	fmt.Fprintln(w)
}

func (r Report) writeRules(w io.Writer) {
	for i, rule := range r.Rules {
		if i == 0 || r.Rules[i-1].Area != rule.Area {
			fmt.Fprintf(w, "### %s\n\n| verdict | rule | evidence, or why |\n|---|---|---|\n", AreaTitles[rule.Area])
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", Mark(rule.Verdict)+" "+string(rule.Verdict), cell(rule.Rule), detail(rule))
		if i+1 == len(r.Rules) || r.Rules[i+1].Area != rule.Area {
			fmt.Fprintln(w)
		}
	}
}

// writeCleanup lists the clean-ups that failed: a rule whose body passed
// is failed-elsewhere for them (Ginkgo failed its spec), a broken one stays
// broken.
func (r Report) writeCleanup(w io.Writer) {
	if r.Counts.CleanupFailures == 0 {
		return
	}
	fmt.Fprintf(w, "## Clean-up failures\n\nWhat went wrong in the clean-ups after a rule's body (disabling the sessions it made, say). Ginkgo fails the spec for them: a rule whose own assertions passed is failed-elsewhere, naming the clean-up's exchange; the defect is a finding of its operation, counted there once.\n\n| rule | clean-up |\n|---|---|\n")
	for _, rule := range r.Rules {
		for _, c := range rule.Cleanup {
			fmt.Fprintf(w, "| %s | %s |\n", cell(rule.Rule), cell(c))
		}
	}
	fmt.Fprintln(w)
}

// detail is the third column, ready for the table: the evidence of a
// broken or blocked rule, the reason of a not-checkable one.
func detail(rule Rule) string {
	var parts []string
	if rule.Step != "" && rule.Evidence == nil {
		parts = append(parts, "could not "+cell(rule.Step))
	}
	if e := rule.Evidence; e != nil {
		if e.Exchange != "" {
			parts = append(parts, code(e.Exchange)+":")
		}
		parts = append(parts, cell(e.Violation))
	}
	if rule.Why != "" {
		if rule.Verdict == Broken || rule.Verdict == FailedElsewhere {
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
