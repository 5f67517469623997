package recording

import (
	"slices"
	"testing"
)

// rawCredentials finds every credential an entry's raw JSON carries, in
// HAR's name/value pairs, kconform's header objects and URLs, even when a
// key is named twice or the JSON breaks off after it.
func TestRawCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      []string
	}{
		{"har pair", `{"request":{"headers":[{"name":"authorization","value":"Basic A"},{"name":"X","value":"no"}]}}`, []string{"Basic A"}},
		{"har pair value first", `{"headers":[{"value":"Bearer B","name":"Proxy-Authorization"}]}`, []string{"Bearer B"}},
		{"har pair value twice", `{"headers":[{"name":"Authorization","value":"Basic A","value":"Basic C"}]}`, []string{"Basic A", "Basic C"}},
		{"object", `{"request":{"headers":{"Authorization":"Basic A","X":"no"}}}`, []string{"Basic A"}},
		{"object list", `{"request":{"headers":{"AUTHORIZATION":["Basic A","Basic C"]}}}`, []string{"Basic A", "Basic C"}},
		{"url", `{"url":"https://u:pw@h/x"}`, []string{"Basic dTpwdw=="}},
		{"broken after", `{"headers":{"Authorization":"Basic A"},"x":`, []string{"Basic A"}},
		{"none", `{"name":"Authorization","x":{"value":"not it"}}`, nil},
	} {
		if got := rawCredentials([]byte(tc.raw)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
