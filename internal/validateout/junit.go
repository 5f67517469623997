package validateout

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/recording"
)

// junitWriter writes one <testsuite> per file and one <testcase> per entry:
// a violating entry is a <failure>, an unreadable one an <error>, one
// outside the contract is <skipped>, and warnings go to <system-out>. The
// test cases of one file are held until the file ends, because the suite's
// counts come first.
type junitWriter struct {
	w     *errWriter
	opts  Options
	suite *junitSuite
}

type junitSuite struct {
	XMLName  xml.Name        `xml:"testsuite"`
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

type junitTestCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func newJUnit(w io.Writer, opts Options) *junitWriter {
	j := &junitWriter{w: &errWriter{w: w}, opts: opts}
	j.w.printf("%s<testsuites name=\"kconform validate\">\n", xml.Header)
	return j
}

func (j *junitWriter) BeginFile(path string, format recording.Format) {
	j.suite = &junitSuite{Name: path}
}

func (j *junitWriter) Entry(e *audit.Entry) {
	if quiet(j.opts, e) {
		return
	}
	tc := junitTestCase{ClassName: j.suite.Name, Name: fmt.Sprintf("#%d %s -> %s", e.Index, request(e), target(e))}
	var failures, warnings []string
	for _, i := range e.Issues {
		if i.Severity == contract.Violation {
			failures = append(failures, i.String())
		} else {
			warnings = append(warnings, i.String())
		}
	}
	switch e.Verdict {
	case audit.Unreadable:
		tc.Error = &junitMessage{Message: "unreadable", Type: "unreadable", Text: e.Err.Error()}
		j.suite.Errors++
	case audit.Violates:
		tc.Failure = &junitMessage{Message: counts(e), Type: "violates", Text: strings.Join(failures, "\n")}
		j.suite.Failures++
	case audit.Outside:
		tc.Skipped = &junitMessage{Message: "outside the contract"}
		j.suite.Skipped++
	}
	if len(warnings) > 0 {
		tc.SystemOut = strings.Join(warnings, "\n")
	}
	j.suite.Tests++
	j.suite.Cases = append(j.suite.Cases, tc)
}

func (j *junitWriter) EndFile(path string, err error) {
	switch {
	case errors.Is(err, recording.ErrNothingChecked):
		// A failure, not a skip: CI must not count a file that checked
		// nothing as passed.
		j.suite.Tests++
		j.suite.Failures++
		j.suite.Cases = append(j.suite.Cases, junitTestCase{
			ClassName: path, Name: "check " + path,
			Failure: &junitMessage{Message: "nothing checked", Type: "nothing-checked", Text: err.Error()},
		})
	case err != nil:
		j.suite.Tests++
		j.suite.Errors++
		j.suite.Cases = append(j.suite.Cases, junitTestCase{
			ClassName: path, Name: "read " + path,
			Error: &junitMessage{Message: "unreadable", Type: "unreadable", Text: err.Error()},
		})
	}
	b, mErr := xml.MarshalIndent(j.suite, "  ", "  ")
	if mErr != nil {
		j.w.err = mErr
		return
	}
	j.w.printf("%s\n", b)
	j.suite = nil
}

func (j *junitWriter) Finish(s audit.Summary) error {
	j.w.printf("</testsuites>\n")
	return j.w.err
}
