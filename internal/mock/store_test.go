package mock

import (
	"testing"
	"time"
)

func TestExpiredStateIsEvictedOnWrites(t *testing.T) {
	h := newHarness(t, Options{ClockControl: true})
	for range 20 {
		kpID := h.createKP(kpBody)
		h.authorize(kpID)
	}
	if kp, hpp, tok := h.srv.store.counts(); kp != 20 || hpp != 20 || tok != 20 {
		t.Fatalf("held %d %d %d", kp, hpp, tok)
	}
	// Tokens go after 60 min + the grace hour, at the next write.
	h.advance("2h1m")
	h.createKP(kpBody)
	if kp, hpp, tok := h.srv.store.counts(); kp != 21 || hpp != 20 || tok != 0 {
		t.Errorf("after 2h: %d %d %d", kp, hpp, tok)
	}
	// KP sessions after 48 h + the grace hour; their HPP sessions with them.
	h.advance("49h")
	h.createKP(kpBody)
	if kp, hpp, tok := h.srv.store.counts(); kp != 1 || hpp != 0 || tok != 0 {
		t.Errorf("after 51h: %d %d %d", kp, hpp, tok)
	}
}

func TestSweepRunsAtMostOncePerInterval(t *testing.T) {
	st := newStore()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	st.kp["old"] = &kpSession{id: "old", expiresAt: now.Add(-2 * time.Hour)}
	st.sweepLocked(now, 0)
	if len(st.kp) != 0 {
		t.Fatal("not evicted")
	}
	st.kp["old"] = &kpSession{id: "old", expiresAt: now.Add(-2 * time.Hour)}
	st.sweepLocked(now.Add(30*time.Second), 0)
	if len(st.kp) != 1 {
		t.Error("swept again within the interval")
	}
	st.sweepLocked(now.Add(sweepInterval), 0)
	if len(st.kp) != 0 {
		t.Error("not swept after the interval")
	}
	// Within the grace period an expired session stays (it answers 404 anyway).
	st.kp["recent"] = &kpSession{id: "recent", expiresAt: now.Add(sweepInterval - time.Minute)}
	st.sweepLocked(now.Add(3*sweepInterval), 0)
	if len(st.kp) != 1 {
		t.Error("evicted within the grace period")
	}
}

func TestAdjustableClockNeverGoesBack(t *testing.T) {
	base := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &adjustableClock{source: func() time.Time { return base }}
	if _, err := c.Advance(-time.Second); err == nil {
		t.Error("moved back")
	}
	now, err := c.Advance(time.Hour)
	if err != nil || !now.Equal(base.Add(time.Hour)) || !c.Now().Equal(now) {
		t.Errorf("advance: %v %v", now, err)
	}
	if _, ok := newClock(Options{}).(systemClock); !ok {
		t.Error("without clock control the clock is not adjustable")
	}
}
