package framework

import (
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/kconform/kconform/internal/mock"
	"github.com/kconform/kconform/internal/target"
)

func TestCatchesDeclaresAFaultWithItsMessage(t *testing.T) {
	l := CatchesKCO(mock.FaultKCOOrderNotComplete, "the KCO order MUST be checkout_complete")
	neutral := Catches(mock.FaultTokenReusable, "the token was used already")
	r := types.Report{SpecReports: types.SpecReports{
		spec("MUST a", types.SpecStatePassed, "", HPP, Documented, "cites:S1", l[0], neutral[0]),
	}}
	if err := CheckSpecs(r); err != nil {
		t.Fatalf("valid declarations refused: %v", err)
	}
	got := DeclaredCatches(r) // in catalogue order, whatever the order of the labels
	want := []Catch{
		{Fault: mock.FaultTokenReusable, Spec: "MUST a", Needle: "the token was used already", Where: got[0].Where},
		{Fault: mock.FaultKCOOrderNotComplete, Provider: target.ProviderKCO, Spec: "MUST a", Needle: "the KCO order MUST be checkout_complete", Where: got[0].Where},
	}
	if !slices.Equal(got, want) {
		t.Errorf("declarations\n %+v\nwant\n %+v", got, want)
	}
}

// CheckSpecs refuses a catches label that names no fault of the mock, no
// provider, that Catches did not give (no message to expect), or that two
// specs declare with different messages.
func TestCheckSpecsRefusesBadCatches(t *testing.T) {
	Catches(mock.FaultCallbackMissing, "one message")
	Catches(mock.FaultCallbackMissing, "another message")
	r := types.Report{SpecReports: types.SpecReports{
		spec("MUST a", types.SpecStatePassed, "", HPP, Documented, "cites:S1", "catches:no-such-fault"),
		spec("MUST b", types.SpecStatePassed, "", HPP, Documented, "cites:S1", "catches:token-reusable@klarna"),
		spec("MUST c", types.SpecStatePassed, "", HPP, Documented, "cites:S1", "catches:qr-code-missing@kp"),
		spec("MUST d", types.SpecStatePassed, "", HPP, Documented, "cites:S1", "catches:callback-missing"),
	}}
	err := CheckSpecs(r)
	if err == nil {
		t.Fatal("bad catches labels must be refused")
	}
	for _, want := range []string{
		`unknown fault "no-such-fault" (known faults: hpp-create-wrong-status, `,
		`"klarna" is not a payment provider (kp, kco)`,
		`label "catches:qr-code-missing@kp" says what the spec catches but not what its failure says`,
		`label "catches:callback-missing" is declared with different failure messages ["one message" "another message"]`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if n := len(DeclaredCatches(r)); n != 0 {
		t.Errorf("%d refused declarations listed", n)
	}
}

// A catalogue fault no spec declares is reported by name. (CatchesKP:
// the plain Catches labels of the other tests have their own messages.)
func TestUncaughtFaultsNamesTheMissingOnes(t *testing.T) {
	var labels []string
	for _, f := range mock.Faults() {
		if f != mock.FaultQRCodeMissing && f != mock.FaultUpdatedAtGoesBack {
			labels = append(labels, CatchesKP(f, "rule "+f.String())[0])
		}
	}
	r := types.Report{SpecReports: types.SpecReports{spec("MUST a", types.SpecStatePassed, "", labels...)}}
	if got, want := UncaughtFaults(r), []string{"updated-at-goes-back", "qr-code-missing"}; !slices.Equal(got, want) {
		t.Errorf("uncaught %q, want %q", got, want)
	}
}
