package target

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kconform/kconform/openapi"

	"github.com/kconform/kconform/internal/testkit"
)

func TestLoadDefaultsInProcess(t *testing.T) {
	cfg, err := Load(nil, testkit.Env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !cfg.InProcess() {
		t.Errorf("no target: want in-process, got %s", cfg.TargetString())
	}
	if cfg.Timeouts != InProcessTimeouts() || cfg.Deadline != DefaultInProcessDeadline {
		t.Errorf("in-process timeouts: got %+v deadline %s", cfg.Timeouts, cfg.Deadline)
	}
	if cfg.CallbackListen != "127.0.0.1:0" {
		t.Errorf("callback listen default: got %q", cfg.CallbackListen)
	}
}

func TestLoadTargetFromEnvAndFlagsWin(t *testing.T) {
	e := testkit.Env(map[string]string{
		EnvTarget: "https://api.playground.klarna.com/", EnvUsername: "env-user", EnvPassword: "env-pass",
		EnvRequestTimeout: "3s", EnvDeadline: "5m", EnvLabelFilter: "hpp",
	})
	cfg, err := Load([]string{"--username", "flag-user", "--request-timeout", "4s", "--focus", "MUST", "--focus", "x", "--junit-report", "j.xml"}, e)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := cfg.Target.String(); got != "https://api.playground.klarna.com" {
		t.Errorf("target: got %q (trailing slash should go)", got)
	}
	if cfg.Username != "flag-user" {
		t.Errorf("flag should win over env: username %q", cfg.Username)
	}
	if cfg.Password.Reveal() != "env-pass" {
		t.Errorf("password from env not used")
	}
	if cfg.Timeouts.Request != 4*time.Second || cfg.Deadline != 5*time.Minute {
		t.Errorf("timeouts: request %s deadline %s", cfg.Timeouts.Request, cfg.Deadline)
	}
	if cfg.Timeouts.CallbackTimeout != 3*time.Second {
		t.Errorf("remote target should keep D-cb callback timeout, got %s", cfg.Timeouts.CallbackTimeout)
	}
	if cfg.LabelFilter != "hpp" || len(cfg.Focus) != 2 || cfg.JUnitReport != "j.xml" {
		t.Errorf("selection: %+v", cfg)
	}
	if len(cfg.Notes) != 0 {
		t.Errorf("no notes expected, got %q", cfg.Notes)
	}
}

func TestLoadGathersEveryProblem(t *testing.T) {
	e := testkit.Env(map[string]string{EnvDeadline: "soon", EnvTarget: "ftp://example.com"})
	_, err := Load([]string{"--request-timeout", "-1s", "--label-filter", "hpp &&", "--focus", "(", "--callback-listen", "nope", "extra"}, e)
	if err == nil {
		t.Fatal("want an error")
	}
	if !IsUsage(err) {
		t.Fatalf("want a usage error, got %T", err)
	}
	var u *UsageError
	errors.As(err, &u)
	msg := err.Error()
	for _, want := range []string{
		`KCONFORM_TARGET="ftp://example.com" must start with http:// or https://`,
		`--request-timeout "-1s" must be positive`,
		`KCONFORM_DEADLINE="soon" is not a duration`,
		`--label-filter "hpp &&" is not a label filter`,
		`--focus "(" is not a regular expression`,
		`--callback-listen "nope" is not host:port`,
		`unexpected argument "extra"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if len(u.Problems) < 7 {
		t.Errorf("want every problem, got %d:\n%s", len(u.Problems), msg)
	}
}

// Every host under klarna.com or kustom.co is production unless it is a
// documented playground, whatever its spelling; nothing else is.
func TestProductionOperator(t *testing.T) {
	for _, tt := range []struct {
		host     string
		operator string // "" = not production
	}{
		{"api.klarna.com", "Klarna"},
		{"api-na.klarna.com", "Klarna"},
		{"api-oc.klarna.com", "Klarna"},
		{"api-xx.klarna.com", "Klarna"}, // a region that does not exist today
		{"api-eu.klarna.com", "Klarna"},
		{"klarna.com", "Klarna"},
		{"pay.klarna.com", "Klarna"},
		{"api-xx.playground.klarna.com", "Klarna"}, // undocumented playground
		{"API.KLARNA.COM", "Klarna"},
		{"api.klarna.com.", "Klarna"},
		{"api.klarna.com..", "Klarna"},
		{"api.klarna.com:443", "Klarna"},
		{"api.klarna.com.:8443", "Klarna"},
		{"user:pw@api.klarna.com", "Klarna"},
		{"api.kustom.co", "Kustom"},
		{"API.Kustom.CO.", "Kustom"},
		{"api.kustom.co:443", "Kustom"},
		{"api-na.kustom.co", "Kustom"},
		{"api-eu.kustom.co", "Kustom"},
		{"api-oc.playground.kustom.co", "Kustom"}, // only in a third-party client
		{"kustom.co", "Kustom"},
		{"x@api.kustom.co", "Kustom"},

		{"api.playground.klarna.com", ""},
		{"API.Playground.Klarna.com.", ""},
		{"api.playground.klarna.com:443", ""},
		{"api-na.playground.klarna.com", ""},
		{"api-oc.playground.klarna.com", ""},
		{"api.playground.kustom.co", ""},
		{"api.playground.kustom.co.:443", ""},
		{"notklarna.com", ""},
		{"klarna.com.example.org", ""},
		{"kustom.com", ""},
		{"kustom.co.uk", ""},
		{"127.0.0.1:8080", ""},
		{"[::1]:8080", ""},
		{"localhost", ""},
	} {
		op, prod, err := ProductionOperator(tt.host)
		if err != nil {
			t.Errorf("%q: %v", tt.host, err)
		}
		if op != tt.operator || prod != (tt.operator != "") || IsProductionHost(tt.host) != prod {
			t.Errorf("%q: operator %q, production %v; want %q", tt.host, op, prod, tt.operator)
		}
	}
}

func TestLoadRefusesProduction(t *testing.T) {
	creds := testkit.Env(map[string]string{EnvUsername: "u", EnvPassword: "p"})
	for _, tt := range []struct{ target, host string }{
		{"https://api.klarna.com", "api.klarna.com"},
		{"https://API-NA.klarna.com.", "api-na.klarna.com"},
		{"https://api-oc.klarna.com:443/", "api-oc.klarna.com"},
		{"https://api-xx.klarna.com", "api-xx.klarna.com"},
		{"https://api.kustom.co", "api.kustom.co"},
		{"https://API.KUSTOM.CO.:443/hpp", "api.kustom.co"},
		{"https://api-eu.kustom.co", "api-eu.kustom.co"},
	} {
		_, err := Load([]string{"--target", tt.target}, creds)
		if err == nil || !strings.Contains(err.Error(), tt.host+" is a") || !strings.Contains(err.Error(), "production host") || !strings.Contains(err.Error(), "--allow-production") {
			t.Errorf("%s: want a refusal naming %s and --allow-production, got %v", tt.target, tt.host, err)
		}
		cfg, err := Load([]string{"--target", tt.target, "--allow-production"}, creds)
		if err != nil || cfg.Target == nil {
			t.Errorf("%s with --allow-production: %v", tt.target, err)
		}
	}
	// Userinfo is refused for itself, and the host is still named.
	_, err := Load([]string{"--target", "https://user:hunter2@api.kustom.co"}, creds)
	if err == nil || !strings.Contains(err.Error(), "api.kustom.co is a Kustom production host") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("userinfo + production: %v", err)
	}
	for _, pg := range PlaygroundHosts {
		if _, err := Load([]string{"--target", "https://" + strings.ToUpper(pg) + "."}, creds); err != nil {
			t.Errorf("playground %s must be allowed: %v", pg, err)
		}
	}
}

func TestLoadCredentials(t *testing.T) {
	_, err := Load([]string{"--target", "https://api.playground.klarna.com"}, testkit.Env(nil))
	if err == nil || !strings.Contains(err.Error(), "--username / KCONFORM_USERNAME is required") || !strings.Contains(err.Error(), "KCONFORM_PASSWORD is required") {
		t.Errorf("remote target without credentials: want both named, got %v", err)
	}
	cfg, err := Load([]string{"--target", "http://127.0.0.1:8080"}, testkit.Env(nil))
	if err != nil {
		t.Fatalf("loopback without credentials: %v", err)
	}
	// The mock's own defaults, not this package's copy of them: the two
	// must agree or a loopback run is refused by the mock it started.
	if cfg.Username != MockDefaultUsername || cfg.Password.Reveal() != MockDefaultPassword || len(cfg.Notes) == 0 {
		t.Errorf("loopback target should default to the mock credentials with a note: %q %q", cfg.Username, cfg.Notes)
	}
	_, err = Load([]string{"--target", "https://user:hunter2@api.playground.klarna.com"}, testkit.Env(nil))
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "must not carry credentials") {
		t.Errorf("userinfo in target: want refusal without the password, got %v", err)
	}
	cfg, err = Load([]string{"--target", "https://api.playground.klarna.com", "--username", "u", "--password", "hunter2"}, testkit.Env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Notes) == 0 || !strings.Contains(cfg.Notes[0], EnvPassword) {
		t.Errorf("password on the command line should be noted: %q", cfg.Notes)
	}
}

func TestConfigNeverPrintsThePassword(t *testing.T) {
	cfg, err := Load([]string{"--target", "https://api.playground.klarna.com"}, testkit.Env(map[string]string{EnvUsername: "u", EnvPassword: "hunter2"}))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(cfg)
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%s %q %x", cfg.Password, cfg.Password, cfg.Password), string(js)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("password leaked: %s", s)
		}
	}
	if !strings.Contains(cfg.String(), "password=[REDACTED]") {
		t.Errorf("String should say the password is set: %s", cfg.String())
	}
}

func TestLoadCallbackAndFaults(t *testing.T) {
	_, err := Load([]string{"--callback-url", "https://hooks.example.com"}, testkit.Env(nil))
	if err == nil || !strings.Contains(err.Error(), "needs --callback-listen") {
		t.Errorf("callback-url without listen: %v", err)
	}
	_, err = Load([]string{"--callback-url", "https://hooks.example.com", "--callback-listen", "127.0.0.1:0"}, testkit.Env(nil))
	if err == nil || !strings.Contains(err.Error(), "fixed port") {
		t.Errorf("callback-url with port 0: %v", err)
	}
	cfg, err := Load([]string{"--callback-url", "https://hooks.example.com/k", "--callback-listen", "127.0.0.1:9911"}, testkit.Env(nil))
	if err != nil || cfg.CallbackURL == nil || cfg.CallbackListen != "127.0.0.1:9911" {
		t.Errorf("callback config: %v %+v", err, cfg)
	}
	cfg, err = Load([]string{"--callback-timeout", "150ms", "--callback-retry-delay", "20ms"}, testkit.Env(nil))
	if err != nil || cfg.Timeouts.CallbackTimeout != 150*time.Millisecond || cfg.Timeouts.CallbackRetryDelay != 20*time.Millisecond {
		t.Errorf("callback timings: %v %+v", err, cfg.Timeouts)
	}
	_, err = Load([]string{"--callback-timeout", "soon"}, testkit.Env(nil))
	if err == nil || !strings.Contains(err.Error(), `--callback-timeout "soon" is not a duration`) {
		t.Errorf("bad callback timeout: %v", err)
	}
	cfg, err = Load([]string{"--mock-faults", "a, b"}, testkit.Env(nil))
	if err != nil || strings.Join(cfg.MockFaults, "|") != "a|b" {
		t.Errorf("mock faults: %v %q", err, cfg.MockFaults)
	}
	// An empty name (a trailing comma, ",,") is a typo, not "no fault".
	if _, err = Load([]string{"--mock-faults", "a, b,"}, testkit.Env(nil)); err == nil || !IsUsage(err) || !strings.Contains(err.Error(), "empty fault name") {
		t.Errorf("mock faults with an empty name: %v", err)
	}
	_, err = Load([]string{"--mock-faults", "a", "--target", "http://127.0.0.1:1"}, testkit.Env(nil))
	if err == nil || !strings.Contains(err.Error(), "--mock-faults") {
		t.Errorf("mock faults with a target: %v", err)
	}
}

func TestLoadHelpAndUnknownFlag(t *testing.T) {
	if _, err := Load([]string{"-h"}, testkit.Env(nil)); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: want flag.ErrHelp, got %v", err)
	}
	_, err := Load([]string{"--tagret", "x"}, testkit.Env(nil))
	if !IsUsage(err) || !strings.Contains(err.Error(), "tagret") {
		t.Errorf("unknown flag: %v", err)
	}
	if u := Usage(); !strings.Contains(u, "-allow-production") || !strings.Contains(u, EnvPassword) {
		t.Errorf("usage text incomplete:\n%s", u)
	}
}

func TestHosts(t *testing.T) {
	for host, want := range map[string]bool{"localhost:1": true, "127.0.0.1": true, "[::1]:80": true, "api.playground.klarna.com": false, "10.0.0.1": false} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v", host, got)
		}
	}
}

func TestCapabilities(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/mock"+CapabilitiesPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"implementation":"kconform-mock","consumer":true,"clock":false,"faults":true,"active_faults":["x"]}`))
	})
	mux.HandleFunc("/html"+CapabilitiesPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html>{"implementation":"x","consumer":true}</html>`))
	})
	mux.HandleFunc("/other"+CapabilitiesPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"consumer":true}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := ProbeCapabilities(t.Context(), srv.Client(), srv.URL+"/mock/")
	if !c.Consumer || c.Clock || !c.Faults || c.Implementation != "kconform-mock" || len(c.ActiveFaults) != 1 {
		t.Errorf("mock capabilities: %+v", c)
	}
	for _, p := range []string{"/html", "/other", "/missing"} {
		c := ProbeCapabilities(t.Context(), srv.Client(), srv.URL+p)
		if c.Consumer || c.Clock || c.Faults || c.Reason == "" {
			t.Errorf("%s: want none with a reason, got %+v", p, c)
		}
	}
	c = ProbeCapabilities(t.Context(), srv.Client(), "http://127.0.0.1:1")
	if c.Consumer || !strings.Contains(c.Summary(), "none") {
		t.Errorf("unreachable: %+v", c)
	}
}

// The contract's servers and the guard say the same: every playground server
// is allowed, every other server is refused, and every playground the guard
// allows is a server of the contract.
func TestContractServersAgreeWithTheGuard(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	servers := map[string]bool{}
	for _, s := range doc.Servers {
		u, err := url.Parse(s.URL)
		if err != nil {
			t.Fatalf("server %q: %v", s.URL, err)
		}
		servers[u.Host] = true
		playground := strings.Contains(u.Host, ".playground.")
		if IsProductionHost(u.Host) == playground {
			t.Errorf("server %s (%s): production %v", s.URL, s.Description, IsProductionHost(u.Host))
		}
		if s.Extensions["x-kconform-source"] == nil && strings.HasSuffix(u.Host, "kustom.co") {
			t.Errorf("server %s has no x-kconform-source", s.URL)
		}
	}
	for _, pg := range PlaygroundHosts {
		if !servers[pg] {
			t.Errorf("playground %s is not a server of the contract", pg)
		}
	}
}
