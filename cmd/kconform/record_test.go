package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/recording"
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
	r := runChild(t, 2*time.Minute, map[string]string{"KCONFORM_USERNAME": "merchant", "KCONFORM_PASSWORD": password},
		"--target", base, "--request-timeout", "5s", "--record", path,
		"--label-filter", "lifecycle || errors",
		"--focus", "mode NONE|401 to getSessionById with a wrong password|404 to getSessionById with an unknown id")
	if r.exit != runPassed {
		t.Fatalf("exit %d, want 0:\n%s", r.exit, lastOutput(r.output))
	}
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

	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	a, err := audit.New(v, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sink countSink
	sum := a.Run([]string{path}, &sink)
	if sink.format != recording.FormatHAR || sum.ExitCode() != audit.ExitConforms || sum.Entries < 5 || sum.Conforming != sum.Entries {
		t.Errorf("validate: format %s, exit %d, %+v; want a conforming HAR", sink.format, sum.ExitCode(), sum)
	}
	if n := runValidate([]string{"--quiet", path}, new(strings.Builder), new(strings.Builder)); n != audit.ExitConforms {
		t.Errorf("kconform validate %s: exit %d", path, n)
	}
}

type countSink struct{ format recording.Format }

func (c *countSink) BeginFile(_ string, f recording.Format) { c.format = f }
func (c *countSink) Entry(*audit.Entry)                     {}
func (c *countSink) EndFile(string, error)                  {}
