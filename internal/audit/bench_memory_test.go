package audit

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/recording"
)

// Memory of `kconform validate` on the two shapes that used to make it
// grow (issue 11, items 10 and 11):
//
//	go test -run '^$' -bench 'ValidateLargeBody|ValidateManySessions' -benchtime 1x ./internal/audit
//
// peak-RSS-MB is the largest resident set of the process while the run
// went on (watchHeap).

// BenchmarkValidateLargeBody checks a HAR of one HPP read whose body is
// 100 MB of small values (a long array of numbers): the body is over the
// default --max-body, so it is reported, not decoded. "cap" is a 16 MB
// body of the same shape, the largest that is decoded by default.
func BenchmarkValidateLargeBody(b *testing.B) {
	for _, tt := range []struct {
		name    string
		size    int
		verdict Verdict
	}{{"100MB", 100 << 20, Violates}, {"16MB-at-cap", DefaultMaxBody - 1024, Conforms}} {
		b.Run(tt.name, func(b *testing.B) {
			path, bodySize := largeBodyCapture(b, b.TempDir(), tt.size)
			a := auditor(b, Options{})
			peak := watchHeap()
			for b.Loop() {
				var s verdictSink
				a.Run([]string{path}, &s)
				if s.err != nil || len(s.verdicts) != 1 || s.verdicts[0] != tt.verdict {
					b.Fatalf("verdicts %v, error %v; want one %s", s.verdicts, s.err, tt.verdict)
				}
			}
			rss := peak().rss
			b.ReportMetric(float64(bodySize)/(1<<20), "body-MB")
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(rss)/float64(bodySize), "RSS/body")
		})
	}
}

// BenchmarkValidateManySessions checks a HAR of 500,000 reads of distinct
// HPP sessions: the lifecycle sequence keeps a few tens of bytes a session.
func BenchmarkValidateManySessions(b *testing.B) {
	const n = 500_000
	path := manySessionsCapture(b, b.TempDir(), n)
	a := auditor(b, Options{})
	peak := watchHeap()
	for b.Loop() {
		var s countSink
		a.Run([]string{path}, &s)
		if s.err != nil || s.entries != n || s.bad != 0 {
			b.Fatalf("%d entries, %d not conforming, error %v", s.entries, s.bad, s.err)
		}
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(n)/secs, "exchanges/s")
	b.ReportMetric(float64(peak().rss)/(1<<20), "peak-RSS-MB")
}

// largeBodyCapture writes a HAR with one HPP read whose body is about size
// bytes: a session with an array of small numbers.
func largeBodyCapture(b *testing.B, dir string, size int) (string, int) {
	b.Helper()
	var body bytes.Buffer
	body.Grow(size + 64)
	body.WriteString(`{"session_id":"s1","status":"WAITING","updated_at":"2024-01-03T12:00:00Z","expires_at":"2024-01-05T11:00:00Z","values":[0`)
	for body.Len() < size-1 {
		body.WriteString(",7")
	}
	body.WriteString("]}")
	path := filepath.Join(dir, "large.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	// The body has no character to escape: it goes into the HAR as it is.
	fmt.Fprintf(w, `{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"%s","headers":[]},`+
		`"response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"mimeType":"application/json","text":"`, hppBase+"s1")
	w.Write(bytes.ReplaceAll(body.Bytes(), []byte(`"`), []byte(`\"`)))
	w.WriteString(`"}}}]}}`)
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path, body.Len()
}

// manySessionsCapture writes a HAR of n reads, each of another session.
func manySessionsCapture(b *testing.B, dir string, n int) string {
	b.Helper()
	path := filepath.Join(dir, "sessions-"+strconv.Itoa(n)+".har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"log":{"version":"1.2","entries":[`)
	for i := range n {
		if i > 0 {
			w.WriteString(",\n")
		}
		id := fmt.Sprintf("39a1c773-bafd-754d-af1f-%012d", i)
		e := hppRead(id, hppSession(id, "WAITING", "2024-01-03T12:00:00Z", "2024-01-05T11:00:00Z", ""))
		var sb strings.Builder
		writeHAREntry(&sb, e)
		w.WriteString(sb.String())
	}
	w.WriteString("]}}\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
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
