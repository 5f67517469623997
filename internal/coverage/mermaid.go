package coverage

import (
	"fmt"
	"strings"
)

// Mermaid draws the HPP statuses as a stateDiagram-v2: every documented
// transition labelled with how often the run exercised it ("✔ 12×") or
// "not exercised", every observed undocumented one labelled as such, and
// each terminal status leading to [*].
func (c Coverage) Mermaid() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, t := range c.Transitions {
		fmt.Fprintf(&b, "    %s --> %s: %s\n", mermaidState(t.From), mermaidState(t.To), transitionLabel(t))
	}
	for _, s := range c.Terminal {
		fmt.Fprintf(&b, "    %s --> [*]\n", mermaidState(s))
	}
	for _, s := range c.Unreachable {
		fmt.Fprintf(&b, "    note right of %s: no documented transition leads here\n", mermaidState(s))
	}
	return b.String()
}

func transitionLabel(t Transition) string {
	switch {
	case !t.Documented:
		return fmt.Sprintf("⚠ undocumented, %d×", t.Seen)
	case t.Seen > 0:
		return fmt.Sprintf("✔ %d×", t.Seen)
	}
	return "not exercised"
}

// mermaidState keeps a status a valid state id: a target may send any text
// (lowercase, spaces, punctuation), which must not break the diagram.
func mermaidState(s string) string {
	if s == start {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "EMPTY"
	}
	return b.String()
}
