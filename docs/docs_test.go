// Package docs_test keeps the README a guide and its links whole: the
// README stays under 40 KB (issue 12, item 7; the details live in docs/),
// and every relative link in it and in docs/*.md names a file, and a
// heading in it, that exists.
package docs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

const readmeLimit = 40 << 10 // bytes

func TestReadmeIsAGuide(t *testing.T) {
	info, err := os.Stat("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() >= readmeLimit {
		t.Errorf("README.md is %d bytes, the limit is %d: move details into docs/ and link them", info.Size(), readmeLimit)
	}
}

func TestDocsLinksResolve(t *testing.T) {
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../README.md")
	for _, f := range files {
		for _, problem := range brokenLinks(t, f) {
			t.Errorf("%s", problem)
		}
	}
}

// The check fails on what it must catch: a missing file, a missing heading
// in another file and in the same one; and passes what is whole.
func TestDocsLinksBroken(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string { return testkit.WriteFile(t, filepath.Join(dir, name), text) }
	write("other.md", "# Other\n\n## Run time\n\n```sh\n# not a heading\n```\n")
	good := write("good.md", "# Good\n\n## The `validate` command (details)\n\n"+
		"[o](other.md) [r](other.md#run-time) [s](#the-validate-command-details) [w](https://example.com/x.md) `[c](nope.md)`\n")
	if p := brokenLinks(t, good); len(p) != 0 {
		t.Errorf("whole links refused: %v", p)
	}
	for name, link := range map[string]string{
		"missing file":            "[x](missing.md)",
		"missing heading":         "[x](other.md#performance)",
		"heading inside code":     "[x](other.md#not-a-heading)",
		"missing heading in self": "[x](#nowhere)",
	} {
		bad := write("bad.md", "# Bad\n\n"+link+"\n")
		if p := brokenLinks(t, bad); len(p) != 1 || !strings.Contains(p[0], "bad.md") {
			t.Errorf("%s: %s gave %v; want one problem naming bad.md", name, link, p)
		}
	}
}

var (
	link      = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	codeSpan  = regexp.MustCompile("`[^`\n]*`")
	fence     = regexp.MustCompile("^\\s*(```|~~~)")
	heading   = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
	notInSlug = regexp.MustCompile(`[^\p{L}\p{N} _-]`)
)

// brokenLinks lists the relative links of the Markdown file path whose file
// or heading does not exist, each naming the file and line.
func brokenLinks(t *testing.T, path string) []string {
	t.Helper()
	var problems []string
	lines := proseLines(t, path)
	for i, line := range lines {
		if line == "" {
			continue
		}
		for _, m := range link.FindAllStringSubmatch(codeSpan.ReplaceAllString(line, ""), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			resolved := path
			if file != "" {
				resolved = filepath.Join(filepath.Dir(path), file)
				if _, err := os.Stat(resolved); err != nil {
					problems = append(problems, fmt.Sprintf("%s:%d: link %q: no file %s", path, i+1, target, resolved))
					continue
				}
			}
			if anchor == "" || !strings.HasSuffix(resolved, ".md") {
				continue
			}
			if !anchors(t, resolved)[anchor] {
				problems = append(problems, fmt.Sprintf("%s:%d: link %q: %s has no heading #%s", path, i+1, target, resolved, anchor))
			}
		}
	}
	return problems
}

// proseLines is the file's lines with fenced code blocks blanked, so line
// numbers stay right.
func proseLines(t *testing.T, path string) []string {
	t.Helper()
	b := testkit.ReadFile(t, path)
	lines := strings.Split(string(b), "\n")
	inFence := false
	for i, l := range lines {
		if fence.MatchString(l) {
			inFence = !inFence
			lines[i] = ""
			continue
		}
		if inFence {
			lines[i] = ""
		}
	}
	return lines
}

// anchors are the ids GitHub gives the file's headings: lower case, spaces
// to hyphens, punctuation dropped, -1, -2 … for repeats.
func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	seen := map[string]int{}
	for _, l := range proseLines(t, path) {
		m := heading.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		slug := strings.ReplaceAll(notInSlug.ReplaceAllString(strings.ToLower(m[1]), ""), " ", "-")
		if n := seen[slug]; n > 0 {
			out[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	return out
}
