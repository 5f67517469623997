package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kconform/kconform/generated/api"
)

// benchClients is the load the issue sets the target for: 32 concurrent
// clients over loopback TCP, each with its own keep-alive connection.
const benchClients = 32

// benchMock starts a mock on loopback and returns a client able to keep a
// connection per concurrent client.
func benchMock(b *testing.B) (string, *http.Client) {
	b.Helper()
	srv, base := startMock(b, Options{})
	tr := &http.Transport{MaxIdleConns: 2 * benchClients, MaxIdleConnsPerHost: 2 * benchClients, IdleConnTimeout: time.Minute}
	b.Cleanup(func() {
		tr.CloseIdleConnections()
		_ = srv.Close()
	})
	return base, &http.Client{Transport: tr}
}

func benchDo(client *http.Client, method, url, body string, want int) error {
	var rd io.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d, want %d", method, url, resp.StatusCode, want)
	}
	return nil
}

func benchCreate(b *testing.B, client *http.Client, base string) (kpID, hppID string) {
	b.Helper()
	req, _ := http.NewRequest("POST", base+"/payments/v1/sessions", bytes.NewReader([]byte(kpBody)))
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var kp api.MerchantSession
	_ = json.NewDecoder(resp.Body).Decode(&kp)
	resp.Body.Close()
	body := `{"payment_session_url":"https://api.klarna.com/payments/v1/sessions/` + kp.SessionId + `"}`
	req, _ = http.NewRequest("POST", base+"/hpp/v1/sessions", bytes.NewReader([]byte(body)))
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err = client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var hpp api.SessionCreationResponseV1
	_ = json.NewDecoder(resp.Body).Decode(&hpp)
	resp.Body.Close()
	if hpp.SessionId == "" {
		b.Fatal("no HPP session")
	}
	return kp.SessionId, hpp.SessionId
}

// runClients spreads b.N iterations over benchClients goroutines.
func runClients(b *testing.B, iteration func(client int) error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var failure error
	b.ResetTimer()
	for c := range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				if err := iteration(c); err != nil {
					once.Do(func() { failure = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if failure != nil {
		b.Fatal(failure)
	}
}

// BenchmarkHPPRead: GET /hpp/v1/sessions/{id} with Basic auth, validated
// like every request, from 32 concurrent clients over loopback TCP.
func BenchmarkHPPRead(b *testing.B) {
	base, client := benchMock(b)
	urls := make([]string, benchClients)
	for i := range urls {
		_, hppID := benchCreate(b, client, base)
		urls[i] = base + "/hpp/v1/sessions/" + hppID
	}
	runClients(b, func(c int) error { return benchDo(client, "GET", urls[c], "", http.StatusOK) })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkHPPFlow: create → read → disable, 32 concurrent clients; each
// op is one flow of three requests.
func BenchmarkHPPFlow(b *testing.B) {
	base, client := benchMock(b)
	bodies := make([]string, benchClients)
	for i := range bodies {
		kpID, _ := benchCreate(b, client, base)
		bodies[i] = `{"payment_session_url":"https://api.klarna.com/payments/v1/sessions/` + kpID + `"}`
	}
	runClients(b, func(c int) error {
		req, _ := http.NewRequest("POST", base+"/hpp/v1/sessions", bytes.NewReader([]byte(bodies[c])))
		req.SetBasicAuth(DefaultUsername, DefaultPassword)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		var hpp api.SessionCreationResponseV1
		err = json.NewDecoder(resp.Body).Decode(&hpp)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("create: %d %v", resp.StatusCode, err)
		}
		url := base + "/hpp/v1/sessions/" + hpp.SessionId
		if err := benchDo(client, "GET", url, "", http.StatusOK); err != nil {
			return err
		}
		return benchDo(client, "DELETE", url, "", http.StatusNoContent)
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
	b.ReportMetric(3*float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
