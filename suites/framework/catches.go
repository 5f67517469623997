package framework

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/internal/target"
)

// catchesPrefix starts the label that says a spec catches a mock fault:
// "catches:<fault>", or "catches:<fault>@<provider>" when the spec only runs
// with that --payment-provider.
const catchesPrefix = "catches:"

// needles holds what the failure of each catches label must say, keyed by
// the label. Ginkgo labels cannot carry it (they refuse "/", "," and
// parentheses, which rule messages contain), so Catches records it here as
// the spec tree is built; CheckSpecs refuses a label with no needle or two.
var needles = struct {
	sync.Mutex
	byLabel   map[string]string
	conflicts map[string][]string
}{byLabel: map[string]string{}, conflicts: map[string][]string{}}

// Catches is the decorator that says the spec catches a mock fault: with
// only that fault switched on, the spec fails and its failure message
// contains needle (the broken rule, in the spec's words). The fault matrix
// (cmd/kconform TestFaultMatrix) runs every declaration and proves it;
// docs/fault-matrix.md is generated from them. Use it on a spec that runs
// with either payment provider; CatchesKP or CatchesKCO for one that runs
// with one.
func Catches(f mock.FaultID, needle string) Labels {
	return catches(catchesPrefix+f.String(), needle)
}

// CatchesKP is Catches for a spec that runs only with --payment-provider kp
// (one that calls OnlyKP, or Authorize): the fault matrix runs it with kp.
func CatchesKP(f mock.FaultID, needle string) Labels {
	return catchesWith(target.ProviderKP, f, needle)
}

// CatchesKCO is Catches for a spec that runs only with --payment-provider
// kco (one that calls OnlyKCO): the fault matrix runs it with kco.
func CatchesKCO(f mock.FaultID, needle string) Labels {
	return catchesWith(target.ProviderKCO, f, needle)
}

func catchesWith(provider string, f mock.FaultID, needle string) Labels {
	return catches(catchesPrefix+f.String()+"@"+provider, needle)
}

func catches(label, needle string) Labels {
	needles.Lock()
	defer needles.Unlock()
	switch old, ok := needles.byLabel[label]; {
	case !ok:
		needles.byLabel[label] = needle
	case old != needle && !slices.Contains(needles.conflicts[label], needle):
		needles.conflicts[label] = append(needles.conflicts[label], needle)
	}
	return Label(label)
}

// Catch is one declaration: spec fails with needle when the mock runs
// Fault, in a run with Provider ("" when the spec runs with either).
type Catch struct {
	Fault    mock.FaultID
	Provider string
	Spec     string // the spec's full name
	Needle   string
	Where    string // file:line of the spec
}

// DeclaredCatches lists the declarations of the spec tree r (from
// ginkgo.PreviewSpecs) by fault in catalogue order, then provider (either,
// kp, kco), then spec name: Ginkgo shuffles the specs, the documents
// generated from this list must not change with the seed. Call CheckSpecs
// first: labels it refuses are left out.
func DeclaredCatches(r types.Report) []Catch {
	out := catchesOf(r, nil)
	rank := func(p string) int { return slices.Index(target.Providers, p) } // "" ranks first
	slices.SortStableFunc(out, func(a, b Catch) int {
		return cmp.Or(cmp.Compare(a.Fault, b.Fault), cmp.Compare(rank(a.Provider), rank(b.Provider)), strings.Compare(a.Spec, b.Spec))
	})
	return out
}

// catchesOf reads the declarations of r; with bugs non-nil it appends what
// is wrong with a catches label instead of dropping it silently.
func catchesOf(r types.Report, bugs *[]string) []Catch {
	var out []Catch
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		for _, l := range s.Labels() {
			c, err := parseCatch(l)
			if c == nil && err == nil {
				continue
			}
			if err != nil {
				if bugs != nil {
					*bugs = append(*bugs, fmt.Sprintf("%s: %v", s.LeafNodeLocation, err))
				}
				continue
			}
			c.Spec, c.Where = s.FullText(), s.LeafNodeLocation.String()
			out = append(out, *c)
		}
	}
	return out
}

// parseCatch reads one label: nil, nil when it is not a catches label.
func parseCatch(label string) (*Catch, error) {
	rest, ok := strings.CutPrefix(label, catchesPrefix)
	if !ok {
		return nil, nil
	}
	name, provider, _ := strings.Cut(rest, "@")
	ids, err := mock.ParseFaults(name)
	if err != nil {
		return nil, fmt.Errorf("label %q: %w; declare faults with framework.Catches(mock.Fault…)", label, err)
	}
	if provider != "" && !slices.Contains(target.Providers, provider) {
		return nil, fmt.Errorf("label %q: %q is not a payment provider (%s)", label, provider, strings.Join(target.Providers, ", "))
	}
	needles.Lock()
	defer needles.Unlock()
	needle, ok := needles.byLabel[label]
	if !ok {
		return nil, fmt.Errorf("label %q says what the spec catches but not what its failure says: declare it with framework.Catches, not Label", label)
	}
	if other := needles.conflicts[label]; len(other) > 0 {
		return nil, fmt.Errorf("label %q is declared with different failure messages %q: one fault, one message per provider", label, append([]string{needle}, other...))
	}
	if needle == "" {
		return nil, fmt.Errorf("label %q: the failure message to expect is empty", label)
	}
	return &Catch{Fault: ids[0], Provider: provider, Needle: needle}, nil
}

// UncaughtFaults lists the mock faults no spec of r declares it catches:
// each is a fault nothing proves the suites would notice.
func UncaughtFaults(r types.Report) []string {
	declared := map[mock.FaultID]bool{}
	for _, c := range catchesOf(r, nil) {
		declared[c.Fault] = true
	}
	var out []string
	for _, f := range mock.Faults() {
		if !declared[f] {
			out = append(out, f.String())
		}
	}
	return out
}
