package mock

import (
	"net"
	"strings"
	"testing"
	"time"
)

type capabilitiesBody struct {
	Implementation string   `json:"implementation"`
	Consumer       bool     `json:"consumer"`
	Clock          bool     `json:"clock"`
	Faults         bool     `json:"faults"`
	ActiveFaults   []string `json:"active_faults"`
}

func TestControlPlaneOffByDefault(t *testing.T) {
	h := newHarness(t, Options{Faults: []string{"callback-missing"}})
	var c capabilitiesBody
	h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200).json(t, &c)
	if c.Implementation != "kconform-mock" || !c.Consumer || c.Clock || c.Faults || len(c.ActiveFaults) != 1 || c.ActiveFaults[0] != "callback-missing" {
		t.Errorf("capabilities: %+v", c)
	}
	h.expect(h.send("GET", "/_kconform/clock", "", nil), 404)
	h.expect(h.send("POST", "/_kconform/clock/advance", `{"by":"1h"}`, nil), 404)
	h.expect(h.send("PUT", "/_kconform/faults", `{"active":[]}`, nil), 404)
	h.expect(h.send("POST", "/_kconform/reset", "", nil), 404)
	h.expect(h.send("GET", "/_kconform/nothing", "", nil), 404)
	// Reading the faults is always possible.
	var f struct {
		Active    []string
		Available []Fault
	}
	h.expect(h.send("GET", "/_kconform/faults", "", nil), 200).json(t, &f)
	if len(f.Available) != int(faultCount) || len(f.Active) != 1 {
		t.Errorf("faults: %+v", f)
	}
}

func TestControlClock(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	h := newHarness(t, Options{ClockControl: true, Now: func() time.Time { return start }})
	var c struct{ Now time.Time }
	h.expect(h.send("GET", "/_kconform/clock", "", nil), 200).json(t, &c)
	if !c.Now.Equal(start) {
		t.Errorf("now %v", c.Now)
	}
	h.expect(h.send("POST", "/_kconform/clock/advance", `{"by":"61m"}`, nil), 200).json(t, &c)
	if !c.Now.Equal(start.Add(61 * time.Minute)) {
		t.Errorf("after advance: %v", c.Now)
	}
	for _, bad := range []string{`{"by":"-1m"}`, `{"by":"soon"}`, `{}`, `not json`, ``} {
		r := h.expect(h.send("POST", "/_kconform/clock/advance", bad, nil), 400)
		if !strings.Contains(string(r.body), `"error"`) {
			t.Errorf("%q: %s", bad, r.body)
		}
	}
	var caps capabilitiesBody
	h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200).json(t, &caps)
	if !caps.Clock || caps.Faults {
		t.Errorf("capabilities: %+v", caps)
	}
}

func TestControlFaultsAndReset(t *testing.T) {
	h := newHarness(t, Options{FaultControl: true})
	r := h.expect(h.send("PUT", "/_kconform/faults", `{"active":["token-reusable","no-such-fault"]}`, nil), 400)
	if !strings.Contains(string(r.body), "no-such-fault") {
		t.Errorf("unknown fault not named: %s", r.body)
	}
	h.setFaults("token-reusable", "callback-missing")
	var c capabilitiesBody
	h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200).json(t, &c)
	if !c.Faults || strings.Join(c.ActiveFaults, ",") != "token-reusable,callback-missing" {
		t.Errorf("capabilities: %+v", c)
	}
	h.expect(h.send("PUT", "/_kconform/faults", `{"active":null}`, nil), 204)
	h.allowOffContract(false)
	h.expect(h.send("GET", "/_kconform/capabilities", "", nil), 200).json(t, &c)
	if len(c.ActiveFaults) != 0 {
		t.Errorf("after clearing: %+v", c)
	}

	kpID := h.createKP(kpBody)
	hpp := h.createHPP(kpID, nil)
	h.expect(h.send("POST", "/_kconform/reset", "", nil), 204)
	h.expect(h.do("GET", "/payments/v1/sessions/"+kpID, ""), 404)
	h.expect(h.do("GET", "/hpp/v1/sessions/"+hpp.SessionId, ""), 404)
	if kp, hp, tok := h.srv.store.counts(); kp+hp+tok != 0 {
		t.Errorf("after reset: %d %d %d", kp, hp, tok)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	_, err := New(Options{Faults: []string{"token-reusable", "made-up"}})
	if err == nil || !strings.Contains(err.Error(), `"made-up"`) {
		t.Errorf("unknown fault: %v", err)
	}
	if _, err := New(Options{CallbackTimeout: -time.Second}); err == nil {
		t.Error("negative timeout accepted")
	}
	names := map[string]bool{}
	for _, f := range FaultNames() {
		if f.Name == "" || f.Rule == "" || f.Description == "" || names[f.Name] {
			t.Errorf("fault %+v", f)
		}
		names[f.Name] = true
	}
}

func TestStartAndClose(t *testing.T) {
	srv, base := startMock(t, Options{})
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base URL %q", base)
	}
	// An unspecified address (":0") is reached on loopback.
	if u := listenerURL(&net.TCPAddr{IP: net.IPv6unspecified, Port: 80}); u != "http://127.0.0.1:80" {
		t.Errorf("listenerURL: %q", u)
	}
	if _, err := srv.Start("127.0.0.1:0"); err == nil {
		t.Error("second Start accepted")
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := srv.Start("127.0.0.1:0"); err == nil {
		t.Error("Start after Close accepted")
	}
}
