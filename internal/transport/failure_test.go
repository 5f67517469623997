package transport

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/brokentarget"
)

// TestFailureSaysTheKind: a target that answers no HTTP at all, and one
// that answers and drops the connection, are each one kind of failure in
// the user's words, whatever ports the connections had.
func TestFailureSaysTheKind(t *testing.T) {
	_, err := http.Post(brokentarget.Garbage(t)+"/x", "application/json", strings.NewReader("{}"))
	if kind, ok := Failure(err); !ok || kind != "the target does not answer HTTP (malformed status line)" {
		t.Errorf("garbage answer %v: kind %q, %v", err, kind, ok)
	}

	a := errors.New(`read tcp 127.0.0.1:51510->127.0.0.1:8080: read: connection reset by peer`)
	b := errors.New(`read tcp 127.0.0.1:40022->127.0.0.1:8080: read: connection reset by peer`)
	ka, _ := Failure(a)
	kb, _ := Failure(b)
	if ka != kb || ka != "the target reset the connection" {
		t.Errorf("resets on two ports: %q and %q, want one kind", ka, kb)
	}
	if got := WithoutAddresses(a.Error()); strings.Contains(got, "51510") || got != WithoutAddresses(b.Error()) {
		t.Errorf("WithoutAddresses left the port: %q", got)
	}
	if _, ok := Failure(errors.New("certificate signed by unknown authority")); ok {
		t.Error("an unknown failure got a kind")
	}
}
