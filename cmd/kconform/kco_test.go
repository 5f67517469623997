package main

import (
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/mock"
)

// With --payment-provider kco every HPP session hosts a KCO order (issue 16).

var kcoArgs = []string{"--payment-provider", "kco"}

const kcoCompleteSpec = "MUST complete the HPP session with the KCO order's id and leave the order checkout_complete"

// kcoOnlyKP are the faults a kco run cannot see: each breaks a rule of a
// hosted KP session (its authorization token, its status, orders placed
// with the token), and those specs are skipped with kco.
var kcoOnlyKP = map[string]string{
	"token-reusable":            "authorization token",
	"token-never-expires":       "authorization token",
	"order-mismatch-accepted":   "order placed with an authorization token",
	"address-mismatch-accepted": "order placed with an authorization token",
	"kp-status-not-completed":   "KP session status after an order",
	"completed-missing-token":   "authorization token of a COMPLETED session",
}

// kcoFaultProofs are the proofs of the kco run: the KP matrix's, but for
// the rules whose KP spec is skipped with kco and has a KCO twin.
var kcoFaultProofs = map[string]faultProof{
	"hpp-create-wrong-status":        {"hpp && lifecycle", "MUST create an HPP session for a KCO order with 201 and read it back WAITING", "Expected HTTP status 201, the target answered 200", nil},
	"hpp-read-missing-field":         {"hpp && lifecycle", "MUST create an HPP session for a KCO order with 201 and read it back WAITING", `/expires_at [schema.required]`, nil},
	"hpp-status-lowercase":           {"hpp && lifecycle", "MUST create an HPP session for a KCO order with 201 and read it back WAITING", "/status [schema.enum]", nil},
	"hpp-expiry-not-one-hour-before": {"expiry", "MUST set the HPP session's expires_at one hour before the KCO order expires", "MUST be 1h before the KCO order expires", nil},
	"placeholder-wrong-mode":         {"placeholders", "MUST fill {{session_id}} and {{order_id}} in the success URL of a KCO order", "{{authorization_token}} MUST stay as written in the success URL", nil},
	"amounts-unchecked":              {"hpp && errors", "MUST answer 400 BAD_VALUE naming order_tax_amount when it is not the sum of the lines' tax", "a KCO order whose order_tax_amount does not add up", nil},
}

// TestRunBuiltInMockKCO: every spec passes with kco against the mock; the
// only rules not checked are the hosted-KP ones, skipped with their reason.
func TestRunBuiltInMockKCO(t *testing.T) {
	t.Parallel()
	r := runChild(t, 2*time.Minute, nil, kcoArgs...)
	if r.exit != runPassed {
		t.Fatalf("exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
	if !strings.Contains(r.output, " hold, 0 broken, 0 blocked, ") {
		t.Errorf("the summary should say no rule is broken or blocked:\n%s", lastOutput(r.output))
	}
	if !strings.Contains(r.output, "× only with --payment-provider kp: the rule is about a hosted KP session") {
		t.Errorf("the hosted-KP rules should be skipped with their reason:\n%s", lastOutput(r.output))
	}
	if strings.Contains(r.output, "× only with --payment-provider kco") {
		t.Errorf("no KCO rule may be skipped in a kco run:\n%s", lastOutput(r.output))
	}
}

// TestFaultMatrixKCO proves a kco run catches every mock fault that
// concerns it: the run exits 1 and the proof's spec fails naming the rule.
func TestFaultMatrixKCO(t *testing.T) {
	type result struct {
		run childRun
		err error
	}
	var (
		mu      sync.Mutex
		results = map[string]result{}
		wg      sync.WaitGroup
		sem     = make(chan struct{}, 8)
	)
	proofs := map[string]faultProof{}
	for _, f := range mock.FaultNames() {
		if _, kpOnly := kcoOnlyKP[f.Name]; kpOnly {
			continue
		}
		proof, ok := kcoFaultProofs[f.Name]
		if !ok {
			proof, ok = faultProofs[f.Name]
		}
		if !ok {
			t.Errorf("fault %q has no proof for a kco run: add it to kcoFaultProofs or, if it only concerns hosted KP sessions, to kcoOnlyKP", f.Name)
			continue
		}
		proofs[f.Name] = proof
		dir := t.TempDir()
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			args := append([]string{"--mock-faults", f.Name, "--label-filter", proof.labels,
				"--report-json", filepath.Join(dir, "conformance.json")}, kcoArgs...)
			r, err := startChild(t.Context(), dir, 2*time.Minute, nil, args...)
			mu.Lock()
			results[f.Name] = result{r, err}
			mu.Unlock()
		})
	}
	wg.Wait()
	for name, proof := range proofs {
		t.Run(name, func(t *testing.T) {
			judgeFaultRun(t, name, proof, results[name].run, results[name].err)
		})
	}
}

// TestRunSplitBaseURLsKCO: with --hpp-target, KCO orders are created and
// named on the HPP API's domain (Kustom serves both there), not on the KP
// one: the KP front here refuses both /hpp/ and /checkout/.
func TestRunSplitBaseURLsKCO(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-split-kco"
	u, _ := url.Parse(startMerchantMock(t, password))
	proxy := httputil.NewSingleHostReverseProxy(u)
	kp, hpp := front(t, proxy, "/hpp/", "/checkout/"), front(t, proxy, "/payments/")
	creds := map[string]string{"KCONFORM_USERNAME": "merchant", "KCONFORM_PASSWORD": password}
	r := runChild(t, 2*time.Minute, creds, append([]string{"--kp-target", kp.URL, "--hpp-target", hpp.URL, "--label-filter", "hpp && lifecycle"}, kcoArgs...)...)
	if r.exit != runPassed {
		t.Fatalf("exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
}

// TestRunKustomLikeTarget is the README's Kustom command against a mock
// that, like Kustom, serves no KP API: with kco and `hpp && !kp` every
// selected spec passes. Callbacks are left out for time only: a separate
// mock process keeps Klarna's real retry timings (3 s, 4 calls).
func TestRunKustomLikeTarget(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-kustom-like"
	u, _ := url.Parse(startMerchantMock(t, password))
	kustom := front(t, httputil.NewSingleHostReverseProxy(u), "/payments/")
	creds := map[string]string{"KCONFORM_USERNAME": "merchant", "KCONFORM_PASSWORD": password, "KCONFORM_LABEL_FILTER": "hpp && !kp && !callbacks"}
	r := runChild(t, 2*time.Minute, creds, append([]string{"--target", kustom.URL}, kcoArgs...)...)
	if r.exit != runPassed {
		t.Fatalf("exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
	if !strings.Contains(r.output, " hold, 0 broken, 0 blocked, ") {
		t.Errorf("no rule may be broken or blocked:\n%s", lastOutput(r.output))
	}
}
