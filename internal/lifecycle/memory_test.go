package lifecycle

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/contract"
)

// liveBytesPerSession is what a Sequence holds for each distinct session
// after observing n of them, from the live heap after a collection.
func liveBytesPerSession(t testing.TB, n int) float64 {
	c := checker(t)
	base := time.Date(2024, 1, 3, 12, 0, 0, 0, time.UTC)
	snaps := func(i int) Snapshot {
		return Snapshot{SessionID: fmt.Sprintf("39a1c773-bafd-754d-af1f-%012d", i), Status: "IN_PROGRESS",
			UpdatedAt: base.Add(time.Duration(i) * time.Second), Side: contract.Response, In: contract.InBody}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	q := c.NewSequence()
	for i := range n {
		if issues := q.Observe(i, snaps(i)); len(issues) > 0 {
			t.Fatalf("session %d: %v", i, issues)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(q)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// Memory grew with distinct sessions by about 550 bytes each (500,000 ids:
// 277 MB peak RSS). A session is now a hash and 24 bytes of state: well
// under 100 bytes with the map's overhead (issue 11, item 11).
func TestSequenceMemoryPerSession(t *testing.T) {
	if testing.Short() {
		t.Skip("observes 200,000 sessions")
	}
	if got := liveBytesPerSession(t, 200_000); got > 100 {
		t.Errorf("%.0f bytes per distinct session; want at most 100", got)
	}
}

// go test -run '^$' -bench SequenceSessions -benchtime 1x ./internal/lifecycle/
func BenchmarkSequenceSessions(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(liveBytesPerSession(b, 500_000), "live-B/session")
	}
}
