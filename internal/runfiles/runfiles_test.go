package runfiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/internal/transport"
)

const (
	username = "merchant"
	password = "kconform-runfiles-test-password"
)

// report is a suite report of one passed rule whose captured output shows
// the password, as a target that echoes it would leave it.
func report() *types.Report {
	return &types.Report{SuiteDescription: "kconform conformance", SuiteSucceeded: true, SpecReports: types.SpecReports{{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: "MUST answer a read", State: types.SpecStatePassed,
		RunTime: time.Millisecond, CapturedGinkgoWriterOutput: "the target echoed " + password,
	}}}
}

// apiRecord is an answered API exchange whose body echoes the password.
func apiRecord(op string) transport.Record {
	return transport.Record{
		Kind: transport.API, Started: time.Now(), Duration: time.Millisecond,
		Exchange: exchange.Exchange{
			Method: http.MethodGet, URL: "http://127.0.0.1/payments/v1/sessions/s1", Status: http.StatusOK,
			RequestHeader:  http.Header{"Authorization": {"Basic secret"}},
			ResponseHeader: http.Header{"Content-Type": {"application/json"}},
			ResponseBody:   []byte(`{"echo":"` + password + `"}`),
		},
		Result: &contract.Result{Operation: op},
	}
}

// paths are every output of a run, in dir.
func paths(dir string) target.RunConfig {
	return target.RunConfig{
		Record: filepath.Join(dir, "run.har"), JUnitReport: filepath.Join(dir, "junit.xml"), JSONReport: filepath.Join(dir, "ginkgo.json"),
		Report: filepath.Join(dir, "report.md"), ReportJSON: filepath.Join(dir, "report.json"),
	}
}

func open(t *testing.T, cfg target.RunConfig) *Files {
	t.Helper()
	o, err := OpenForParent(cfg, "v-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Abort)
	return o
}

// TestCommitWritesEveryOutputScrubbed: the capture holds the answered API
// exchanges only (a cut body noted, a failed exchange or a page left out),
// every output is written, none shows the password, and stdout says where
// each went.
func TestCommitWritesEveryOutputScrubbed(t *testing.T) {
	cfg := paths(t.TempDir())
	o := open(t, cfg)
	scrub := exchange.NewScrubber(exchange.BasicSecrets(username, password)...)
	observe := o.Observer(scrub)
	cut := apiRecord("readCreditSession")
	cut.Truncated, cut.Err = true, errors.New("body too large")
	failed := apiRecord("readCreditSession")
	failed.Err = errors.New("connection reset")
	page := apiRecord("")
	page.Kind = transport.Page
	for _, r := range []transport.Record{apiRecord("readCreditSession"), cut, failed, page} {
		observe(r)
	}
	r, err := ScrubReport(report(), scrub)
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := o.Commit(r, nil, &stdout); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"kconform run: recorded 2 API exchanges to " + cfg.Record + "\n",
		"kconform run: wrote the conformance report (0 finding(s); ",
		" to " + cfg.Report + "\n", " to " + cfg.ReportJSON + "\n",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, path := range []string{cfg.Record, cfg.JUnitReport, cfg.JSONReport, cfg.Report, cfg.ReportJSON} {
		b, err := os.ReadFile(path)
		if err != nil || len(b) == 0 {
			t.Errorf("%s was not written: %v", filepath.Base(path), err)
		}
		if strings.Contains(string(b), password) || strings.Contains(string(b), "Basic secret") {
			t.Errorf("%s shows the credentials", filepath.Base(path))
		}
	}
	if har, _ := os.ReadFile(cfg.Record); !strings.Contains(string(har), "response body truncated to its first") {
		t.Errorf("the capture does not note the cut body")
	}
	if junit, _ := os.ReadFile(cfg.JUnitReport); !strings.Contains(string(junit), "MUST answer a read") {
		t.Errorf("the JUnit report lacks the spec")
	}
}

// TestAbortLeavesThePathsAsTheyWere: a run that ends before its specs
// changes no output path.
func TestAbortLeavesThePathsAsTheyWere(t *testing.T) {
	cfg := paths(t.TempDir())
	if err := os.WriteFile(cfg.Record, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := open(t, cfg)
	o.Observer(exchange.NewScrubber())(apiRecord("readCreditSession"))
	o.Abort()
	if b, _ := os.ReadFile(cfg.Record); string(b) != "old" {
		t.Errorf("an aborted run changed the capture: %q", b)
	}
	if _, err := os.Stat(cfg.Report); !os.IsNotExist(err) {
		t.Errorf("an aborted run wrote the report (%v)", err)
	}
}

// TestCommitWithoutAReportSaysSo: a run that produced no suite report
// writes no conformance report and says why, naming no Go type.
func TestCommitWithoutAReportSaysSo(t *testing.T) {
	dir := t.TempDir()
	o := open(t, target.RunConfig{ReportJSON: filepath.Join(dir, "report.json")})
	err := o.Commit(nil, nil, &bytes.Buffer{})
	if err == nil || err.Error() != "no conformance report: the suites produced no result" {
		t.Errorf("error %v", err)
	}
}

// TestSnapshotMergesIntoTheParent: what a child of a parallel run
// observed reaches its parent's coverage whole.
func TestSnapshotMergesIntoTheParent(t *testing.T) {
	dir := t.TempDir()
	snapshot := filepath.Join(dir, "coverage.json")
	child, err := Open(target.RunConfig{}, nil, "v-test")
	if err != nil {
		t.Fatal(err)
	}
	if child.Observer(nil) != nil {
		t.Fatal("an observer for a run that writes nothing")
	}
	child.SnapshotTo(snapshot)
	observe := child.Observer(exchange.NewScrubber())
	redirect := apiRecord("")
	redirect.Kind, redirect.Exchange.Status = transport.Page, http.StatusSeeOther
	redirect.Exchange.ResponseHeader = http.Header{"Location": {"https://merchant.example/back"}}
	observe(redirect)
	observe(apiRecord("readCreditSession"))
	if err := child.Commit(nil, nil, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	parent := open(t, target.RunConfig{ReportJSON: filepath.Join(dir, "report.json")})
	if err := parent.MergeCoverage(snapshot); err != nil {
		t.Fatal(err)
	}
	want, got := child.coverage.Snapshot(), parent.coverage.Snapshot()
	if len(got.Arrivals) != 1 || len(got.Responses) != 1 || !reflect.DeepEqual(want, got) {
		t.Errorf("the parent's coverage is not the child's:\nchild  %+v\nparent %+v", want, got)
	}
	if err := parent.MergeCoverage(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing snapshot merged without an error")
	}
}

// TestScrubReportScrubsEveryString: the password goes from the report's
// every string, JSON-escaped forms included.
func TestScrubReportScrubsEveryString(t *testing.T) {
	if r, err := ScrubReport(nil, exchange.NewScrubber(password)); r != nil || err != nil {
		t.Errorf("nil report: %v, %v", r, err)
	}
	in := report()
	in.SpecReports[0].Failure.Message = `said "` + password + `"`
	r, err := ScrubReport(in, exchange.NewScrubber(exchange.BasicSecrets(username, password)...))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	if strings.Contains(string(b), password) || !strings.Contains(r.SpecReports[0].Failure.Message, "said") {
		t.Errorf("the report still shows the password, or lost the message: %s", b)
	}
}

// TestWithdrawRemovesOnlyWhatTheRunDidNotWrite: an output left from an
// earlier run is removed, and said so, when the run did not write it; one
// the run wrote stays; a symlinked output loses the file it ends in, not
// the link.
func TestWithdrawRemovesOnlyWhatTheRunDidNotWrite(t *testing.T) {
	dir := t.TempDir()
	stale, written := filepath.Join(dir, "report.md"), filepath.Join(dir, "report.json")
	real, link := filepath.Join(dir, "real.har"), filepath.Join(dir, "run.har")
	for _, p := range []string{stale, written, real} {
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("real.har", link); err != nil {
		t.Fatal(err)
	}
	cfg := target.RunConfig{Report: stale, ReportJSON: written, Record: link, JUnitReport: filepath.Join(dir, "none.xml")}
	earlier := FindEarlier(cfg)
	if err := writeOutput(written, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	earlier.Withdraw(&stderr)
	for _, p := range []string{stale, real} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s, left from an earlier run, is still there (%v)", p, err)
		}
	}
	if b, _ := os.ReadFile(written); string(b) != "new" {
		t.Errorf("the output the run wrote was touched: %q", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink %s was removed", link)
	}
	for _, want := range []string{"removed --report " + stale, "removed --record " + link} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "report-json") || strings.Contains(stderr.String(), "junit") {
		t.Errorf("stderr names an output that was written or never there:\n%s", stderr.String())
	}
}
