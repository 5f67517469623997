package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega/gbytes"
)

func noEnv(string) string { return "" }

func TestMockBadUsageExits2(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown flag":   {"--bogus"},
		"unknown fault":  {"--fault", "token-reusable", "--fault", "made-up"},
		"argument":       {"extra"},
		"empty password": {"--password="},
		"bad duration":   {"--callback-timeout", "soon"},
		"bad rate":       {"--rate-limit", "fast"},
		"zero rate":      {"--rate-limit", "0/s"},
	} {
		out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
		code := runMock(context.Background(), args, noEnv, out, errOut)
		if code != 2 || string(errOut.Contents()) == "" {
			t.Errorf("%s: exit %d, stderr %q", name, code, string(errOut.Contents()))
		}
		if name == "unknown fault" && !strings.Contains(string(errOut.Contents()), `"made-up"`) {
			t.Errorf("the unknown fault is not named: %q", string(errOut.Contents()))
		}
	}
}

func TestMockHelpAndFaultList(t *testing.T) {
	out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
	if code := runMock(context.Background(), []string{"-h"}, noEnv, out, errOut); code != 0 || !strings.Contains(string(out.Contents()), "-control-clock") {
		t.Errorf("help: %d %q", code, string(out.Contents()))
	}
	out = gbytes.NewBuffer()
	if code := runMock(context.Background(), []string{"--list-faults"}, noEnv, out, errOut); code != 0 || !strings.Contains(string(out.Contents()), "callback-event-id-changes") {
		t.Errorf("list: %d %q", code, string(out.Contents()))
	}
}

func TestMockServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
	env := map[string]string{envMockUsername: "shop", envMockPassword: "env-secret"}
	done := make(chan int, 1)
	go func() {
		done <- runMock(ctx, []string{"--addr", "127.0.0.1:0", "--control-faults", "--fault", "callback-missing"},
			func(k string) string { return env[k] }, out, errOut)
	}()
	var base string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if s := strings.TrimSpace(string(out.Contents())); s != "" {
			base = s
			break
		}
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		cancel()
		t.Fatalf("base URL %q (stderr %s)", base, string(errOut.Contents()))
	}

	req, _ := http.NewRequest("GET", base+"/payments/v1/sessions/x", nil)
	req.SetBasicAuth("shop", "env-secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("with the env credentials: %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "/_kconform/capabilities")
	if err != nil {
		t.Fatal(err)
	}
	var caps struct {
		Faults       bool     `json:"faults"`
		ActiveFaults []string `json:"active_faults"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&caps)
	resp.Body.Close()
	if !caps.Faults || len(caps.ActiveFaults) != 1 {
		t.Errorf("capabilities %+v", caps)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after shutdown: %s", code, string(errOut.Contents()))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no shutdown")
	}
	if strings.Contains(string(errOut.Contents()), "env-secret") {
		t.Error("the password was logged")
	}
}

func TestMockCannotListenExits1(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out, errOut := gbytes.NewBuffer(), gbytes.NewBuffer()
	if code := runMock(context.Background(), []string{"--addr", ln.Addr().String()}, noEnv, out, errOut); code != 1 {
		t.Errorf("exit %d, stderr %q", code, string(errOut.Contents()))
	}
}

func TestRateFlag(t *testing.T) {
	var r rateFlag
	for in, want := range map[string]float64{"50/s": 50, "2.5": 2.5, " 10/s ": 10} {
		if err := r.Set(in); err != nil || float64(r) != want {
			t.Errorf("%q: %v %v", in, float64(r), err)
		}
	}
	for _, bad := range []string{"", "-1/s", "NaN", "Inf/s", "5/m"} {
		if err := r.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
