package mock

import (
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/url"
	"testing"
	"time"
)

// TestSlowBodyIsCutOff: a client that sends its headers at once and then
// the body one byte at a time loses its connection once the request read
// bound is over, before its body is complete. The bound is short here; the
// assertion is that the mock stopped waiting, not when.
func TestSlowBodyIsCutOff(t *testing.T) {
	h := newHarness(t, Options{RequestReadTimeout: 200 * time.Millisecond})
	u, _ := url.Parse(h.base)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	auth := base64.StdEncoding.EncodeToString([]byte(DefaultUsername + ":" + DefaultPassword))
	if _, err := fmt.Fprintf(conn, "POST /payments/v1/sessions HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", u.Host, auth, len(kpBody)); err != nil {
		t.Fatal(err)
	}
	closed := make(chan string, 1)
	go func() {
		answer, _ := io.ReadAll(conn) // until the mock closes the connection
		closed <- string(answer)
	}()
	sent := 0
	var answer string
trickle:
	for sent < len(kpBody) {
		select {
		case answer = <-closed:
			break trickle
		case <-time.After(20 * time.Millisecond):
		}
		if _, err := conn.Write([]byte{kpBody[sent]}); err != nil {
			break // the mock closed the connection
		}
		sent++
	}
	if sent == len(kpBody) {
		t.Fatalf("the mock waited for the whole body, sent one byte every 20ms (%d bytes), with a request read bound of 200ms", sent)
	}
	if answer == "" {
		select {
		case answer = <-closed:
		case <-time.After(10 * time.Second):
			t.Fatal("the mock kept the connection open after the request read bound")
		}
	}
	t.Logf("cut off after %d of %d body bytes; answer: %.60q", sent, len(kpBody), answer)
}

func TestRequestReadTimeoutMustNotBeNegative(t *testing.T) {
	if _, err := New(Options{RequestReadTimeout: -time.Second}); err == nil {
		t.Error("a negative request read timeout was accepted")
	}
}
