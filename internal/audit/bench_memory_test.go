package audit

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kconform/kconform/internal/recording"
)

// Memory of `kconform validate` on the two shapes that used to make it
// grow (issue 11, items 10 and 11):
//
//	go test -run '^$' -bench 'ValidateLargeBody|ValidateManySessions' -benchtime 1x ./internal/audit
//
// peak-RSS-MB is the largest resident set of the process while the run
// went on, heap-MB the largest heap (live and not yet swept) (watchHeap).

// BenchmarkValidateLargeBody checks a HAR of one read whose body is one
// large value, of each shape that used to cost most: many small numbers
// (an HPP session's unknown field), many order lines (a KP session, over
// maxItems), many small strings (a KP session's custom_payment_method_ids)
// and one long string (its design). Each is checked at 16 MB, under the
// default --max-body, and at 100 MB with --max-body raised; "100MB-over-cap"
// is reported, not decoded.
func BenchmarkValidateLargeBody(b *testing.B) {
	const raised = 128 << 20
	for _, tt := range []struct {
		name    string
		shape   bodyShape
		size    int
		maxBody int64
		verdict Verdict
	}{
		{"100MB-over-cap", numbersShape, 100 << 20, 0, Violates},
		{"16MB-numbers", numbersShape, DefaultMaxBody - 1024, 0, Conforms},
		{"16MB-order-lines", orderLinesShape, DefaultMaxBody - 1024, 0, Violates},
		{"16MB-strings", stringsShape, DefaultMaxBody - 1024, 0, Conforms},
		{"16MB-string", stringShape, DefaultMaxBody - 1024, 0, Conforms},
		{"100MB-numbers", numbersShape, 100 << 20, raised, Conforms},
		{"100MB-order-lines", orderLinesShape, 100 << 20, raised, Violates},
		{"100MB-strings", stringsShape, 100 << 20, raised, Conforms},
		{"100MB-string", stringShape, 100 << 20, raised, Conforms},
	} {
		b.Run(tt.name, func(b *testing.B) {
			path, bodySize := largeBodyCapture(b, b.TempDir(), tt.shape, tt.size)
			a := auditor(b, Options{MaxBody: tt.maxBody})
			peak := watchHeap()
			for b.Loop() {
				var s verdictSink
				a.Run([]string{path}, &s)
				if s.err != nil || len(s.verdicts) != 1 || s.verdicts[0] != tt.verdict {
					b.Fatalf("verdicts %v, error %v; want one %s", s.verdicts, s.err, tt.verdict)
				}
			}
			pk := peak()
			rss := pk.rss
			b.ReportMetric(float64(pk.objects)/(1<<20), "heap-MB")
			b.ReportMetric(float64(bodySize)/(1<<20), "body-MB")
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(rss)/float64(bodySize), "RSS/body")
		})
	}
}

// bodyShape is a large body: the read it answers, the body's start, the
// element repeated (after a first one) and its end.
type bodyShape struct {
	url, head, first, next, tail string
}

const kpLine = `{"type":"physical","name":"Battery Power Pack","quantity":1,"unit_price":10000,"total_amount":10000}`

var (
	numbersShape = bodyShape{hppBase + "s1",
		`{"session_id":"s1","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z","values":[`, "0", ",7", "]}"}
	orderLinesShape = bodyShape{kpSessions + "s1", `{"status":"incomplete","order_lines":[`, kpLine, "," + kpLine, "]}"}
	stringsShape    = bodyShape{kpSessions + "s1", `{"status":"incomplete","custom_payment_method_ids":[`, `"a"`, `,"b"`, "]}"}
	stringShape     = bodyShape{kpSessions + "s1", `{"status":"incomplete","design":"`, "x", "x", `"}`}
)

const kpSessions = "https://api.playground.klarna.com/payments/v1/sessions/"

// largeBodyCapture writes a HAR with one read whose body is about size bytes
// of the shape.
func largeBodyCapture(b *testing.B, dir string, shape bodyShape, size int) (string, int) {
	b.Helper()
	var body bytes.Buffer
	body.Grow(size + 64)
	body.WriteString(shape.head)
	body.WriteString(shape.first)
	for body.Len() < size-len(shape.tail)-len(shape.next) {
		body.WriteString(shape.next)
	}
	body.WriteString(shape.tail)
	path := filepath.Join(dir, "large.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	// The body has no character to escape but quotes.
	fmt.Fprintf(w, `{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"%s","headers":[]},`+
		`"response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"mimeType":"application/json","text":"`, shape.url)
	w.Write(bytes.ReplaceAll(body.Bytes(), []byte(`"`), []byte(`\"`)))
	w.WriteString(`"}}}]}}`)
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path, body.Len()
}

// BenchmarkValidateManySessions checks a HAR of 500,000 reads of distinct
// HPP sessions: the lifecycle sequence keeps a few tens of bytes a session.
func BenchmarkValidateManySessions(b *testing.B) {
	const n = 500_000
	path := manySessionsCapture(b, b.TempDir(), n)
	a := auditor(b, Options{})
	peak := watchHeap()
	auditLoop(b, a, path, n)
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(n)/secs, "exchanges/s")
	b.ReportMetric(float64(peak().rss)/(1<<20), "peak-RSS-MB")
}

// manySessionsCapture writes a HAR of n reads, each of another session.
func manySessionsCapture(b *testing.B, dir string, n int) string {
	b.Helper()
	path := filepath.Join(dir, "sessions-"+strconv.Itoa(n)+".har")
	writeEntriesHAR(b, path, `{"log":{"version":"1.2","entries":[`, n, func(i int) harEntry {
		id := fmt.Sprintf("39a1c773-bafd-754d-af1f-%012d", i)
		return hppRead(id, hppSession(id, "WAITING", "2024-01-03T12:00:00Z", "2024-01-05T11:00:00Z", ""))
	})
	return path
}

// verdictSink keeps the verdicts.
type verdictSink struct {
	verdicts []Verdict
	err      error
}

func (s *verdictSink) BeginFile(string, recording.Format) {}
func (s *verdictSink) Entry(e *Entry)                     { s.verdicts = append(s.verdicts, e.Verdict) }
func (s *verdictSink) EndFile(_ string, err error) {
	if err != nil {
		s.err = err
	}
}
