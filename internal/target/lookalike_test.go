package target

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

// Hosts net/http maps to a production host before it connects (IDNA
// Lookup profile: full-width letters, the ideographic full stop). The
// reviewer reached past both checks with each of these.
var lookalikes = []struct{ host, dialed string }{
	{"api。kustom.co", "api.kustom.co"},
	{"ａｐｉ.ｋｌａｒｎａ.ｃｏｍ", "api.klarna.com"},
	{"api.klarna.com。", "api.klarna.com"},
	{"API。Klarna。com。:443", "api.klarna.com"},
}

// Look-alikes of the playgrounds are the playgrounds.
var playgroundLookalikes = []string{
	"ａｐｉ.ｐｌａｙｇｒｏｕｎｄ.ｋｌａｒｎａ.ｃｏｍ",
	"api.playground.kustom.co。",
	"api.playground.klarna.com",
}

// Hosts the IDNA Lookup profile refuses: a zero-width joiner, a leading
// hyphen, a disallowed rune.
var invalidHosts = []string{"a\u200db.klarna.com", "-ａ.klarna.com", "ａ_b.example.com"}

func TestLoadRefusesLookalikeProductionHosts(t *testing.T) {
	creds := testkit.Env(map[string]string{EnvUsername: "u", EnvPassword: "p"})
	for _, tc := range lookalikes {
		_, err := Load([]string{"--target", "https://" + tc.host}, creds)
		if err == nil || !IsUsage(err) || !strings.Contains(err.Error(), tc.dialed+" is a") || !strings.Contains(err.Error(), "--allow-production") {
			t.Errorf("--target https://%s: want a usage error naming %s as production, got %v", tc.host, tc.dialed, err)
		}
	}
	for _, h := range playgroundLookalikes {
		if _, err := Load([]string{"--target", "https://" + h}, creds); err != nil {
			t.Errorf("--target https://%s (a playground): %v", h, err)
		}
	}
	for _, h := range invalidHosts {
		for _, allow := range []bool{false, true} {
			args := []string{"--target", "https://" + h}
			if allow {
				args = append(args, "--allow-production")
			}
			_, err := Load(args, creds)
			if err == nil || !IsUsage(err) || !strings.Contains(err.Error(), "not a valid host name") || !strings.Contains(err.Error(), "--target") {
				t.Errorf("%q: want a usage error saying the host is not valid, got %v", args, err)
			}
		}
	}
}

func TestProductionGuardRefusesLookalikeHosts(t *testing.T) {
	sent := 0
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})
	do := func(host string, allow bool) (*http.Response, error) {
		sent = 0
		req := httptest.NewRequest(http.MethodGet, "https://example.com/hpp/v1/sessions", nil)
		req.URL.Host = host // as url.Parse leaves it after unescaping
		return ProductionGuard(next, allow).RoundTrip(req)
	}
	for _, tc := range lookalikes {
		resp, err := do(tc.host, false)
		if resp != nil || sent != 0 || err == nil || !strings.Contains(err.Error(), tc.dialed+" is a") {
			t.Errorf("%s: want refused naming %s, got resp %v, sent %d, err %v", tc.host, tc.dialed, resp, sent, err)
		}
	}
	for _, h := range playgroundLookalikes {
		if _, err := do(h, false); err != nil || sent != 1 {
			t.Errorf("%s (a playground): want it sent, got err %v, sent %d", h, err, sent)
		}
	}
	for _, h := range invalidHosts {
		for _, allow := range []bool{false, true} {
			resp, err := do(h, allow)
			if resp != nil || sent != 0 || err == nil || !strings.Contains(err.Error(), "not a valid host name") {
				t.Errorf("%s (allow %v): want refused as not a valid host, got resp %v, sent %d, err %v", h, allow, resp, sent, err)
			}
		}
	}
}
