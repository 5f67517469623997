package contract_test

import (
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
)

func TestTooDeep(t *testing.T) {
	deep := strings.Repeat("[", contract.MaxJSONDepth+1)
	ok := strings.Repeat("[", contract.MaxJSONDepth) + strings.Repeat("]", contract.MaxJSONDepth)
	for body, want := range map[string]bool{
		ok:                     false,
		deep:                   true,
		`{"a":"` + deep + `"}`: false, // inside a string
		`"\"` + deep + `"`:     false, // escaped quote keeps the string open
		`{"a":"\\"}` + deep:    true,  // an escaped backslash closes it
		`{"a":[[1]]}`:          false,
	} {
		if got := contract.TooDeep([]byte(body)); got != want {
			t.Errorf("TooDeep(%.40q) = %v, want %v", body, got, want)
		}
	}
}

func TestDeepBodyIsReportedNotVisited(t *testing.T) {
	body := `{"method":"email","contact_information":` + strings.Repeat("[", 10000) + `}`
	r, err := contracttest.Validator(t).ValidateBody("distributeHppSession", contract.Request, 0, "application/json", []byte(body), contract.Default)
	if err != nil {
		t.Fatal(err)
	}
	if got := pointers(r, contract.Violation); strings.Join(got, ",") != contract.RuleBodyTooDeep+"@" {
		t.Errorf("violations %v, want one %s", got, contract.RuleBodyTooDeep)
	}
}

func TestUnparsableURLIsNotEchoed(t *testing.T) {
	_, _, err := contracttest.Validator(t).Find("GET", "https://user:s3cret@api.klarna.com:bad/hpp/v1/sessions/x\x7f")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Find error = %v; must fail without the password", err)
	}
}
