package mock

import (
	"sync"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// Lifetimes (reference §3.2).
const (
	// kpLifetime: "48 hours lifetime" (D-hppapi, D-kpinit). An older page says
	// 48 h "after the last update"; the current pages count from creation, and
	// so does the mock: an update does not extend a session.
	kpLifetime = 48 * time.Hour
	// hppBeforeKP: an HPP session expires one hour before its KP session (D-create).
	hppBeforeKP = time.Hour
	// tokenLifetime: an authorization token is valid for 60 minutes (D-hppapi).
	tokenLifetime = 60 * time.Minute
)

// Eviction: expired entries are dropped once the clock passes their expiry
// plus evictionGrace, by a sweep that runs on writes at most once per
// sweepInterval of clock time. Until then an expired entry answers 404 all
// the same; the grace only keeps it for the faults that read expired state.
const (
	evictionGrace = time.Hour
	sweepInterval = time.Minute
)

// kpSession is a KP payment session.
type kpSession struct {
	id          string
	clientToken string
	expiresAt   time.Time
	// data is what the merchant sent (create, then each update merged in);
	// the read-only fields of the schema are never stored.
	data     api.Session
	complete bool
}

func (k *kpSession) expired(now time.Time) bool { return !now.Before(k.expiresAt) }

// intent is the session's intent, buy when none was given: S2 names no
// default, and buy is what a session without tokenization is for.
func (k *kpSession) intent() api.Intent {
	if k.data.Intent != nil {
		return *k.data.Intent
	}
	return api.Buy
}

// hppSession is an HPP session hosting a KP session or a KCO order.
type hppSession struct {
	id        string
	kpID      string
	kcoID     string // set instead of kpID when it hosts a KCO order
	urls      api.MerchantUrlsV1
	mode      api.OptionsV1PlaceOrderMode
	status    api.HppStatus
	updatedAt time.Time
	expiresAt time.Time
	// Set when it completes: the token (mode NONE) or the order (place-order modes).
	authorizationToken string
	orderID            string
	klarnaReference    string
}

func (h *hppSession) expired(now time.Time) bool { return !now.Before(h.expiresAt) }

// placesOrder: a place-order mode, or a KCO order, which always completes
// with order_id and klarna_reference (K-hpp-create has no
// {{authorization_token}}; S1 ignores payment method options for KCO).
func (h *hppSession) placesOrder() bool {
	return h.kcoID != "" || h.mode == api.PLACEORDER || h.mode == api.CAPTUREORDER
}

// orderSnapshot is the part of a KP session an order must match, taken when
// the authorization is given.
type orderSnapshot struct {
	amount    int64
	taxAmount *int64
	currency  string
	country   string
	locale    *string
	lines     []api.OrderLine
	billing   *api.Address
	shipping  *api.Address
	customer  *api.Customer
}

// authToken is a KP authorization: 60 minutes, one order.
type authToken struct {
	token     string
	kpID      string
	expiresAt time.Time
	order     orderSnapshot
	consumed  bool // an order was created from it
	cancelled bool // DELETE /payments/v1/authorizations/{token}
}

func (t *authToken) expired(now time.Time) bool { return !now.Before(t.expiresAt) }

// store holds every session and token. One RWMutex guards it all: each
// operation is a few map lookups and field writes, so a single lock costs
// less than per-session locks would and makes every read-modify-write
// (status changes, token use) atomic. Encoding and validation happen outside it.
type store struct {
	mu        sync.RWMutex
	kp        map[string]*kpSession
	hpp       map[string]*hppSession
	tokens    map[string]*authToken
	kco       map[string]*kcoOrder
	nextSweep time.Time
}

func newStore() *store {
	return &store{
		kp:     map[string]*kpSession{},
		hpp:    map[string]*hppSession{},
		tokens: map[string]*authToken{},
		kco:    map[string]*kcoOrder{},
	}
}

// reset forgets everything (POST /_kconform/reset).
func (st *store) reset() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.kp = map[string]*kpSession{}
	st.hpp = map[string]*hppSession{}
	st.tokens = map[string]*authToken{}
	st.kco = map[string]*kcoOrder{}
	st.nextSweep = time.Time{}
}

// sweepLocked evicts what expired more than evictionGrace ago, at most once
// per sweepInterval. The caller holds the write lock. While a fault reads
// expired state (expired-session-readable, token-never-expires) that state is
// kept.
func (st *store) sweepLocked(now time.Time, faults faultSet) {
	if now.Before(st.nextSweep) {
		return
	}
	st.nextSweep = now.Add(sweepInterval)
	cutoff := now.Add(-evictionGrace)
	for id, k := range st.kp {
		if k.expired(cutoff) {
			delete(st.kp, id)
		}
	}
	for id, o := range st.kco {
		if o.expired(cutoff) {
			delete(st.kco, id)
		}
	}
	if !faults.has(FaultExpiredSessionReadable) {
		for id, h := range st.hpp {
			if h.expired(cutoff) {
				delete(st.hpp, id)
			}
		}
	}
	if !faults.has(FaultTokenNeverExpires) {
		for id, t := range st.tokens {
			if t.expired(cutoff) {
				delete(st.tokens, id)
			}
		}
	}
}

// counts reports how many sessions and tokens are held (tests, capacity).
func (st *store) counts() (kp, hpp, tokens int) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.kp), len(st.hpp), len(st.tokens)
}
