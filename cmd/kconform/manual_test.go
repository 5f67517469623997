package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kconform/kconform/suites/framework"
	"github.com/kconform/kconform/suites/runner"
)

// person is a scripted person at the terminal of `kconform run --consumer
// manual`: it reads the instructions from the run's stderr and does what
// they say in a browser that follows redirects (http.Client), nothing more.
// lazy reads and does nothing.
func person(t *testing.T, stderr io.Reader, out io.Writer, lazy bool) (opened, acted int) {
	browser := &http.Client{Timeout: 10 * time.Second}
	page := ""
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := sc.Text()
		_, _ = io.WriteString(out, line+"\n")
		text, ok := strings.CutPrefix(line, framework.ManualPrefix)
		if !ok || lazy {
			continue
		}
		switch {
		case strings.HasPrefix(text, "open this payment page"):
			page = "" // the URL is on the next line
		case page == "" && strings.HasPrefix(text, "  http"):
			page = strings.TrimSpace(text)
			resp, err := browser.Get(page)
			if err != nil {
				t.Errorf("the person could not open %s: %v", page, err)
				continue
			}
			resp.Body.Close()
			opened++
		case strings.HasPrefix(text, "on that page ("):
			action := text[strings.LastIndex(text, "choose: ")+len("choose: "):]
			resp, err := browser.PostForm(page+"/"+action, url.Values{})
			if err != nil {
				t.Errorf("the person could not choose %s on %s: %v", action, page, err)
				continue
			}
			resp.Body.Close()
			acted++
		}
	}
	return opened, acted
}

// manualRun runs `kconform run --consumer manual args` against the
// built-in mock with a scripted person reading its instructions.
func manualRun(t *testing.T, lazy bool, args ...string) (childRun, int, int) {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args = append([]string{"--no-color", "--consumer", "manual"}, args...)
	cmd := childCommand(ctx, dir, nil, args...)
	var out bytes.Buffer
	var mu sync.Mutex
	cmd.Stdout = writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) })
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	must(t, cmd.Start())
	var opened, acted int
	done := make(chan struct{})
	go func() {
		defer close(done)
		opened, acted = person(t, stderr, writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) }), lazy)
	}()
	<-done
	_ = cmd.Wait()
	r := childRun{dir: dir, output: out.String(), exit: -1}
	if code, err := os.ReadFile(dir + "/exit"); err == nil {
		r.exit, _ = strconv.Atoi(string(code))
	}
	return r, opened, acted
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestManualConsumer: a scripted person who follows the printed
// instructions (open this URL, choose this) runs the placeholder and HPP
// lifecycle specs to a pass; the specs that need a page's HTTP answer are
// not checkable, saying so. A person who does nothing fails the spec once
// --manual-timeout is up, saying what was not done.
func TestManualConsumer(t *testing.T) {
	t.Parallel()
	r, opened, acted := manualRun(t, false, "--label-filter", "placeholders || (hpp && lifecycle && consumer)")
	wantExit(t, r, runner.ExitPassed, "kconform run")
	if opened == 0 || acted == 0 || !strings.Contains(r.output, "█") {
		t.Errorf("the person opened %d pages and acted %d times; QR code shown: %v", opened, acted, strings.Contains(r.output, "█"))
	}
	if !strings.Contains(r.output, "a person cannot report: run it with --consumer http") {
		t.Errorf("the specs that need a page's answer should be not checkable, naming --consumer http:\n%s", lastOutput(r.output))
	}
	t.Logf("the scripted person opened %d pages and took %d actions", opened, acted)

	// a person who does nothing says nothing of the target: the rule is
	// not checkable, no finding, nothing broken
	lazy, _, _ := manualRun(t, true, "--focus", "MUST fill only {{session_id}} in the back URL", "--manual-timeout", "1s")
	if lazy.exit == runner.ExitFailed || !strings.Contains(lazy.output, framework.SkipNoManualAction) || !strings.Contains(lazy.output, "did not open the page of HPP session") ||
		strings.Contains(lazy.output, "distinct defects") || strings.Contains(lazy.output, "breaks 1 rule") {
		t.Errorf("a person who does nothing: exit %d, want the rule not checkable (%q) and no finding:\n%s", lazy.exit, framework.SkipNoManualAction, lastOutput(lazy.output))
	}
}
