package target

import (
	"slices"
	"strings"
)

// EnvPaymentProvider is the variable of --payment-provider.
const EnvPaymentProvider = "KCONFORM_PAYMENT_PROVIDER"

// The payment providers an HPP session can host (S1: payment_session_url is
// "URL of the KP Session or KCO Order").
const (
	// ProviderKP hosts Klarna Payments sessions (/payments/v1/sessions).
	ProviderKP = "kp"
	// ProviderKCO hosts Klarna Checkout orders (/checkout/v3/orders), the
	// only kind Kustom's HPP hosts (docs.kustom.co create-session).
	ProviderKCO = "kco"
)

// Providers lists the accepted --payment-provider values.
var Providers = []string{ProviderKP, ProviderKCO}

// IsKustomHost reports whether host is under kustom.co, playground or
// production.
func IsKustomHost(host string) bool {
	h := normalHost(host)
	return h == "kustom.co" || strings.HasSuffix(h, ".kustom.co")
}

// DefaultProvider is the provider a run hosts when none is given: KCO on a
// Kustom host (it hosts nothing else), KP anywhere else, the built-in mock
// included.
func (c RunConfig) DefaultProvider() string {
	if c.hppHostIsKustom() {
		return ProviderKCO
	}
	return ProviderKP
}

func (c RunConfig) hppHostIsKustom() bool {
	t := c.Target
	if c.HPPTarget != nil {
		t = c.HPPTarget
	}
	return t != nil && IsKustomHost(t.Host)
}

// loadProvider sets cfg.PaymentProvider from the flag or variable, or the
// default for the target.
func loadProvider(u *UsageError, cfg *RunConfig, value string, fromFlag bool) {
	v := strings.ToLower(strings.TrimSpace(value))
	switch {
	case v == "":
		cfg.PaymentProvider = cfg.DefaultProvider()
	case slices.Contains(Providers, v):
		cfg.PaymentProvider = v
	default:
		u.add("%s is not a payment provider: use %s", source{"payment-provider", EnvPaymentProvider}.describe(fromFlag, value), strings.Join(Providers, " or "))
	}
}
