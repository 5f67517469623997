package groundtruth

import (
	"strings"
	"testing"
)

// fakeT records what Path does instead of stopping the test.
type fakeT struct {
	testing.TB
	skipped, failed string
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Skip(args ...any)               { f.skipped = args[0].(string) }
func (f *fakeT) Fatalf(format string, a ...any) { f.failed = format + " " + a[0].(string) }

func TestMissingSkipsOrFailsUnderCI(t *testing.T) {
	const missing = "no-such-directory-in-shared"
	for _, tt := range []struct {
		ci       string
		wantFail bool
	}{{"", false}, {"false", false}, {"0", false}, {"true", true}, {"1", true}} {
		t.Setenv("CI", tt.ci)
		f := &fakeT{}
		Path(f, missing)
		msg := f.skipped + f.failed
		if (f.failed != "") != tt.wantFail || !strings.Contains(msg, "shared/"+missing) {
			t.Errorf("CI=%q: skipped %q, failed %q; want fail=%v naming shared/%s", tt.ci, f.skipped, f.failed, tt.wantFail, missing)
		}
	}
}

func TestLocateIsBesideTheModule(t *testing.T) {
	p, err := Locate("recordings")
	if err != nil || !strings.HasSuffix(p, "/shared/recordings") || strings.Contains(p, "/internal/") {
		t.Errorf("locate: %q, %v", p, err)
	}
}
