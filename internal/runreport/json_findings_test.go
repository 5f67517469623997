package runreport

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestNoFindingsIsAnEmptyListInJSON: a clean run's JSON said
// "findings": null, which a reader iterating the list has to special-case.
func TestNoFindingsIsAnEmptyListInJSON(t *testing.T) {
	var b bytes.Buffer
	if err := (Report{}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if got := string(doc["findings"]); got != "[]" {
		t.Errorf(`"findings": %s, want []`, got)
	}
}
