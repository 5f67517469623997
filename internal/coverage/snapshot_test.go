package coverage

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kconform/kconform/internal/contract/contracttest"
	"github.com/kconform/kconform/internal/transport"
)

// TestMergedSnapshotsGiveTheCoverageOfOneCollector splits one run's records
// between two collectors (two processes), sends one's snapshot through
// JSON and merges it into the other: the coverage is that of one
// collector that saw them all.
func TestMergedSnapshotsGiveTheCoverageOfOneCollector(t *testing.T) {
	recs := []transport.Record{
		create(201, `{"success":"https://m.example/ok?sid={{session_id}}","status_update":"https://m.example/cb/{{session_id}}"}`),
		read("s1", "WAITING"),
		api(readOperation, "GET", hppBase+"s2", 200, `{"session_id":"s2","status":"COMPLETED"}`, responseIssue),
		callback("https://m.example/cb/s1", "e1", "s1", "IN_PROGRESS"),
		callback("https://m.example/cb/s1", "e1", "s1", "IN_PROGRESS"), // a retry
		redirect("https://m.example/ok?sid=s1"),
		read("s1", "COMPLETED"),
		callback("https://m.example/cb/s1", "e2", "s1", "COMPLETED"),
	}
	v := contracttest.Validator(t)
	whole := NewCollector()
	for _, r := range recs {
		whole.Observe(r)
	}
	want, err := whole.Coverage(v)
	if err != nil {
		t.Fatal(err)
	}

	a, b := NewCollector(), NewCollector()
	for i, r := range recs {
		// Session s1's records in one process, as a parallel run has it
		// (one spec, one process); the rest alternate.
		if i == 2 || i == 0 {
			b.Observe(r)
		} else {
			a.Observe(r)
		}
	}
	raw, err := json.Marshal(b.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	var s Snapshot
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	a.Merge(s)
	got, err := a.Coverage(v)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged coverage\n%+v\nwant that of one collector\n%+v", got, want)
	}
	if reflect.DeepEqual(want, coverageOf(t, recs[1:]...)) {
		t.Fatal("the records chosen do not tell a lost one apart")
	}
}
