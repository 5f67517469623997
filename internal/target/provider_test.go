package target

import (
	"errors"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

func TestPaymentProviderDefaultsByHostAndFlagWins(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"built-in mock", nil, nil, ProviderKP},
		{"Klarna playground", []string{"--target", "https://api.playground.klarna.com"}, nil, ProviderKP},
		{"Kustom playground", []string{"--target", "https://api.playground.kustom.co"}, nil, ProviderKCO},
		{"Kustom HPP on its own base URL", []string{"--kp-target", "http://127.0.0.1:1", "--hpp-target", "https://API.playground.kustom.co."}, nil, ProviderKCO},
		{"a host that only ends like Kustom's", []string{"--target", "http://notkustom.co.localhost:8080"}, nil, ProviderKP},
		{"env on the mock", nil, map[string]string{EnvPaymentProvider: "KCO"}, ProviderKCO},
		{"flag over env", []string{"--payment-provider", "kp"}, map[string]string{EnvPaymentProvider: "kco"}, ProviderKP},
		{"flag over the Kustom default", []string{"--target", "https://api.playground.kustom.co", "--payment-provider", "kp"}, nil, ProviderKP},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vars := map[string]string{EnvUsername: "merchant", EnvPassword: "secret"}
			for k, v := range c.env {
				vars[k] = v
			}
			cfg, err := Load(c.args, testkit.Env(vars))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if cfg.PaymentProvider != c.want {
				t.Errorf("payment provider %q, want %q", cfg.PaymentProvider, c.want)
			}
		})
	}
}

func TestPaymentProviderRefusesAnUnknownValueNamingItsSource(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--payment-provider", "stripe"}, nil, `--payment-provider "stripe" is not a payment provider: use kp or kco`},
		{nil, map[string]string{EnvPaymentProvider: "hpp"}, EnvPaymentProvider + `="hpp" is not a payment provider`},
	} {
		_, err := Load(c.args, testkit.Env(c.env))
		var u *UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%q, %v): %v, want a usage error containing %q", c.args, c.env, err, c.want)
		}
	}
}
