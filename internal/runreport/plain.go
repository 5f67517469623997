package runreport

import (
	"regexp"
	"strings"

	"github.com/kconform/kconform/internal/transport"
)

// maxPart bounds each part of a plain message (what came, what was
// expected), so the expected value is never cut off by a long actual one.
const maxPart = 160

var (
	// typeTag is Gomega's "<type>: " or "<*type | 0xc000...>: " before a value.
	typeTag = regexp.MustCompile(`^<[^>]*>:? ?`)
	// asyncFrame is how Gomega introduces the last failure of an
	// Eventually: where in kconform's code it was, not news for the user.
	asyncFrame = regexp.MustCompile(`^The function passed to (Eventually|Consistently) (failed|returned) at \S+ with:?$`)
	timedOut   = regexp.MustCompile(`^Timed out after ([0-9.]+)s\.$`)
	// failedAfter opens the failure of a Consistently: when, not what.
	failedAfter = regexp.MustCompile(`^Failed after [0-9.]+s\.$`)
	// diffBar is the column mark Gomega puts after "to equal" in a string diff.
	diffBar = regexp.MustCompile(`\s+\|$`)
)

// Plain turns a failure message into one line in the user's words: the
// assertion's description, what came and what was expected, without
// Gomega's framing, Go types or addresses. "read HPP session x\nExpected\n
// <api.HppStatus>: waiting\nto equal\n <api.HppStatus>: WAITING" becomes
// "read HPP session x: got waiting; expected it to equal WAITING".
func Plain(msg string) string {
	lines := strings.Split(Tidy(msg), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	if i := indexOf(lines, "Expected"); i >= 0 {
		desc := strings.ReplaceAll(strings.TrimSuffix(strings.Join(lines[:i], ": "), ":"), ":: ", ": ")
		rest := lines[i+1:]
		if m := matcherLine(rest); m > 0 {
			got := clipText(strings.Join(rest[:m], " "), maxPart)
			want := clipText(strings.Join(rest[m+1:], " "), maxPart)
			out := "got " + got + "; expected it " + rest[m]
			if want != "" {
				out += " " + want
			}
			if desc != "" {
				out = desc + ": " + out
			}
			return out
		}
	}
	head := strings.TrimSuffix(lines[0], ":")
	tail := strings.Join(lines[1:], " ")
	if tail == "" {
		// "... answered 201 (text/plain) with body:" and nothing after.
		return clipText(strings.TrimSuffix(head, " with body"), 2*maxPart)
	}
	return clipText(head, maxPart) + ": " + clipText(tail, 2*maxPart)
}

// notJSON is Go's JSON decoder saying a body is not JSON at all (an HTML
// page where JSON was declared): the user's words say that, not the
// decoder's.
var notJSON = regexp.MustCompile(`invalid character '(.{1,4}?)' (?:looking for beginning of value|after top-level value|looking for beginning of object key string)`)

// Tidy takes Gomega's framing out of a failure message and keeps its
// lines: no "Unexpected error:", no Go types or addresses ("<*x.Error |
// 0xc000...>:"), no "(the ... above)". The failure handler of a run
// passes every message through it.
func Tidy(msg string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(msg), "\n") {
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		t := strings.TrimSpace(typeTag.ReplaceAllString(strings.TrimSpace(l), ""))
		t = diffBar.ReplaceAllString(t, "")
		t = transport.WithoutAddresses(t)
		t = timedOut.ReplaceAllString(t, "still not so after ${1}s:")
		t = notJSON.ReplaceAllString(t, "the body is not JSON (it starts with ${1})")
		t = strings.ReplaceAll(t, "unexpected end of JSON input", "the body is not JSON (it ends before the value does)")
		if t == "" || t == "Unexpected error:" || failedAfter.MatchString(t) || t == "occurred" || asyncFrame.MatchString(t) ||
			(strings.HasPrefix(t, "(the ") && strings.HasSuffix(t, " above)")) {
			continue
		}
		lines = append(lines, indent+t)
	}
	return strings.Join(lines, "\n")
}

func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

// matcherLine is the index of Gomega's matcher phrase ("to equal", "not
// to be empty", "to be >=") among the lines after "Expected", or -1.
func matcherLine(lines []string) int {
	for i, l := range lines {
		if i > 0 && (strings.HasPrefix(l, "to ") || strings.HasPrefix(l, "not to ")) {
			return i
		}
	}
	return -1
}

// clipText shortens s to about n bytes on a rune boundary, saying so.
func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + " …"
}
