package mock

import (
	"net/url"
	"strings"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// KCO orders (Klarna Checkout v3, now Kustom Checkout): the two operations
// an HPP session hosting one needs. Kustom's HPP hosts KCO orders only
// (K-hpp-create); Klarna's hosts either (S1).

// kcoLifetime: "Kustom Checkout orders are only valid for 48 hours after
// merchant update or client interaction" (K-kco-err). The mock has no
// update operation, and the hosting HPP session's expires_at is fixed when
// it is created, so the clock runs from creation.
const kcoLifetime = 48 * time.Hour

// kcoOrder is a KCO order.
type kcoOrder struct {
	id          string
	data        api.CheckoutOrderCreate
	complete    bool
	startedAt   time.Time
	completedAt time.Time
	modifiedAt  time.Time
	expiresAt   time.Time
}

func (o *kcoOrder) expired(now time.Time) bool { return !now.Before(o.expiresAt) }

// kcoPathPrefix names a KCO order in a payment_session_url (S1's example,
// K-hpp-create); like kpPathPrefix only the path counts.
const kcoPathPrefix = "/checkout/v3/orders/"

// paymentRef is what a payment_session_url names: a KP session or a KCO order.
type paymentRef struct {
	id  string
	kco bool
}

// paymentRefFromURL recognises the provider by the path alone (the
// contract's x-kconform-note on payment_session_url).
func paymentRefFromURL(raw string) (paymentRef, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return paymentRef{}, false
	}
	for _, p := range []struct {
		prefix string
		kco    bool
	}{{kpPathPrefix, false}, {kcoPathPrefix, true}} {
		i := strings.Index(u.Path, p.prefix)
		if i < 0 {
			continue
		}
		id := strings.TrimSuffix(u.Path[i+len(p.prefix):], "/")
		if id == "" || strings.Contains(id, "/") {
			return paymentRef{}, false
		}
		return paymentRef{id: id, kco: p.kco}, true
	}
	return paymentRef{}, false
}

func (s *Server) createKCO(body *api.CheckoutOrderCreate) (api.CheckoutOrder, *apiError) {
	now, faults := s.clock.Now(), s.faults.load()
	if e := checkAmounts(orderAmounts(&body.OrderAmount, &body.OrderTaxAmount, &body.OrderLines), faults); e != nil {
		return api.CheckoutOrder{}, e
	}
	stamp := wireTime(now)
	o := &kcoOrder{id: newUUID(), data: *body, startedAt: stamp, modifiedAt: stamp, expiresAt: wireTime(now.Add(kcoLifetime))}

	s.store.mu.Lock()
	s.store.sweepLocked(now, faults)
	s.store.kco[o.id] = o
	view := kcoView(o)
	s.store.mu.Unlock()
	return view, nil
}

func (s *Server) readKCO(id string) (api.CheckoutOrder, *apiError) {
	now := s.clock.Now()
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	o := s.store.kco[id]
	if o == nil || o.expired(now) {
		return api.CheckoutOrder{}, errKCONotFound
	}
	return kcoView(o), nil
}

// kcoView is the order as create and read show it (read lock held). The
// request's slices are never modified, so sharing them is safe.
func kcoView(o *kcoOrder) api.CheckoutOrder {
	d := o.data
	status := api.CheckoutIncomplete
	if o.complete {
		status = api.CheckoutComplete
	}
	started, modified := o.startedAt, o.modifiedAt
	v := api.CheckoutOrder{
		OrderId:            o.id,
		Status:             status,
		PurchaseCountry:    &d.PurchaseCountry,
		PurchaseCurrency:   &d.PurchaseCurrency,
		Locale:             &d.Locale,
		OrderAmount:        &d.OrderAmount,
		OrderTaxAmount:     &d.OrderTaxAmount,
		OrderLines:         &d.OrderLines,
		MerchantReference1: d.MerchantReference1,
		MerchantUrls:       &d.MerchantUrls,
		StartedAt:          &started,
		LastModifiedAt:     &modified,
	}
	if o.complete {
		completed := o.completedAt
		v.CompletedAt = &completed
	}
	return v
}

// payKCOLocked completes the hosted order (write lock held): the HPP session
// gets the order's id and a klarna_reference, as a place-order mode does
// (seed 001), and the order becomes checkout_complete (K-kco-read). It fails
// when the order is gone or already complete.
func (s *Server) payKCOLocked(h *hppSession, now time.Time, faults faultSet) bool {
	o := s.store.kco[h.kcoID]
	if o == nil || o.expired(now) || o.complete {
		return false
	}
	h.orderID, h.klarnaReference = o.id, newKlarnaReference()
	if !faults.has(FaultKCOOrderNotComplete) {
		o.complete = true
		o.completedAt, o.modifiedAt = wireTime(now), wireTime(now)
	}
	return true
}

// paymentExpiry is when the payment session or order hosted by ref expires,
// false when it is unknown or expired (write lock held).
func (st *store) paymentExpiry(ref paymentRef, now time.Time) (time.Time, bool) {
	if ref.kco {
		o := st.kco[ref.id]
		if o == nil || o.expired(now) {
			return time.Time{}, false
		}
		return o.expiresAt, true
	}
	k := st.kp[ref.id]
	if k == nil || k.expired(now) {
		return time.Time{}, false
	}
	return k.expiresAt, true
}
