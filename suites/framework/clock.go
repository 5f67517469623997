package framework

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Clock paths of the control plane (internal/mock/CONTROL.md).
const (
	clockPath   = "/_kconform/clock"
	advancePath = "/_kconform/clock/advance"
)

type clockState struct {
	Now time.Time `json:"now"`
}

// Now reads the target's simulated clock.
func (f *Framework) Now(ctx context.Context) time.Time {
	GinkgoHelper()
	if c := f.profileClock(); c != nil {
		return f.hookNow(ctx, c)
	}
	return f.clockCall(ctx, http.MethodGet, clockPath, "")
}

// Advance moves the target's clock forward by d and returns the new time.
func (f *Framework) Advance(ctx context.Context, d time.Duration) time.Time {
	GinkgoHelper()
	Expect(d).To(BeNumerically(">", 0), "the clock only moves forward")
	if c := f.profileClock(); c != nil {
		return f.hookAdvance(ctx, c, d)
	}
	body, err := json.Marshal(map[string]string{"by": d.String()})
	Expect(err).NotTo(HaveOccurred())
	return f.clockCall(ctx, http.MethodPost, advancePath, string(body))
}

// AdvancePast moves the clock to just after t (by at least a second).
func (f *Framework) AdvancePast(ctx context.Context, t time.Time) time.Time {
	GinkgoHelper()
	now := f.Now(ctx)
	d := t.Sub(now) + time.Second
	if d < time.Second {
		d = time.Second
	}
	after := f.Advance(ctx, d)
	Expect(after).To(BeTemporally(">", t), "the clock moved past %s", t)
	return after
}

func (f *Framework) clockCall(ctx context.Context, method, path, body string) time.Time {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(ctx, method, f.Env.BaseURL+path, strings.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.control.Do(req)
	Expect(err).NotTo(HaveOccurred(), "clock control %s %s", method, path)
	var st clockState
	dec := json.NewDecoder(resp.Body)
	Expect(resp.StatusCode).To(Equal(http.StatusOK), "clock control %s %s", method, path)
	Expect(dec.Decode(&st)).To(Succeed(), "clock control %s %s: answer is not {\"now\": ...}", method, path)
	Expect(st.Now.IsZero()).To(BeFalse(), "clock control %s %s: no time in the answer", method, path)
	return st.Now
}
