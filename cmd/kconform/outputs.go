package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	"github.com/kconform/kconform/suites/framework"
)

// runOutputs are the files `kconform run` writes besides Ginkgo's own
// reports: the HAR capture (--record) and the conformance report
// (--report, --report-json). They watch the run through the framework's
// observers and are written once the specs ran.
type runOutputs struct {
	cfg      target.RunConfig
	unserved []runreport.Unserved
	contract *contract.Validator // the run's, for the coverage
	record   *har.File
	coverage *coverage.Collector
	// snapshot is where a child of a parallel run writes its coverage
	// observations for the parent to merge; "" otherwise.
	snapshot string
}

// snapshotTo makes a child of a parallel run collect coverage and write
// it to path, for its parent.
func (o *runOutputs) snapshotTo(path string, env *framework.Env) {
	if o.coverage == nil {
		o.coverage = coverage.NewCollector()
		env.Observe(o.coverage.Observe)
	}
	o.snapshot = path
}

// startOutputs opens what the run writes and hangs it on env. The paths
// were checked by target.Load.
func startOutputs(cfg target.RunConfig, env *framework.Env) (*runOutputs, error) {
	o, err := newOutputs(cfg, env.Validator)
	if err != nil {
		return nil, err
	}
	o.unserved = env.Unserved
	if o.record != nil {
		env.Observe(func(r transport.Record) { recordAPI(o.record, r, env.Scrubber) })
	}
	if o.coverage != nil {
		env.Observe(o.coverage.Observe)
	}
	return o, nil
}

// newOutputs opens what a run of cfg writes; v is the contract, for the
// coverage. A parallel run's parent fills them from its children's files.
func newOutputs(cfg target.RunConfig, v *contract.Validator) (*runOutputs, error) {
	o := &runOutputs{cfg: cfg, contract: v}
	if cfg.Record != "" {
		f, err := har.Create(cfg.Record, har.Creator{Name: "kconform", Version: versionString()})
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

// abort leaves every output path as it was; after commit it does nothing.
func (o *runOutputs) abort() {
	if o.record != nil {
		o.record.Abort()
	}
}

// commit writes the outputs from the run's report r (nil when Ginkgo
// produced none) and says where they went.
func (o *runOutputs) commit(r *types.Report, stdout io.Writer) error {
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
	rep := runreport.New(*r, versionString(), o.cfg.TargetString(), selection(o.cfg), &cov)
	rep.BuiltInMock = o.cfg.InProcess()
	rep.WithUnserved(o.unserved)
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

// selection describes the run's spec filters for the report, "" for all.
func selection(cfg target.RunConfig) string {
	var parts []string
	if cfg.LabelFilter != "" {
		parts = append(parts, fmt.Sprintf("--label-filter %q", cfg.LabelFilter))
	}
	for _, f := range cfg.Focus {
		parts = append(parts, fmt.Sprintf("--focus %q", f))
	}
	for _, s := range cfg.Skip {
		parts = append(parts, fmt.Sprintf("--skip %q", s))
	}
	return strings.Join(parts, " ")
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

// scrubReport is r with the run's credentials scrubbed from every string
// (failure messages, captured output, report entries), nil for nil. The
// report goes through its JSON form, which Ginkgo itself reads back (its
// parallel runs do), with the secrets' JSON-escaped forms scrubbed too.
func scrubReport(r *types.Report, s *exchange.Scrubber) (*types.Report, error) {
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
