// Package parallel runs the specs of one `kconform run` in several child
// processes (--procs) and puts their results back together as if one
// process had run them.
//
// Ginkgo runs one suite per process, and its own parallel mode needs the
// ginkgo CLI's server, which lives in an internal package. So the parent
// previews the specs with the run's filters (ginkgo.PreviewSpecs), splits
// the selected ones into shards (Plan), starts its own binary once per
// shard with an exact focus (Run), and merges what the children wrote into
// their private folders: Ginkgo's reports (MergeReports), the coverage
// observations (coverage.Snapshot) and the recorded exchanges
// (har.MergeFiles). Each child has its own callback and return receivers
// and, against the built-in mock, its own mock, so nothing crosses between
// shards.
package parallel

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/target"
)

// EnvShard names the shard file of a child process: set, the process runs
// that shard and writes its results next to the file instead of the
// user's outputs.
const EnvShard = "KCONFORM_SHARD"

// Shard is the work of one child process.
type Shard struct {
	// Index counts from 1, for messages.
	Index int `json:"index"`
	// Serial: the shard runs alone, after the others (specs that move the
	// target's shared clock).
	Serial bool `json:"serial"`
	// Specs are the full texts of the shard's specs, in the preview's
	// order.
	Specs []string `json:"specs"`
	// Dir is the shard's private folder; Record and Coverage say whether
	// the child writes its exchanges and coverage observations there.
	Dir      string `json:"dir"`
	Record   bool   `json:"record"`
	Coverage bool   `json:"coverage"`
	// RunDeadline is the whole run's --deadline, for the child's header;
	// Until is when it runs out, the child's own deadline (set by Run).
	// Not a --deadline flag: what is left may be shorter than
	// --request-timeout, which the flag may not be.
	RunDeadline time.Duration `json:"run_deadline"`
	Until       time.Time     `json:"until"`
}

// Focus is the Ginkgo focus that selects exactly the shard's specs (Ginkgo
// matches it against the suite description and the spec's full text).
func (s Shard) Focus(suite string) []string {
	out := make([]string, 0, len(s.Specs))
	for _, t := range s.Specs {
		out = append(out, "^"+regexp.QuoteMeta(suite+" "+t)+"$")
	}
	return out
}

// The files of a shard's folder.
func (s Shard) file() string         { return filepath.Join(s.Dir, "shard.json") }
func (s Shard) ReportPath() string   { return filepath.Join(s.Dir, "ginkgo.json") }
func (s Shard) RecordPath() string   { return filepath.Join(s.Dir, "record.har") }
func (s Shard) CoveragePath() string { return filepath.Join(s.Dir, "coverage.json") }
func (s Shard) resultPath() string   { return filepath.Join(s.Dir, "result.json") }
func (s Shard) outputPath() string   { return filepath.Join(s.Dir, "output.txt") }

// Name is the shard's short name, "process 2": what a spec's reason and
// Ginkgo's one-line summary say about the shard, which its spec names would
// swamp.
func (s Shard) Name() string { return fmt.Sprintf("process %d", s.Index) }

// Describe names the shard and its first specs, for a message about the
// shard on a line of its own.
func (s Shard) Describe() string {
	const listed = 3
	names := s.Specs[:min(listed, len(s.Specs))]
	more := ""
	if n := len(s.Specs) - listed; n > 0 {
		more = fmt.Sprintf(" and %d more", n)
	}
	return fmt.Sprintf("%s (%d spec(s): %q%s)", s.Name(), len(s.Specs), names, more)
}

// ReadShard reads the shard file a child was started with.
func ReadShard(path string) (Shard, error) {
	var s Shard
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err != nil {
		return s, fmt.Errorf("%s %s: %v", EnvShard, path, err)
	}
	return s, nil
}

// Result is what a child says about its run besides the reports, written
// last: a shard without one did not finish.
type Result struct {
	Exit int `json:"exit"`
	// Header is the child's description of the run (runner.Header),
	// scrubbed.
	Header   string               `json:"header"`
	Unserved []runreport.Unserved `json:"unserved,omitempty"`
}

// WriteResult writes the child's result; call it last.
func (s Shard) WriteResult(r Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return os.WriteFile(s.resultPath(), b, 0o600)
}

// orderedWeight is what one spec of an Ordered container counts for when
// shards are balanced, against 1 for any other spec.
const orderedWeight = 10

// Selected are the specs a preview report says will run (It nodes neither
// filtered out nor pending), in the preview's order.
func Selected(preview types.Report) []types.SpecReport {
	var out []types.SpecReport
	for _, s := range preview.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt && s.State == types.SpecStatePassed {
			out = append(out, s)
		}
	}
	return out
}

// Plan splits the selected specs of a preview into at most procs shards of
// about equal size, plus one serial shard when shared is set and some
// specs are Serial. Specs of one Ordered container stay together (they
// share state and run in order), and so do specs with the same full text
// (one exact focus selects them all). shared says whether the children
// share the target (an external one; each child has its own built-in
// mock, whose clock Serial specs may move without disturbing others).
// Shards are numbered from 1; the serial one comes last.
func Plan(preview types.Report, procs int, shared bool) []Shard {
	type unit struct {
		key    string
		specs  []string
		weight int
	}
	var units []*unit
	var serial []string
	byKey := map[string]*unit{}
	for _, s := range Selected(preview) {
		text := s.FullText()
		if shared && s.IsSerial {
			if !slices.Contains(serial, text) {
				serial = append(serial, text)
			}
			continue
		}
		key := "spec " + text
		if s.IsInOrderedContainer && len(s.ContainerHierarchyLocations) > 0 {
			// The outermost container: an Ordered one may hold others.
			key = "ordered " + s.ContainerHierarchyLocations[0].String()
		}
		u := byKey[key]
		if u == nil {
			u = &unit{key: key}
			byKey[key] = u
			units = append(units, u)
		}
		if !slices.Contains(u.specs, text) {
			u.specs = append(u.specs, text)
			u.weight++
			if s.IsInOrderedContainer {
				// The specs of an Ordered container wait on the target
				// together (the callback retries, seconds each against a
				// real one): the run's long pole, best with few others.
				u.weight += orderedWeight - 1
			}
		}
	}
	n := max(1, min(procs, len(units)))
	shards := make([]Shard, n)
	// The heaviest units first, each to the lightest shard so far; specs
	// then keep the preview's order within their shard.
	order := slices.Clone(units)
	slices.SortStableFunc(order, func(a, b *unit) int { return cmp.Compare(b.weight, a.weight) })
	owner := map[*unit]int{}
	load := make([]int, n)
	for _, u := range order {
		i := 0
		for j := range load {
			if load[j] < load[i] {
				i = j
			}
		}
		owner[u] = i
		load[i] += u.weight
	}
	for _, u := range units {
		shards[owner[u]].Specs = append(shards[owner[u]].Specs, u.specs...)
	}
	shards = slices.DeleteFunc(shards, func(s Shard) bool { return len(s.Specs) == 0 })
	if len(serial) > 0 {
		shards = append(shards, Shard{Serial: true, Specs: serial})
	}
	for i := range shards {
		shards[i].Index = i + 1
	}
	return shards
}

// OneProcess says why a run of cfg must keep to one process, "" when it
// may use several: each of these settings fixes one listener, or one
// person, for the whole run.
func OneProcess(cfg target.RunConfig) string {
	switch {
	case cfg.CallbackURL != nil:
		return "--callback-url forwards to one fixed --callback-listen address, which only one process can listen on"
	case cfg.ReturnURL != nil:
		return "--return-url forwards to one fixed --return-listen address, which only one process can listen on"
	case fixedPort(cfg.CallbackListen):
		return "--callback-listen " + cfg.CallbackListen + " is one fixed address, which only one process can listen on"
	case fixedPort(cfg.ReturnListen):
		return "--return-listen " + cfg.ReturnListen + " is one fixed address, which only one process can listen on"
	case cfg.Consumer == target.ConsumerManual:
		return "--consumer manual asks one person at the terminal"
	case cfg.Consumer == target.ConsumerBrowser:
		return "--consumer browser drives one headless Chromium per process, too heavy to multiply"
	}
	return ""
}

// fixedPort reports whether a listen address names a port (not 0, which
// lets each process have its own).
func fixedPort(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	return addr != "" && (err != nil || (port != "0" && port != ""))
}
