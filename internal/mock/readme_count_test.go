package mock

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The README counts the faults; the count follows the catalogue (review
// fix2 item 3: it said 32 after the 33rd was added).
func TestReadmeCountsTheFaults(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d switchable faults", len(FaultNames()))
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not say %q (kconform mock --list-faults lists %d)", want, len(FaultNames()))
	}
}
