package profile

import (
	"strings"
	"testing"
)

// TestParseNamesFileAndField: each problem of a profile is reported with
// the file and the field it is in.
func TestParseNamesFileAndField(t *testing.T) {
	for name, c := range map[string]struct{ yaml, want string }{
		"version":         {"version: 2\nname: x\nclock: {now: {url: u, now: /n}, advance: {url: u}}", "version: must be 1, got 2"},
		"unknown key":     {"version: 1\nname: x\nconsumr: {}", "field consumr not found"},
		"unknown action":  {"version: 1\nname: x\nconsumer: {http: {actions: {pay: {url: u}, buy: {url: u}}}}", "consumer.http.actions.buy: unknown action"},
		"no pay":          {"version: 1\nname: x\nconsumer: {http: {actions: {back: {url: u}}}}", "consumer.http.actions: needs at least pay"},
		"unknown var":     {"version: 1\nname: x\nconsumer: {http: {actions: {pay: {url: '${base}/p'}}}}", "consumer.http.actions.pay.url: unknown variable ${base}"},
		"clock var":       {"version: 1\nname: x\nclock: {now: {url: '${redirect_url}', now: /n}, advance: {url: u}}", "clock.now.url: unknown variable ${redirect_url}"},
		"landing":         {"version: 1\nname: x\nconsumer: {http: {actions: {pay: {url: u, landing: next}}}}", "consumer.http.actions.pay.landing: must be"},
		"method":          {"version: 1\nname: x\nconsumer: {http: {actions: {pay: {method: FETCH, url: u}}}}", `consumer.http.actions.pay.method: "FETCH"`},
		"two-in-one step": {"version: 1\nname: x\nconsumer: {browser: {actions: {pay: [{click: a, wait_for: b}]}}}", "consumer.browser.actions.pay[0]: a step is exactly one of"},
		"clock half":      {"version: 1\nname: x\nclock: {now: {url: u, now: /n}}", "clock: needs both now and advance"},
		"nothing":         {"version: 1\nname: x", "a profile needs at least one of them"},
		"not yaml":        {"version: [", "profile p.yaml:"},
	} {
		_, err := Parse("p.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "p.yaml") {
			t.Errorf("%s: error %v, want one naming p.yaml and %q", name, err, c.want)
		}
	}
}

// TestDefaults: a call without method is a GET; an action without landing
// follows the Location header.
func TestDefaults(t *testing.T) {
	p, err := Parse("p.yaml", []byte("version: 1\nname: x\nconsumer: {http: {actions: {pay: {url: u}}}}"))
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Consumer.HTTP.Actions["pay"]; c.Method != "GET" || c.Landing != "location" {
		t.Errorf("defaults not applied: %+v", c)
	}
}

// TestExpand: ${name} is filled, $$ is a literal $, and Variables lists
// only real references.
func TestExpand(t *testing.T) {
	s := `{"by": "${by}", "cost": "$$5", "id": "${session_id}"}`
	if got := Expand(s, map[string]string{"by": "1h0m0s", "session_id": "abc"}); got != `{"by": "1h0m0s", "cost": "$5", "id": "abc"}` {
		t.Errorf("Expand = %s", got)
	}
	if got := strings.Join(Variables(s), ","); got != "by,session_id" {
		t.Errorf("Variables = %s", got)
	}
}
