package coverage

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// template is one merchant URL as sent, turned into a matcher: its literal
// text must come back unchanged and each {{...}} token may have been
// replaced by anything (or left as written).
type template struct {
	re     *regexp.Regexp
	tokens []string // the token of each capture group, in order
}

func compileTemplate(raw string) (template, bool) {
	var b strings.Builder
	b.WriteString(`^`)
	var tokens []string
	rest := raw
	for _, tok := range placeholderTokens(raw) {
		i := strings.Index(rest, tok)
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		b.WriteString(`(.*?)`)
		tokens = append(tokens, tok)
		rest = rest[i+len(tok):]
	}
	b.WriteString(regexp.QuoteMeta(rest))
	b.WriteString(`$`)
	re, err := regexp.Compile(b.String())
	if err != nil || len(tokens) == 0 {
		return template{}, false
	}
	return template{re: re, tokens: tokens}, true
}

// substituted returns the tokens that url holds a value for: a non-empty
// capture that is not itself a placeholder.
func (t template) substituted(url string) []string {
	m := t.re.FindStringSubmatch(url)
	if m == nil {
		return nil
	}
	var out []string
	for i, v := range m[1:] {
		if v != "" && !strings.Contains(v, "{{") {
			out = append(out, t.tokens[i])
		}
	}
	return out
}

// templateIndex finds the templates an arriving URL may come from without
// trying every one of them: a run sends thousands of merchant URLs.
type templateIndex struct {
	// byBase holds templates whose placeholders are all in the query,
	// keyed by the text before the "?", which must come back unchanged.
	byBase map[string][]template
	// rest have a placeholder before the query; tried for every URL.
	rest []template
}

func newTemplateIndex(raws map[string]bool) templateIndex {
	idx := templateIndex{byBase: map[string][]template{}}
	for _, raw := range slices.Sorted(maps.Keys(raws)) {
		t, ok := compileTemplate(raw)
		if !ok {
			continue
		}
		q, p := strings.IndexByte(raw, '?'), strings.Index(raw, "{{")
		if q >= 0 && q < p {
			idx.byBase[raw[:q]] = append(idx.byBase[raw[:q]], t)
		} else {
			idx.rest = append(idx.rest, t)
		}
	}
	return idx
}

// substituted is every token that some template of url filled in.
func (idx templateIndex) substituted(url string) map[string]bool {
	base := url
	if q := strings.IndexByte(url, '?'); q >= 0 {
		base = url[:q]
	}
	var out map[string]bool
	for _, list := range [][]template{idx.byBase[base], idx.rest} {
		for _, t := range list {
			for _, tok := range t.substituted(url) {
				if out == nil {
					out = map[string]bool{}
				}
				out[tok] = true
			}
		}
	}
	return out
}
