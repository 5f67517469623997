package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/labels"
	"github.com/kconform/kconform/suites/runner"
)

// needChromium skips without Chromium on a developer's machine (`make
// chromium` installs it); in CI, where `make test` installed it, its
// absence is a failure.
func needChromium(t *testing.T) {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if _, err := exec.LookPath(name); err == nil {
			return
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is missing: `make chromium` installs Debian's package")
	}
	t.Skip("Chromium is missing: `make chromium` installs Debian's package")
}

// TestBrowserConsumer: every consumer-labelled spec passes against the
// built-in mock in a real headless Chromium that clicks through the page,
// and each page it opens is photographed. With a placeholder fault on,
// the spec of that rule fails: the browser's arrival is what is judged.
func TestBrowserConsumer(t *testing.T) {
	t.Parallel()
	needChromium(t)
	shots := t.TempDir()
	r := runChild(t, 3*time.Minute, nil, "--consumer", "browser", "--label-filter", labels.Consumer, "--screenshots", shots, "--deadline", "170s")
	wantExit(t, r, runner.ExitPassed, "kconform run")
	var ran int
	for _, rep := range r.report {
		ran += rep.PreRunStats.SpecsThatWillRun
	}
	if ran < 50 || strings.Contains(r.output, "not checkable, by reason") || strings.Contains(r.output, "needs the consumer") {
		t.Errorf("%d consumer specs ran; none may be not checkable:\n%s", ran, lastOutput(r.output))
	}
	t.Logf("%d consumer specs in headless Chromium: %s", ran, r.elapsed.Round(100*time.Millisecond))

	pngs, _ := filepath.Glob(filepath.Join(shots, "*.png"))
	if len(pngs) == 0 {
		t.Fatal("no screenshot of the consumer page")
	}
	// The page of a session just created: the largest, a page with every button.
	best, size := "", 0
	for _, p := range pngs {
		b, _ := os.ReadFile(p)
		if !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s is not a PNG", p)
		}
		if len(b) > size {
			best, size = p, len(b)
		}
	}
	if *updateScreenshot {
		b, _ := os.ReadFile(best)
		must(t, os.WriteFile("../../docs/consumer-page-browser.png", b, 0o644))
	}

	bad := runChild(t, 2*time.Minute, nil, "--consumer", "browser", "--label-filter", labels.Placeholders, "--mock-faults", "placeholder-unsubstituted")
	msg, ok := bad.failures()["HPP merchant URL placeholders when the consumer is sent back to the merchant MUST fill only {{session_id}} in the back URL"]
	if bad.exit != runner.ExitFailed || !ok || !strings.Contains(msg, "{{session_id}} MUST be filled in the back URL") {
		t.Errorf("with placeholder-unsubstituted, the browser run should fail the back-URL spec naming the placeholder: exit %d, %v", bad.exit, bad.failures())
	}
}

// TestBrowserProfile: the shipped browser profile of kconform's mock
// drives the placeholder specs in headless Chromium.
func TestBrowserProfile(t *testing.T) {
	t.Parallel()
	needChromium(t)
	prof, _ := filepath.Abs("../../profiles/kconform-mock-browser.yaml")
	r := runChild(t, 2*time.Minute, nil, "--consumer", "browser", "--profile", prof, "--label-filter", labels.Placeholders)
	if r.exit != runner.ExitPassed || strings.Contains(r.output, "not checkable, by reason") {
		t.Fatalf("exit %d, want 0 with every placeholder spec checked:\n%s", r.exit, lastOutput(r.output))
	}
}
