package framework

import "testing"

// expectEach checks fn on every input of cases against its wanted output;
// name is fn's name in the failures.
func expectEach(t *testing.T, name string, fn func(string) string, cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		if got := fn(in); got != want {
			t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
		}
	}
}
