package parallel

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
)

// spec is a selected It of a preview report.
func spec(container, leaf string, line int, ordered, serial bool) types.SpecReport {
	return types.SpecReport{
		LeafNodeType:                types.NodeTypeIt,
		State:                       types.SpecStatePassed, // a preview's "will run"
		ContainerHierarchyTexts:     []string{container},
		ContainerHierarchyLocations: []types.CodeLocation{{FileName: container + ".go", LineNumber: 1}},
		LeafNodeText:                leaf,
		LeafNodeLocation:            types.CodeLocation{FileName: container + ".go", LineNumber: line},
		IsInOrderedContainer:        ordered,
		IsSerial:                    serial,
	}
}

func preview() types.Report {
	r := types.Report{PreRunStats: types.PreRunStats{TotalSpecs: 10, SpecsThatWillRun: 9}}
	for i := range 5 {
		r.SpecReports = append(r.SpecReports, spec("Errors", "MUST answer "+string(rune('a'+i)), 10+i, false, false))
	}
	r.SpecReports = append(r.SpecReports,
		spec("Callbacks", "MUST send one", 20, true, false),
		spec("Callbacks", "MUST retry", 21, true, false),
		spec("Expiry", "MUST expire", 30, false, true),
		spec("Expiry", "MUST expire later", 31, false, true))
	skipped := spec("Errors", "MUST be left out", 40, false, false)
	skipped.State = types.SpecStateSkipped
	r.SpecReports = append(r.SpecReports, skipped)
	return r
}

func TestPlanKeepsOrderedTogetherAndSerialAlone(t *testing.T) {
	p := preview()
	for _, shared := range []bool{true, false} {
		shards := Plan(p, 4, shared)
		seen := map[string]int{}
		for i, s := range shards {
			if s.Index != i+1 {
				t.Errorf("shared=%v: shard %d has index %d", shared, i, s.Index)
			}
			for _, name := range s.Specs {
				seen[name]++
			}
			one, retry := slices.Contains(s.Specs, "Callbacks MUST send one"), slices.Contains(s.Specs, "Callbacks MUST retry")
			if one != retry {
				t.Errorf("shared=%v: the Ordered container is split: shard %d has %q", shared, s.Index, s.Specs)
			}
		}
		if len(seen) != 9 {
			t.Errorf("shared=%v: %d specs planned, want the 9 selected: %v", shared, len(seen), seen)
		}
		for name, n := range seen {
			if n != 1 {
				t.Errorf("shared=%v: %q is in %d shards", shared, name, n)
			}
		}
		last := shards[len(shards)-1]
		if shared {
			if !last.Serial || !slices.Equal(last.Specs, []string{"Expiry MUST expire", "Expiry MUST expire later"}) {
				t.Errorf("a shared target: the last shard is %+v, want the two Serial specs alone", last)
			}
			if len(shards) != 5 {
				t.Errorf("a shared target: %d shards, want 4 and the serial one", len(shards))
			}
		} else if slices.ContainsFunc(shards, func(s Shard) bool { return s.Serial }) {
			t.Errorf("each process has its own mock: no serial shard wanted, got %+v", shards)
		}
	}
	if n := len(Plan(p, 1, false)); n != 1 {
		t.Errorf("--procs 1 planned %d shards", n)
	}
}

func TestFocusSelectsExactlyTheShardsSpecs(t *testing.T) {
	s := Shard{Specs: []string{"Errors MUST answer 400 naming order_lines[0].quantity (a+b)"}}
	f := s.Focus("kconform conformance")
	if len(f) != 1 || !strings.HasPrefix(f[0], "^") || !strings.Contains(f[0], `\[0\]\.quantity \(a\+b\)`) {
		t.Errorf("focus %q does not quote the spec's name", f)
	}
}

func TestMergeReportsTakesEachSpecFromItsShardAndAbortsTheLost(t *testing.T) {
	p := preview()
	shards := Plan(p, 2, true)
	var parts []ShardReport
	for i, s := range shards {
		if i == 1 {
			parts = append(parts, ShardReport{Shard: s, Err: errors.New("process 2 (…): it ended without a result (signal: killed)")})
			continue
		}
		r := &types.Report{SuiteSucceeded: true}
		// A child reports every spec: the others as filtered out.
		for _, sr := range p.SpecReports {
			if slices.Contains(s.Specs, sr.FullText()) {
				sr.State = types.SpecStateFailed
				sr.Failure.Message = "ran in " + s.Describe()
			} else {
				sr.State = types.SpecStateSkipped
			}
			r.SpecReports = append(r.SpecReports, sr)
		}
		parts = append(parts, ShardReport{Shard: s, Report: r})
	}
	m := MergeReports(p, parts)
	var lost []string
	defer func() {
		// The summary's reason for them is the process's, not "the run
		// was interrupted while it ran": nothing was interrupted, and the
		// spec never started.
		for _, r := range runreport.Rules(m) {
			if slices.Contains(lost, r.Rule) && (r.Verdict != runreport.NotRun || !strings.Contains(r.Why, "process 2") || strings.Contains(r.Why, "interrupted")) {
				t.Errorf("%q of the lost shard: %s %q, want not run naming the process", r.Rule, r.Verdict, r.Why)
			}
		}
		if len(lost) == 0 {
			t.Error("no spec of the lost shard")
		}
	}()
	if len(m.SpecReports) != len(p.SpecReports) {
		t.Fatalf("%d specs merged, want %d", len(m.SpecReports), len(p.SpecReports))
	}
	if m.SuiteSucceeded {
		t.Error("a lost shard left the suite succeeded")
	}
	for i, s := range m.SpecReports {
		if s.FullText() != p.SpecReports[i].FullText() {
			t.Errorf("spec %d is %q, want the preview's order (%q)", i, s.FullText(), p.SpecReports[i].FullText())
		}
		switch {
		case s.LeafNodeText == "MUST be left out":
			if s.State != types.SpecStateSkipped {
				t.Errorf("the spec the filters left out is %s", s.State)
			}
		case slices.Contains(shards[1].Specs, s.FullText()):
			if s.State != types.SpecStateAborted || !strings.Contains(s.Failure.Message, "process 2") {
				t.Errorf("%q of the lost shard: %s %q, want aborted naming the process", s.FullText(), s.State, s.Failure.Message)
			}
			lost = append(lost, s.FullText())
		default:
			if s.State != types.SpecStateFailed || !strings.Contains(s.Failure.Message, "ran in process") {
				t.Errorf("%q: %s %q, want its shard's verdict", s.FullText(), s.State, s.Failure.Message)
			}
		}
	}
}

func TestOneProcessSaysWhy(t *testing.T) {
	u, _ := url.Parse("https://cb.example.com")
	cases := []struct {
		cfg  target.RunConfig
		want string
	}{
		{target.RunConfig{}, ""},
		{target.RunConfig{CallbackListen: "127.0.0.1:0"}, ""},
		{target.RunConfig{CallbackURL: u, CallbackListen: "127.0.0.1:9000"}, "--callback-url"},
		{target.RunConfig{CallbackListen: "127.0.0.1:9000"}, "--callback-listen 127.0.0.1:9000"},
		{target.RunConfig{ReturnListen: "127.0.0.1:9001"}, "--return-listen"},
		{target.RunConfig{Consumer: target.ConsumerManual}, "manual"},
		{target.RunConfig{Consumer: target.ConsumerBrowser}, "browser"},
	}
	for _, c := range cases {
		got := OneProcess(c.cfg)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.cfg, got, c.want)
		}
	}
}

// TestInterruptedRunLeavesTheUnstartedShardsSpecsNotRun: after Ctrl-C, the
// serial shard of a parallel run is never started. Its specs are not run
// for their own process's reason (naming no other spec), and Ginkgo's
// summary of them is one process's after an interrupt: skipped, no
// [ABORTED] block, and a closing FAIL! line of a few words.
func TestInterruptedRunLeavesTheUnstartedShardsSpecsNotRun(t *testing.T) {
	p := preview()
	shards := Plan(p, 2, true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the interrupt came before the serial shard's turn
	notStarted := Runner{}.Run(ctx, shards[len(shards)-1:])[0]
	if notStarted.Err == nil {
		t.Fatal("a shard started after the run was stopped")
	}
	var parts []ShardReport
	// Process 1 was interrupted before its last spec, which it skipped.
	unreached := shards[0].Specs[len(shards[0].Specs)-1]
	for _, s := range shards[:len(shards)-1] {
		r := &types.Report{SpecialSuiteFailureReasons: []string{"Interrupted by User"}}
		for _, sr := range p.SpecReports {
			if !slices.Contains(s.Specs, sr.FullText()) || sr.FullText() == unreached {
				sr.State = types.SpecStateSkipped
			}
			r.SpecReports = append(r.SpecReports, sr)
		}
		parts = append(parts, ShardReport{Shard: s, Report: r})
	}
	parts = append(parts, ShardReport{Shard: notStarted.Shard, Err: notStarted.Err})
	m := MergeReports(p, parts)
	if m.SuiteSucceeded {
		t.Error("a run with a process never started succeeded")
	}

	serial := notStarted.Shard.Specs
	// As merged, and read back from the --json-report it is written to.
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back types.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, r := range append(runreport.Rules(m), runreport.Rules(back)...) {
		if r.Rule == unreached && (r.Verdict != runreport.NotRun || r.Why != "not run: the run ended before it (Interrupted by User)") {
			t.Errorf("%q, which its own process did not reach: %s %q, want that process's reason alone", r.Rule, r.Verdict, r.Why)
		}
		if !slices.Contains(serial, r.Rule) {
			continue
		}
		if r.Verdict != runreport.NotRun || !strings.Contains(r.Why, "process 3 was not started") {
			t.Errorf("%q: %s %q, want not run: process 3 was not started", r.Rule, r.Verdict, r.Why)
		}
		for _, other := range serial {
			if strings.Contains(r.Why, other) {
				t.Errorf("the reason of %q lists the spec %q: %q", r.Rule, other, r.Why)
			}
		}
	}
	for _, s := range m.SpecReports {
		if slices.Contains(serial, s.FullText()) && s.State != types.SpecStateSkipped {
			t.Errorf("%q is %s, want skipped as one process skips the specs after an interrupt", s.FullText(), s.State)
		}
	}

	var out strings.Builder
	rep := reporters.NewDefaultReporter(types.ReporterConfig{NoColor: true}, &out)
	rep.SuiteWillBegin(m)
	for _, s := range m.SpecReports {
		rep.DidRun(s)
	}
	rep.SuiteDidEnd(m)
	if n := strings.Count(out.String(), "[ABORTED]"); n > 0 {
		t.Errorf("[ABORTED] %d time(s) for specs that never started:\n%s", n, out.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(line, "FAIL!") {
			continue
		}
		if want := "FAIL! - Interrupted by User, process 3 not started"; line != want {
			t.Errorf("Ginkgo's closing line is %q, want %q", line, want)
		}
	}
}
