package recording

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/groundtruth"
	"github.com/kconform/kconform/internal/testkit"
)

// readAll opens data as a file called name and reads every record; err is
// the error that stopped the file (at open or while reading).
func readAll(t *testing.T, name, data string) ([]Record, Format, error) {
	t.Helper()
	f, err := OpenBytes(name, []byte(data))
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	recs, err := drain(f)
	return recs, f.Format, err
}

// drain reads every record of f, those with an entry error too; err is the
// error that stopped the file, nil at its end.
func drain(f *File) ([]Record, error) {
	var recs []Record
	for {
		rec, err := f.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

// mustRead reads a file that must be readable to its end.
func mustRead(t *testing.T, name, data string) ([]Record, Format) {
	t.Helper()
	recs, format, err := readAll(t, name, data)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return recs, format
}

// wantError checks that err stops the file, matches reason and names the
// file, the entry (when entry >= 0) and each of the fragments.
func wantError(t *testing.T, err error, reason error, file string, entry int, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %v", reason)
	}
	if reason != nil && !errors.Is(err, reason) {
		t.Errorf("error %q is not %v", err, reason)
	}
	var re *Error
	if !errors.As(err, &re) {
		t.Fatalf("error %q is not a *recording.Error", err)
	}
	if re.File != file || re.Entry != entry {
		t.Errorf("error names file %q entry %d; want %q entry %d", re.File, re.Entry, file, entry)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, file+": ") {
		t.Errorf("message %q does not start with the file name", msg)
	}
	for _, f := range fragments {
		if !strings.Contains(msg, f) {
			t.Errorf("message %q does not say %q", msg, f)
		}
	}
}

// sharedDir is the shared recordings, beside the repository.
func sharedDir(t *testing.T) string {
	t.Helper()
	return groundtruth.Path(t, "recordings")
}

// Every shared recording reads as what its README says it is.
func TestSharedRecordings(t *testing.T) {
	dir := sharedDir(t)
	tests := []struct {
		file      string
		format    Format
		kind      Kind
		method    string
		url       string
		status    int
		hasReqBdy bool
		hasRspBdy bool
	}{
		{"saleor-app-payment-klarna__kp_create_session_Checkout_recording.har", FormatHAR, KindExchange, "POST", "https://api.playground.klarna.com/payments/v1/sessions", 200, true, true},
		{"saleor-app-payment-klarna__kp_create_session_Order_recording.har", FormatHAR, KindExchange, "POST", "https://api.playground.klarna.com/payments/v1/sessions", 200, true, true},
		{"solidus_klarna_payments__payment_methods_controller_passing_valid_credentials.yml", FormatVCR, KindExchange, "POST", "https://api-na.playground.klarna.com/payments/v1/sessions", 400, true, true},
		{"solidus_klarna_payments__payment_methods_controller_passing_invalid_credentials.yml", FormatVCR, KindExchange, "POST", "https://api-na.playground.klarna.com/payments/v1/sessions", 401, true, true},
		{"omnipay-klarna-eqxDev__AuthorizeSuccess.txt", FormatHTTPResponse, KindResponse, "", "", 200, false, true},
		{"omnipay-klarna-eqxDev__AuthorizeFailure.txt", FormatHTTPResponse, KindResponse, "", "", 400, false, true},
		{"omnipay-klarna-eqxDev__PurchaseSuccess.txt", FormatHTTPResponse, KindResponse, "", "", 200, false, true},
		{"omnipay-klarna-eqxDev__PurchaseFailure.txt", FormatHTTPResponse, KindResponse, "", "", 404, false, true},
		{"Umbraco.Commerce.PaymentProviders.Klarna__hpp_create_response.json", FormatFixture, KindResponseBody, "POST", "/hpp/v1/sessions", 201, false, true},
		{"Umbraco.Commerce.PaymentProviders.Klarna__hpp_status_update_callback.json", FormatFixture, KindCallbackBody, "POST", "", 0, true, false},
		{"klarna-payments-for-woocommerce__session-se-b2c.json", FormatFixture, KindRequestBody, "POST", "https://api.playground.klarna.com/payments/v1/sessions", 0, true, false},
		{"klarna-payments-for-woocommerce__session-us-sales-tax.json", FormatFixture, KindRequestBody, "POST", "https://api-na.playground.klarna.com/payments/v1/sessions", 0, true, false},
		{"kco_rest_dotnet__HostedPaymentPageGetSessionStatusResponse.json", FormatBody, KindBody, "", "", 0, true, true},
		{"kco_rest_dotnet__PaymentReadExistingCreditSessionResponse.json", FormatBody, KindBody, "", "", 0, true, true},
		{"commerce_klarna_payments__create-order-authorization.json", FormatBody, KindBody, "", "", 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := Open(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Format != tt.format {
				t.Errorf("format %s; want %s", f.Format, tt.format)
			}
			rec, err := f.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec.Err != nil {
				t.Fatalf("record error: %v", rec.Err)
			}
			ex := rec.Exchange
			if rec.Kind != tt.kind || ex.Method != tt.method || ex.URL != tt.url || ex.Status != tt.status {
				t.Errorf("got %s %q %q %d; want %s %q %q %d", rec.Kind, ex.Method, ex.URL, ex.Status, tt.kind, tt.method, tt.url, tt.status)
			}
			if (len(ex.RequestBody) > 0) != tt.hasReqBdy || (len(ex.ResponseBody) > 0) != tt.hasRspBdy {
				t.Errorf("request body %d bytes, response body %d bytes; want %v, %v", len(ex.RequestBody), len(ex.ResponseBody), tt.hasReqBdy, tt.hasRspBdy)
			}
			if _, err := f.Next(); !errors.Is(err, io.EOF) {
				t.Errorf("second record: %v; want io.EOF", err)
			}
		})
	}
}

// Every file of the shared folder is either read or, for its README, refused
// as not a recording; Discover finds exactly the recordings.
func TestSharedRecordingsDiscover(t *testing.T) {
	dir := sharedDir(t)
	files := Discover([]string{dir})
	if len(files) == 0 {
		t.Fatal("no recordings found")
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			t.Errorf("Discover listed %s", f)
		}
		if _, _, err := readAllFile(f); err != nil {
			t.Errorf("%v", err)
		}
	}
	_, err := Open(filepath.Join(dir, "README.md"))
	wantError(t, err, ErrUnknownFile, filepath.Join(dir, "README.md"), -1)
}

func readAllFile(path string) ([]Record, Format, error) {
	f, err := Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	recs, err := drain(f)
	// Stop at the first unreadable entry, as if it had ended the file.
	for i, rec := range recs {
		if rec.Err != nil {
			return recs[:i], f.Format, rec.Err
		}
	}
	return recs, f.Format, err
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.har", "a/c.json", "a/d.yml", "a/e.md", ".hidden/f.har", "a/.g.json", "z.TXT"} {
		testkit.WriteFile(t, filepath.Join(dir, name), "{}")
	}
	named := filepath.Join(dir, "a", "e.md")
	got := Discover([]string{filepath.Join(dir, "b.har"), dir, named, filepath.Join(dir, "missing.har")})
	want := []string{
		filepath.Join(dir, "a", "c.json"),
		filepath.Join(dir, "a", "d.yml"),
		named, // named on its own: read whatever its extension
		filepath.Join(dir, "b.har"),
		filepath.Join(dir, "missing.har"), // kept, so that opening it says why it cannot be read
		filepath.Join(dir, "z.TXT"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Discover:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	_, err := Open(filepath.Join(dir, "missing.har"))
	wantError(t, err, os.ErrNotExist, filepath.Join(dir, "missing.har"), -1, "cannot open")
}

func TestEmptyAndUnknown(t *testing.T) {
	for _, name := range []string{"a.har", "a.json", "a.yml", "a.txt", "a"} {
		_, _, err := readAll(t, name, " \n\t\r\n")
		wantError(t, err, ErrEmpty, name, -1)
	}
	_, _, err := readAll(t, "a.har", "\xEF\xBB\xBF")
	wantError(t, err, ErrEmpty, "a.har", -1)

	_, _, err = readAll(t, "a.json", "hello")
	wantError(t, err, ErrNotJSON, "a.json", -1, `'h'`)
	_, _, err = readAll(t, "a.har", "<html>")
	wantError(t, err, ErrNotJSON, "a.har", -1)
	_, _, err = readAll(t, "a.json", `[1,2]`)
	wantError(t, err, ErrUnknownFile, "a.json", -1, "array")
	_, _, err = readAll(t, "a.bin", "\x00\x01binary")
	wantError(t, err, ErrUnknownFile, "a.bin", -1)
	_, _, err = readAll(t, "a.json", `{"a":1} {"b":2}`)
	wantError(t, err, ErrNotJSON, "a.json", -1, "more data")
}

func TestKindNames(t *testing.T) {
	for k := KindExchange; k <= KindBody; k++ {
		if strings.HasPrefix(k.String(), "kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
	if got := Kind(99).String(); got != "kind(99)" {
		t.Errorf("Kind(99) = %q", got)
	}
}
