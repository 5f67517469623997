package main

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/recording"
	"github.com/kconform/kconform/internal/runreport"
	"github.com/kconform/kconform/internal/transport"
	"github.com/kconform/kconform/suites/runner"
)

// TestRunRecord: `kconform run --record FILE` against a target with a
// known password writes a HAR 1.2 capture of the API exchanges that
// `kconform validate` reads and finds conforming, with every Authorization
// value redacted (a wrong-password spec included) and the password nowhere.
func TestRunRecord(t *testing.T) {
	t.Parallel()
	const password = "s3cret-kconform-record-password"
	base := startMerchantMock(t, password)

	dir := t.TempDir()
	path := filepath.Join(dir, "run.har")
	r := runChild(t, 2*time.Minute, merchant(password),
		"--target", base, "--request-timeout", "5s", "--record", path,
		"--label-filter", "lifecycle || errors",
		"--focus", "mode NONE|401 to getSessionById with a wrong password|404 to getSessionById with an unknown id")
	wantExit(t, r, runner.ExitPassed, "kconform run")
	if !strings.Contains(r.output, "API exchanges to "+path) {
		t.Errorf("the output does not say where the capture went:\n%s", lastOutput(r.output))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("merchant:" + password))
	if strings.Contains(string(raw), password) || strings.Contains(string(raw), basic) {
		t.Error("the password reached the capture")
	}
	auth := regexp.MustCompile(`"name": "Authorization",\s*"value": "([^"]*)"`)
	all := auth.FindAllStringSubmatch(string(raw), -1)
	if len(all) == 0 {
		t.Error("no Authorization header in the capture: the API requests carry one, redacted")
	}
	for _, m := range all {
		if m[1] != "[REDACTED]" {
			t.Errorf("an Authorization value reached the capture: %q", m[1])
		}
	}
	if strings.Contains(string(raw), "/_kconform/") {
		t.Error("control-plane exchanges are recorded; --record keeps only the API")
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		t.Errorf("the folder holds %v: a temporary file was left behind?", names)
	}

	a, err := audit.NewDefault(audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sink countSink
	sum := a.Run([]string{path}, &sink)
	if sink.format != recording.FormatHAR || sum.ExitCode() != audit.ExitConforms || sum.Entries < 5 || sum.Conforming != sum.Entries {
		t.Errorf("validate: format %s, exit %d, %+v; want a conforming HAR", sink.format, sum.ExitCode(), sum)
	}
	if n := runValidate([]string{"--quiet", path}, os.Getenv, new(strings.Builder), new(strings.Builder)); n != audit.ExitConforms {
		t.Errorf("kconform validate %s: exit %d", path, n)
	}
}

type countSink struct{ format recording.Format }

func (c *countSink) BeginFile(_ string, f recording.Format) { c.format = f }
func (c *countSink) Entry(*audit.Entry)                     {}
func (c *countSink) EndFile(string, error)                  {}

// TestRunTooLargeAnswerBreaksItsOwnRule: a KP create answered with a body
// past the transport's limit breaks the rule about createCreditSession
// (the failed step is of the rule's own operation: not "blocked"), and
// --record keeps the exchange, its truncation noted.
func TestRunTooLargeAnswerBreaksItsOwnRule(t *testing.T) {
	t.Parallel()
	const password = "kconform-test-password-big"
	target := mockBehind(t, password, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/payments/v1/sessions" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for range transport.MaxBody/len(chunk) + 2 {
			if _, err := w.Write(chunk); err != nil {
				break
			}
		}
		return true
	})
	dir := t.TempDir()
	js, har := filepath.Join(dir, "report.json"), filepath.Join(dir, "run.har")
	r := runChild(t, 2*time.Minute, merchant(password),
		"--target", target, "--report-json", js, "--record", har, "--focus", "MUST create a KP session with 200")
	wantExit(t, r, runner.ExitFailed, "kconform run")
	rep := readRunReport(t, js)
	i := slices.IndexFunc(rep.Rules, func(r runreport.Rule) bool { return strings.Contains(r.Rule, "MUST create a KP session with 200") })
	if i < 0 || rep.Rules[i].Verdict != runreport.Broken {
		t.Errorf("the createCreditSession rule: %+v, want broken", rep.Rules[i])
	}
	raw, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "response body truncated to its first") {
		t.Errorf("the capture has no truncated KP create (%d bytes)", len(raw))
	}
}
