package audit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/recording"
)

// The benchmarks run over a generated capture of realistic exchanges, half
// KP session creations (about 1.4 KB of HAR each) and half HPP session
// reads (about 0.7 KB), so about 1 KB per exchange:
//
//	go test -run='^$' -bench='ValidateHAR|DecodeFloor' -benchmem ./internal/audit
//
// BenchmarkValidateHAR is the whole check (read, contract, lifecycle,
// sequence) on every core; BenchmarkDecodeFloor only decodes the same HAR
// and its bodies with encoding/json on one core. peak-heap-MB is the
// largest heap seen while the run was going: it must not grow with the
// number of entries; peak-live-MB is the largest live heap a collection
// measured, the steadier of the two.

var benchSizes = []int{10_000, 100_000}

const kpCreateRequest = `{"acquiring_channel":"ECOMMERCE","intent":"buy","purchase_country":"SE","purchase_currency":"SEK",` +
	`"locale":"sv-SE","order_amount":25000,"order_tax_amount":5000,"order_lines":[{"type":"physical","reference":"19-402-SWE",` +
	`"name":"Battery Power Pack","quantity":2,"quantity_unit":"pcs","unit_price":12500,"tax_rate":2500,"total_amount":25000,` +
	`"total_discount_amount":0,"total_tax_amount":5000,"product_url":"https://shop.example.com/products/battery"}],` +
	`"billing_address":{"given_name":"Karl","family_name":"Karlsson","email":"karl@example.com","street_address":"Storgatan 1",` +
	`"postal_code":"41106","city":"Göteborg","country":"SE"},"merchant_reference1":"order-%d",` +
	`"merchant_urls":{"authorization":"https://shop.example.com/klarna/authorization"}}`

const kpCreateResponse = `{"session_id":"%s","client_token":"eyJhbGciOiJSUzI1NiIsImtpZCI6IjgyMzA1ZWJjLWI4MTEtMzYzNy1hYTRjLTY2ZWNhMTg3NGYzZCJ9.` +
	`eyJzZXNzaW9uX2lkIjoiOTViNmMyNjEtOWExYS01OGQ3LWE3N2YtYzM5NDU0MjdjNTFiIn0.l6L0UWShbJ-EG9TSg_DFwM9fbB1wlbK8fxVVx",` +
	`"payment_method_categories":[{"asset_urls":{"descriptive":"https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg",` +
	`"standard":"https://x.klarnacdn.net/payment-method/assets/badges/generic/klarna.svg"},"identifier":"pay_later","name":"Buy now, pay later"}]}`

// benchCapture writes a HAR of n exchanges into dir and returns its path and size.
func benchCapture(b *testing.B, dir string, n int) (string, int64) {
	b.Helper()
	path := filepath.Join(dir, "capture-"+strconv.Itoa(n)+".har")
	base := time.Date(2024, 1, 3, 12, 0, 0, 0, time.UTC)
	size := writeEntriesHAR(b, path, `{"log":{"version":"1.2","creator":{"name":"kconform-bench","version":"1"},"entries":[`, n, func(i int) harEntry {
		var e harEntry
		if i%2 == 0 {
			kpID := fmt.Sprintf("0b1d9815-165e-42e2-8867-%012d", i)
			e = harEntry{
				Method: "POST", URL: "https://api.playground.klarna.com/payments/v1/sessions",
				ReqHeaders: map[string]string{"Content-Type": "application/json", "Authorization": "Basic a2NvbmZvcm06c2VjcmV0", "User-Agent": "shop/1.0"},
				ReqBody:    fmt.Sprintf(kpCreateRequest, i),
				Status:     200,
				RespHeaders: map[string]string{"Content-Type": "application/json;charset=utf-8", "Klarna-Correlation-Id": "4f3d257e-eaa3-4708-9dc5-0f1e097cf761",
					"X-Ratelimit-Limit": "5, 5;w=1", "Server": "envoy"},
				RespBody: fmt.Sprintf(kpCreateResponse, kpID),
			}
		} else {
			// 1000 sessions polled in turn; updated_at moves forward.
			id := fmt.Sprintf("39a1c773-bafd-754d-af1f-%012d", i%1000)
			updated := base.Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano)
			e = hppRead(id, hppSession(id, "IN_PROGRESS", updated, "2024-01-05T11:00:00Z", ""))
		}
		e.StartedOffset = i
		return e
	})
	return path, size
}

// writeEntriesHAR writes a HAR to path: head (the log up to the '[' of its
// entries), then entry(0) to entry(n-1), and returns its size.
func writeEntriesHAR(b *testing.B, path, head string, n int, entry func(i int) harEntry) int64 {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(head)
	for i := range n {
		if i > 0 {
			w.WriteString(",\n")
		}
		var sb strings.Builder
		writeHAREntry(&sb, entry(i))
		w.WriteString(sb.String())
	}
	w.WriteString("]}}\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	info, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	return info.Size()
}

// countSink counts entries and fails on anything unexpected: a benchmark
// that silently validated nothing would measure nothing.
type countSink struct {
	entries, bad int
	err          error
}

func (c *countSink) BeginFile(string, recording.Format) {}
func (c *countSink) Entry(e *Entry) {
	c.entries++
	if e.Verdict != Conforms {
		c.bad++
	}
}
func (c *countSink) EndFile(_ string, err error) {
	if err != nil {
		c.err = err
	}
}

func BenchmarkValidateHAR(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("entries="+strconv.Itoa(n), func(b *testing.B) {
			path, size := benchCapture(b, b.TempDir(), n)
			a := auditor(b, Options{})
			peak := watchHeap()
			b.SetBytes(size)
			b.ReportAllocs()
			auditLoop(b, a, path, n)
			reportRate(b, n, peak())
		})
	}
}

// BenchmarkValidateHAROneCore is the whole check with one worker on one
// core: its time over the floor's is what the validation itself costs.
func BenchmarkValidateHAROneCore(b *testing.B) {
	n := benchSizes[0]
	b.Run("entries="+strconv.Itoa(n), func(b *testing.B) {
		path, size := benchCapture(b, b.TempDir(), n)
		a := auditor(b, Options{Workers: 1})
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		peak := watchHeap()
		b.SetBytes(size)
		b.ReportAllocs()
		auditLoop(b, a, path, n)
		reportRate(b, n, peak())
	})
}

// auditLoop runs a over path b.N times and stops the benchmark unless each
// run read all n entries, every one conforming, without an error: a
// benchmark that validated nothing would measure nothing.
func auditLoop(b *testing.B, a *Auditor, path string, n int) {
	b.Helper()
	for b.Loop() {
		var s countSink
		a.Run([]string{path}, &s)
		if s.err != nil || s.entries != n || s.bad != 0 {
			b.Fatalf("%d entries, %d not conforming, error %v", s.entries, s.bad, s.err)
		}
	}
}

// floorEntry is the part of an entry the floor decodes: what an exchange is
// made of, with HAR's string bodies.
type floorEntry struct {
	Request struct {
		Method   string `json:"method"`
		URL      string `json:"url"`
		Headers  []struct{ Name, Value string }
		PostData *struct {
			Text string `json:"text"`
		} `json:"postData"`
	} `json:"request"`
	Response struct {
		Status  int `json:"status"`
		Headers []struct{ Name, Value string }
		Content struct {
			Text string `json:"text"`
		} `json:"content"`
	} `json:"response"`
}

// BenchmarkDecodeFloor decodes the same capture, entry by entry, and each
// body into a value, with encoding/json on one core: no check can be
// faster than reading its input.
func BenchmarkDecodeFloor(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("entries="+strconv.Itoa(n), func(b *testing.B) {
			path, size := benchCapture(b, b.TempDir(), n)
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			peak := watchHeap()
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if got := decodeFloor(b, path); got != n {
					b.Fatalf("%d entries", got)
				}
			}
			reportRate(b, n, peak())
		})
	}
}

func decodeFloor(b *testing.B, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 256<<10))
	// {"log":{..., "entries":[
	for {
		tok, err := dec.Token()
		if err != nil {
			b.Fatal(err)
		}
		if tok == "entries" {
			break
		}
		if tok == "version" || tok == "creator" {
			var skip json.RawMessage
			dec.Decode(&skip)
		}
	}
	if _, err := dec.Token(); err != nil {
		b.Fatal(err)
	}
	n := 0
	for dec.More() {
		var e floorEntry
		if err := dec.Decode(&e); err != nil {
			b.Fatal(err)
		}
		var req, resp any
		if e.Request.PostData != nil {
			if err := json.Unmarshal([]byte(e.Request.PostData.Text), &req); err != nil {
				b.Fatal(err)
			}
		}
		if err := json.Unmarshal([]byte(e.Response.Content.Text), &resp); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if _, err := dec.Token(); err != nil && err != io.EOF {
		b.Fatal(err)
	}
	return n
}

func reportRate(b *testing.B, n int, heap heapPeaks) {
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(n)/secs, "exchanges/s")
	b.ReportMetric(float64(heap.objects)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(heap.live)/(1<<20), "peak-live-MB")
	// CPU time (user and system, all threads) per exchange: unlike the
	// rate, it barely moves when other work shares the machine, so two
	// runs on a busy machine still compare.
	b.ReportMetric(float64(heap.cpu.Microseconds())/float64(b.N)/float64(n), "cpu-µs/exchange")
}

// heapPeaks are the largest heap seen (live objects and garbage not yet
// swept) and the largest live heap measured by a collection, and the CPU
// time the process used meanwhile.
type heapPeaks struct {
	objects, live uint64
	cpu           time.Duration
	// rss is the largest resident set of the process (/proc/self/statm),
	// 0 where there is none.
	rss int64
}

// residentBytes is the process's resident set now, 0 if unknown.
func residentBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(data), &size, &resident); err != nil {
		return 0
	}
	return resident * int64(os.Getpagesize())
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchHeap samples the heap and the resident set every millisecond from
// now until the returned function is called, which stops it and returns
// the peaks. The heap is collected first, and its free memory handed back
// to the system, so that the generation of the capture and earlier
// benchmarks do not count.
func watchHeap() func() heapPeaks {
	debug.FreeOSMemory()
	cpuStart := cpuTime()
	var objects, live atomic.Uint64
	var rss atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			for i, peak := range []*atomic.Uint64{&objects, &live} {
				if v := samples[i].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
			if v := residentBytes(); v > rss.Load() {
				rss.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() heapPeaks {
		close(stop)
		wg.Wait()
		return heapPeaks{objects: objects.Load(), live: live.Load(), cpu: cpuTime() - cpuStart, rss: rss.Load()}
	}
}
