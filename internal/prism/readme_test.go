package prism_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/outfile"
	"github.com/kconform/kconform/internal/runreport"
)

// The README shows the conformance report of the run against Prism, between
// two markers. `make report-prism` rewrites it (-update-readme); without
// the flag the test checks that every rule's verdict in the README is the
// one this run gave, so the README cannot drift from what the command
// produces.
var updateReadme = flag.Bool("update-readme", false, "write this run's conformance report into README.md (make report-prism)")

const (
	readme      = "../../README.md"
	readmePort  = "4010" // Prism's default port, so the report's URLs stay put between updates
	reportBegin = "<!-- prism-report: written by `make report-prism`; edits here are lost -->"
	reportEnd   = "<!-- /prism-report -->"
)

// checkReadme compares (or, with -update-readme, replaces) the README's
// copy of the report with the run's.
func checkReadme(t *testing.T, rules map[string]runreport.Rule, markdownPath string) {
	t.Helper()
	doc, err := os.ReadFile(readme)
	if err != nil {
		t.Fatalf("README: %v", err)
	}
	begin, end := bytes.Index(doc, []byte(reportBegin)), bytes.Index(doc, []byte(reportEnd))
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the markers %q … %q around the Prism report", reportBegin, reportEnd)
	}
	if *updateReadme {
		if t.Failed() {
			t.Fatal("not updating README.md: the run against Prism did not behave as this test expects")
		}
		md, err := os.ReadFile(markdownPath)
		if err != nil {
			t.Fatalf("markdown report: %v", err)
		}
		var b bytes.Buffer
		b.Write(doc[:begin+len(reportBegin)])
		b.WriteString("\n" + embed(string(md)))
		b.Write(doc[end:])
		if err := outfile.WriteFile(readme, b.Bytes()); err != nil {
			t.Fatalf("README: %v", err)
		}
		t.Logf("wrote the Prism report into %s", readme)
		return
	}
	inReadme := verdictsIn(string(doc[begin:end]))
	for name, r := range rules {
		got, ok := inReadme[name]
		switch {
		case !ok:
			t.Errorf("README's Prism report lacks the rule %q (%s in this run): run `make report-prism`", name, r.Verdict)
		case got != r.Verdict:
			t.Errorf("README's Prism report says %s for %q, this run says %s: run `make report-prism`", got, name, r.Verdict)
		}
	}
	for name := range inReadme {
		if _, ok := rules[name]; !ok {
			t.Errorf("README's Prism report lists %q, which this run does not have: run `make report-prism`", name)
		}
	}
}

// embed fits a report into the README: headings move three levels down,
// under the README's own, and the whole sits in a collapsed block.
func embed(md string) string {
	var b strings.Builder
	b.WriteString("<details><summary>The report (click to open)</summary>\n\n")
	for _, line := range strings.Split(strings.TrimRight(md, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			line = "###" + line
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

// verdictsIn reads the rule rows of an embedded report: "| ✅ holds | rule | … |".
func verdictsIn(section string) map[string]runreport.Verdict {
	out := map[string]runreport.Verdict{}
	unescape := strings.NewReplacer(`\|`, "|", "&lt;", "<", "&gt;", ">")
	for _, line := range strings.Split(section, "\n") {
		for _, v := range runreport.Verdicts {
			prefix := fmt.Sprintf("| %s %s | ", runreport.Mark(v), v)
			if !strings.HasPrefix(line, prefix) {
				continue
			}
			rest := line[len(prefix):]
			// The rule cell ends at the first pipe that is not escaped.
			cellEnd := 0
			for cellEnd < len(rest) && !(rest[cellEnd] == '|' && (cellEnd == 0 || rest[cellEnd-1] != '\\')) {
				cellEnd++
			}
			out[unescape.Replace(strings.TrimSpace(rest[:cellEnd]))] = v
		}
	}
	return out
}
