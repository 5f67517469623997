// Package runfiles writes the files a `kconform run` leaves besides its
// console output: the HAR capture (--record), Ginkgo's JUnit and JSON
// reports (--junit-report, --json-report), the conformance report
// (--report, --report-json) and, in a child of a parallel run, the coverage
// observations its parent merges. They watch the run's records as they
// come and are written, each through a temporary file, once the specs ran:
// until then every path stays as it was.
package runfiles

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/coverage"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/har"
	"github.com/kconform/kconform/internal/outfile"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
	"github.com/kconform/kconform/internal/transport"
)

// Files are the outputs of one run (or of one process of a parallel run).
type Files struct {
	cfg      target.RunConfig
	version  string              // kconform's, for the HAR creator and the report
	contract *contract.Validator // the run's, for the coverage
	record   *har.File
	coverage *coverage.Collector
	// snapshot is where a child of a parallel run writes its coverage
	// observations for the parent to merge; "" otherwise.
	snapshot string
}

// Open opens what a run of cfg writes; v is the contract, for the
// coverage (nil when neither --report nor --report-json is given), and
// version kconform's. The paths were checked by target.Load.
func Open(cfg target.RunConfig, v *contract.Validator, version string) (*Files, error) {
	o := &Files{cfg: cfg, version: version, contract: v}
	if cfg.Record != "" {
		f, err := har.Create(cfg.Record, har.Creator{Name: "kconform", Version: version})
		if err != nil {
			return nil, fmt.Errorf("--record %q: %v", cfg.Record, err)
		}
		o.record = f
	}
	if cfg.Report != "" || cfg.ReportJSON != "" {
		o.coverage = coverage.NewCollector()
	}
	return o, nil
}

// OpenForParent opens the outputs of a parallel run's parent: the children
// observe, the parent writes. The contract is loaded only for a coverage.
func OpenForParent(cfg target.RunConfig, version string) (*Files, error) {
	var v *contract.Validator
	if cfg.Report != "" || cfg.ReportJSON != "" {
		var err error
		if v, err = contract.DefaultValidator(); err != nil {
			return nil, fmt.Errorf("load the contract: %v", err)
		}
	}
	return Open(cfg, v, version)
}

// SnapshotTo makes a child of a parallel run collect coverage and write
// it to path, for its parent. Call it before Observer.
func (o *Files) SnapshotTo(path string) {
	if o.coverage == nil {
		o.coverage = coverage.NewCollector()
	}
	o.snapshot = path
}

// Observer returns what watches the run's records for these files, nil
// when none does; scrub is the run's scrubber, applied to the capture.
// It is safe to call from several goroutines at once.
func (o *Files) Observer(scrub *exchange.Scrubber) func(transport.Record) {
	switch {
	case o.record == nil && o.coverage == nil:
		return nil
	case o.coverage == nil:
		return func(r transport.Record) { recordAPI(o.record, r, scrub) }
	case o.record == nil:
		return o.coverage.Observe
	}
	return func(r transport.Record) {
		recordAPI(o.record, r, scrub)
		o.coverage.Observe(r)
	}
}

// Records reports whether the run records a capture (--record).
func (o *Files) Records() bool { return o.record != nil }

// Covers reports whether the run collects coverage (for a report).
func (o *Files) Covers() bool { return o.coverage != nil }

// AddRecords adds the captures a parallel run's children wrote.
func (o *Files) AddRecords(paths ...string) error {
	return o.record.AddFiles(paths...)
}

// MergeCoverage adds the coverage observations a child of a parallel run
// wrote to path (SnapshotTo).
func (o *Files) MergeCoverage(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var s coverage.Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	o.coverage.Merge(s)
	return nil
}

// Abort leaves every output path as it was; after Commit it does nothing.
func (o *Files) Abort() {
	if o.record != nil {
		o.record.Abort()
	}
}

// Commit writes the outputs from the run's report r (nil when Ginkgo
// produced none; scrubbed already) and the routes the probe found
// unserved, and says on stdout where they went.
func (o *Files) Commit(r *types.Report, unserved []runreport.Unserved, stdout io.Writer) error {
	var errs []error
	if o.record != nil {
		if err := o.record.Commit(); err != nil {
			errs = append(errs, fmt.Errorf("--record: %v", err))
		} else {
			fmt.Fprintf(stdout, "kconform run: recorded %d API exchanges to %s\n", o.record.Len(), o.cfg.Record)
		}
	}
	if r != nil {
		errs = append(errs, writeGinkgoReports(o.cfg, *r)...)
	}
	if o.snapshot != "" {
		err := writeOutput(o.snapshot, func(w io.Writer) error { return json.NewEncoder(w).Encode(o.coverage.Snapshot()) })
		if err != nil {
			errs = append(errs, fmt.Errorf("coverage observations: %v", err))
		}
	}
	if o.cfg.Report == "" && o.cfg.ReportJSON == "" {
		return errors.Join(errs...)
	}
	if r == nil {
		return errors.Join(append(errs, errors.New("no conformance report: the suites produced no result"))...)
	}
	cov, err := o.coverage.Coverage(o.contract)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("coverage of the contract: %v", err))...)
	}
	rep := runreport.New(*r, o.version, o.cfg.TargetString(), o.cfg.Selection(), &cov)
	rep.BuiltInMock = o.cfg.InProcess()
	rep.WithUnserved(unserved)
	write := func(flagName, path string, fn func(io.Writer) error) {
		if path == "" {
			return
		}
		if err := writeOutput(path, fn); err != nil {
			errs = append(errs, fmt.Errorf("--%s: %v", flagName, err))
			return
		}
		fmt.Fprintf(stdout, "kconform run: wrote the conformance report (%d finding(s); %s) to %s\n", len(rep.Findings), rep.Counts.Headline(), path)
	}
	write("report", o.cfg.Report, rep.WriteMarkdown)
	write("report-json", o.cfg.ReportJSON, rep.WriteJSON)
	return errors.Join(errs...)
}

// recordAPI writes one record of the run to the capture when it is an API
// exchange that got an answer (a body cut at the transport's limit too,
// noted in the entry's comment). The exchange is scrubbed again here, and
// redacted again by the writer, whatever the transport did.
func recordAPI(f *har.File, r transport.Record, scrub *exchange.Scrubber) {
	if r.Kind != transport.API || (r.Err != nil && !r.Truncated) {
		return
	}
	e := har.Entry{Started: r.Started, Duration: r.Duration, Exchange: scrub.Exchange(r.Exchange)}
	var notes []string
	if r.Rejection {
		notes = append(notes, "deliberately invalid request")
	}
	if r.Truncated {
		notes = append(notes, fmt.Sprintf("response body truncated to its first %d bytes: %v", transport.MaxBody, r.Err))
	}
	e.Comment = strings.Join(notes, "; ")
	_ = f.Add(e) // the first error comes back from Commit
}

// writeOutput writes path through a temporary file with fn.
func writeOutput(path string, fn func(io.Writer) error) error {
	f, err := outfile.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// writeGinkgoReports writes Ginkgo's JUnit and JSON reports of r, in the
// form Ginkgo's --junit-report and --json-report give them.
func writeGinkgoReports(cfg target.RunConfig, r types.Report) []error {
	var errs []error
	if cfg.JUnitReport != "" {
		err := outfile.WriteByName(cfg.JUnitReport, func(name string) error { return reporters.GenerateJUnitReport(r, name) })
		if err != nil {
			errs = append(errs, fmt.Errorf("--junit-report: %v", err))
		}
	}
	if cfg.JSONReport != "" {
		err := writeOutput(cfg.JSONReport, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode([]types.Report{r})
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("--json-report: %v", err))
		}
	}
	return errs
}

// ScrubReport is r with the run's credentials scrubbed from every string
// (failure messages, captured output, report entries), nil for nil. The
// report goes through its JSON form, which Ginkgo itself reads back (its
// parallel runs do), with the secrets' JSON-escaped forms scrubbed too.
func ScrubReport(r *types.Report, s *exchange.Scrubber) (*types.Report, error) {
	if r == nil {
		return nil, nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("scrub the report: %v", err)
	}
	var out types.Report
	if err := json.Unmarshal(s.Bytes(b), &out); err != nil {
		return nil, fmt.Errorf("scrub the report: %v", err)
	}
	return &out, nil
}

// Earlier is what was at a run's output paths before it started.
type Earlier []earlier

type earlier struct {
	flag, path string
	file       outfile.Existing
}

// outputs are the run's output flags and their paths, in the order of the
// usage.
func outputs(cfg target.RunConfig) [][2]string {
	return [][2]string{
		{"report", cfg.Report}, {"report-json", cfg.ReportJSON},
		{"junit-report", cfg.JUnitReport}, {"json-report", cfg.JSONReport},
		{"record", cfg.Record},
	}
}

// FindEarlier notes the files at cfg's output paths before the run.
func FindEarlier(cfg target.RunConfig) Earlier {
	var e Earlier
	for _, o := range outputs(cfg) {
		if o[1] == "" {
			continue
		}
		if f, ok := outfile.Before(o[1]); ok {
			e = append(e, earlier{flag: o[0], path: o[1], file: f})
		}
	}
	return e
}

// Withdraw removes every earlier file the run did not replace, and says so
// on stderr: a run that ended before its specs (an interrupt, a target
// that refused the credentials or could not be reached, the deadline)
// writes no output, and a report left from an earlier run would read, to
// CI or a person, as this run's.
func (e Earlier) Withdraw(stderr io.Writer) {
	for _, f := range e {
		removed, err := f.file.RemoveIfUnchanged()
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "kconform run: --%s %s is left from an earlier run (this run did not write it) and could not be removed: %v\n", f.flag, f.path, err)
		case removed:
			fmt.Fprintf(stderr, "kconform run: removed --%s %s, left from an earlier run: this run did not write it\n", f.flag, f.path)
		}
	}
}
