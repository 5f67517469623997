package framework

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// rawGet sends a GET with exactly target as its request target (no client
// in between that could re-encode it) and returns the status.
func rawGet(t *testing.T, base, target string) int {
	t.Helper()
	u, _ := url.Parse(base)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, u.Host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestReturnsRecordsTheRequestAsSent: an arrival is the public base URL
// plus the request target byte for byte; a forwarding proxy that keeps a
// path prefix still counts; a box that is closed answers 410 and records
// nothing.
func TestReturnsRecordsTheRequestAsSent(t *testing.T) {
	public, _ := url.Parse("https://tunnel.example/kc")
	r, err := StartReturns("127.0.0.1:0", public)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	id, closeBox := r.open()
	ln := "http://" + r.ln.Addr().String()
	query := "?sid=abc&keep=a%20b%2Bc+d&enc=%7B%7Bsession_id%7D%7D&empty=&flag&t={{authorization_token}}"
	if got := rawGet(t, ln, "/kc/return/"+id+"/success"+query); got != http.StatusOK {
		t.Fatalf("arrival answered %d, want 200", got)
	}
	if got := rawGet(t, ln, "/return/"+id+"/back?x=1"); got != http.StatusOK {
		t.Fatalf("arrival without the prefix answered %d, want 200", got)
	}
	list, arrived := r.arrivals(id)
	select {
	case <-arrived:
	default:
		t.Error("the arrival channel is not closed after an arrival")
	}
	want := []string{"https://tunnel.example/kc/return/" + id + "/success" + query, "https://tunnel.example/kc/return/" + id + "/back?x=1"}
	if len(list) != 2 || list[0].URL != want[0] || list[1].URL != want[1] || list[0].Kind != "success" || list[1].Kind != "back" {
		t.Errorf("arrivals %+v, want URLs %q", list, want)
	}
	if !r.Owns(want[0]) || r.Owns("https://tunnel.example/other") {
		t.Error("Owns does not tell the receiver's URLs apart")
	}
	closeBox()
	if got := rawGet(t, ln, "/return/"+id+"/success"); got != http.StatusGone {
		t.Errorf("a closed box answered %d, want 410", got)
	}
	if got := rawGet(t, ln, "/elsewhere"); got != http.StatusNotFound {
		t.Errorf("a path outside /return/ answered %d, want 404", got)
	}
}

// TestBrowserEscape: what a browser encodes before it sends a URL, and
// only that.
func TestBrowserEscape(t *testing.T) {
	expectEach(t, "browserEscape", browserEscape, map[string]string{
		"https://m.example/r/s?keep=a%20b%2Bc+d&t={{x}}": "https://m.example/r/s?keep=a%20b%2Bc+d&t={{x}}",
		"https://m.example/r/s?keep=a b+c d":             "https://m.example/r/s?keep=a%20b+c%20d",
		"https://m.example/{x}/s?q=\"<ä>\"":              "https://m.example/%7Bx%7D/s?q=%22%3C%C3%A4%3E%22",
		"/pay/1/result":                                  "/pay/1/result",
	})
}

// TestNotBackSaysWhatTheBrowserDid: a person's browser that did not come
// back is said so, with the wait, never as a nil value; a driver's says
// where it ended.
func TestNotBackSaysWhatTheBrowserDid(t *testing.T) {
	manual := notBack(Landing{Waited: manualGrace}, "after paying")
	if manual != "after paying: the consumer's browser did not come back to the merchant URL within 3s" {
		t.Errorf("manual: %q", manual)
	}
	if got := notBack(Landing{URL: "http://h/done"}, "after paying"); !strings.Contains(got, "the browser ended at http://h/done") {
		t.Errorf("driver: %q", got)
	}
	if got := notBack(Landing{Returned: &Arrival{URL: "http://r/ok"}}, "after paying"); got != "" {
		t.Errorf("back at the merchant: %q", got)
	}
}
