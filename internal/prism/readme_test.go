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

// docs/prism-report.md is the full conformance report of the run against
// Prism; docs/prism.md shows its findings, between two markers, and links
// to it. `make report-prism` rewrites both (-update-readme); without the flag
// the test checks that every rule's verdict in docs/ is the one this run
// gave and that docs/prism.md's counts are this run's, so neither can drift
// from what the command produces.
var updateReadme = flag.Bool("update-readme", false, "write this run's conformance report into docs/prism-report.md and its findings into docs/prism.md (make report-prism)")

const (
	readme      = "../../docs/prism.md" // the findings; the README links to it
	fullReport  = "../../docs/prism-report.md"
	reportLink  = "prism-report.md" // from docs/prism.md
	readmePort  = "4010"            // Prism's default port, so the report's URLs stay put between updates
	reportBegin = "<!-- prism-report: written by `make report-prism`; edits here are lost -->"
	reportEnd   = "<!-- /prism-report -->"
)

// checkReadme compares (or, with -update-readme, replaces) docs/'s copy of
// the report and docs/prism.md's findings with the run's.
func checkReadme(t *testing.T, rules map[string]runreport.Rule, markdownPath, jsonPath string) {
	t.Helper()
	doc, err := os.ReadFile(readme)
	if err != nil {
		t.Fatalf("%s: %v", readme, err)
	}
	begin, end := bytes.Index(doc, []byte(reportBegin)), bytes.Index(doc, []byte(reportEnd))
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the markers %q … %q around the Prism findings", readme, reportBegin, reportEnd)
	}
	rep, err := runreport.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if *updateReadme {
		if t.Failed() {
			t.Fatal("not updating docs/prism.md: the run against Prism did not behave as this test expects")
		}
		md, err := os.ReadFile(markdownPath)
		if err != nil {
			t.Fatalf("markdown report: %v", err)
		}
		if err := outfile.WriteFile(fullReport, md); err != nil {
			t.Fatalf("%s: %v", fullReport, err)
		}
		var short bytes.Buffer
		if err := rep.WriteFindingsMarkdown(&short); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.Write(doc[:begin+len(reportBegin)])
		b.WriteString("\n" + embed(short.String()))
		fmt.Fprintf(&b, "\nThe whole report, every rule with its verdict and evidence and the coverage of the contract: [%s](%s).\n", reportLink, reportLink)
		b.Write(doc[end:])
		if err := outfile.WriteFile(readme, b.Bytes()); err != nil {
			t.Fatalf("%s: %v", readme, err)
		}
		t.Logf("wrote the Prism report into %s and its findings into %s", fullReport, readme)
		return
	}
	if !bytes.Contains(doc[begin:end], []byte(headlineOf(rep))) {
		t.Errorf("docs/prism.md's Prism findings do not say %q, as this run does: run `make report-prism`", headlineOf(rep))
	}
	full, err := os.ReadFile(fullReport)
	if err != nil {
		t.Fatalf("%v: run `make report-prism`", err)
	}
	inDocs := verdictsIn(string(full))
	for name, r := range rules {
		got, ok := inDocs[name]
		switch {
		case !ok:
			t.Errorf("%s lacks the rule %q (%s in this run): run `make report-prism`", fullReport, name, r.Verdict)
		case got != r.Verdict:
			t.Errorf("%s says %s for %q, this run says %s: run `make report-prism`", fullReport, got, name, r.Verdict)
		}
	}
	for name := range inDocs {
		if _, ok := rules[name]; !ok {
			t.Errorf("%s lists %q, which this run does not have: run `make report-prism`", fullReport, name)
		}
	}
}

// headlineOf is the counts line both the report and docs/prism.md's findings
// carry.
func headlineOf(rep runreport.Report) string {
	c := rep.Counts
	return fmt.Sprintf("**%d finding(s)**; %d rules judged on this target: **%d hold, %d broken, %d blocked, %d not checkable**", len(rep.Findings), c.Judged, c.Holds, c.Broken, c.Blocked, c.NotCheckable)
}

// embed fits a report into docs/prism.md: headings move three levels down,
// under the file's own, and the whole sits in a collapsed block.
func embed(md string) string {
	var b strings.Builder
	b.WriteString("<details open><summary>What kconform finds in Prism</summary>\n\n")
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
