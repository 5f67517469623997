package mock

import (
	"sync"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// TestOneOrderPerTokenUnderContention: 32 clients race to use one token.
func TestOneOrderPerTokenUnderContention(t *testing.T) {
	h := newHarness(t, Options{})
	token := h.authorize(h.createKP(kpBody))
	statuses := race(32, func() int {
		return h.do("POST", "/payments/v1/authorizations/"+token+"/order", orderBody).status
	})
	if statuses[200] != 1 || statuses[403] != 31 {
		t.Errorf("statuses %v, want one 200 and 31 403", statuses)
	}
}

// TestOneOrderPerSessionUnderContention: 32 consumers authorize the same KP
// session on their own HPP sessions, then all their tokens race.
func TestOneOrderPerSessionUnderContention(t *testing.T) {
	h := newHarness(t, Options{})
	kpID := h.createKP(kpBody)
	tokens := make(chan string, 32)
	race(32, func() int {
		tokens <- h.authorize(kpID)
		return 0
	})
	close(tokens)
	seen := map[string]bool{}
	var list []string
	for tok := range tokens {
		if seen[tok] {
			t.Fatalf("token %s issued twice", tok)
		}
		seen[tok] = true
		list = append(list, tok)
	}
	var mu sync.Mutex
	next := 0
	statuses := race(32, func() int {
		mu.Lock()
		tok := list[next]
		next++
		mu.Unlock()
		return h.do("POST", "/payments/v1/authorizations/"+tok+"/order", orderBody).status
	})
	if statuses[200] != 1 || statuses[404] != 31 {
		t.Errorf("statuses %v, want one 200 and 31 404 SESSION_COMPLETED", statuses)
	}
}

// TestConcurrentPageOpensChangeStatusOnce: one IN_PROGRESS, one callback.
func TestConcurrentPageOpensChangeStatusOnce(t *testing.T) {
	h := newHarness(t, Options{})
	rc := newReceiver(t, nil)
	id := h.hostReporting(rc).SessionId
	race(32, func() int { return h.openPage(id).status })
	statuses := race(32, func() int { return h.action(id, "pay").status })
	if statuses[303] != 1 || statuses[409] != 31 {
		t.Errorf("pay statuses %v", statuses)
	}
	calls := rc.wait(2)
	rc.staysAt(2, 100*time.Millisecond)
	if h.statusEvent(calls[0]).Session.Status != api.INPROGRESS || h.statusEvent(calls[1]).Session.Status != api.COMPLETED {
		t.Error("callbacks out of order")
	}
}

// TestConcurrentMixedTraffic runs every operation at once for the race
// detector, across many sessions.
func TestConcurrentMixedTraffic(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	race(16, func() int {
		for range 5 {
			kpID := h.createKP(kpBody)
			hpp := h.createHPP(kpID, nil)
			h.readHPP(hpp.SessionId)
			h.do("POST", "/payments/v1/sessions/"+kpID, `{"merchant_reference2":"r"}`)
			h.do("POST", "/hpp/v1/sessions/"+hpp.SessionId+"/distribution", `{"method":"email","contact_information":{"email":"a@example.com"}}`)
			tok := *h.pay(hpp.SessionId).AuthorizationToken
			h.do("POST", "/payments/v1/authorizations/"+tok+"/order", orderBody)
			h.do("DELETE", "/hpp/v1/sessions/"+hpp.SessionId, "")
			h.send("GET", "/_kconform/capabilities", "", nil)
		}
		return 0
	})
}

// race runs f on n goroutines released together and counts the results.
func race(n int, f func() int) map[int]int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	counts := map[int]int{}
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			v := f()
			mu.Lock()
			counts[v]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return counts
}
