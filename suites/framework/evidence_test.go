package framework

import (
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/transport"
)

func TestEvidenceOf(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	rec := func(at int, kind transport.Kind, url string, status int, issues ...contract.Issue) transport.Record {
		r := transport.Record{Kind: kind, Started: t0.Add(time.Duration(at) * time.Second),
			Exchange: exchange.Exchange{Method: "GET", URL: url, Status: status}}
		if kind == transport.API {
			r.Result = &contract.Result{Operation: "getSessionById", Issues: issues}
		}
		return r
	}
	broken := contract.Issue{Severity: contract.Violation, Side: contract.Response, In: contract.InBody, Pointer: "/status", Rule: "schema.enum", Message: "not in the enum"}
	recs := []transport.Record{
		rec(1, transport.API, "http://h/a", 201),
		rec(2, transport.Page, "http://h/pay/x", 200),
		rec(3, transport.Control, "http://h/_kconform/clock", 204),
		rec(5, transport.API, "http://h/cleanup", 500, broken), // after the failure
	}

	// An expectation failed at 4 s: the last exchange before it that was not
	// the control plane is the evidence, with the expectation's text.
	ev := evidenceOf(recs, "the page MUST refuse\nExpected\n    <int>: 200\nto be >=\n    <int>: 400", t0.Add(4*time.Second))
	if !strings.HasPrefix(ev.Exchange, "page GET http://h/pay/x → 200") || strings.Contains(ev.Exchange, "ms") {
		t.Errorf("exchange %q: want the page exchange, without its duration", ev.Exchange)
	}
	if ev.Violation != "the page MUST refuse Expected <int>: 200 to be >= <int>: 400" {
		t.Errorf("violation %q", ev.Violation)
	}

	// The contract check failed at the end: the violating exchange is the
	// evidence, whatever came before.
	ev = evidenceOf(recs, "1 exchange(s) of this spec broke the contract", t0.Add(6*time.Second))
	if !strings.Contains(ev.Exchange, "http://h/cleanup → 500") || !strings.Contains(ev.Violation, "[schema.enum]") {
		t.Errorf("want the violating exchange and its issue, got %+v", ev)
	}

	// A failure before any exchange has no exchange; a long message is cut.
	ev = evidenceOf(recs, strings.Repeat("é", 400), t0)
	if ev.Exchange != "" || len(ev.Violation) > maxViolation+len(" …") || !strings.HasSuffix(ev.Violation, " …") {
		t.Errorf("want no exchange and a cut violation, got %+v", ev)
	}
	if ev := evidenceOf(nil, "", time.Time{}); ev.Violation == "" {
		t.Error("an empty failure message left the violation empty")
	}
}
