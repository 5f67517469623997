package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kconform/kconform/internal/testkit"
)

// A run that checked nothing must not pass: each of these read fine but
// held nothing to check against the contract (issue 11, item 5).
func TestValidateNothingCheckedIsNotAPass(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	must(t, os.Mkdir(empty, 0o755))
	noRecordings := filepath.Join(dir, "notes")
	writeRecording(t, noRecordings, "README.md", "# not a recording\n")
	for _, tt := range []struct {
		name, path, says string
	}{
		{"empty folder", empty, "a folder with no recording in it"},
		{"folder without recordings", noRecordings, "a folder with no recording in it"},
		{"empty HAR", writeRecording(t, dir, "empty.har", `{"log":{"version":"1.2","entries":[]}}`), "the file holds no entries"},
		{"no exchanges", writeRecording(t, dir, "none.json", `{"exchanges": []}`), "the file holds no entries"},
		{"no recording", writeRecording(t, dir, "hello.json", `{"hello": "world"}`), "no entry is an operation of the contract"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"text", "json", "junit"} {
				code, out, _ := validate(t, "--format", format, tt.path)
				if code != 3 {
					t.Errorf("%s: exit %d; want 3 (nothing checked)\n%s", format, code, out)
				}
				if !strings.Contains(out, tt.path) || !strings.Contains(out, "nothing was checked") || !strings.Contains(out, tt.says) {
					t.Errorf("%s: the report does not name %s and say %q:\n%s", format, tt.path, tt.says, out)
				}
			}
		})
	}
	// An unreadable entry fails the run already (exit 2): not also "nothing checked".
	broken := writeRecording(t, dir, "broken.json", `{"exchanges":[{"method":"GET","url":"`+hppURL+`","status":1e400}]}`)
	if code, out, _ := validate(t, broken); code != 2 || strings.Contains(out, "nothing was checked") ||
		!strings.Contains(out, "status: number out of range or not a whole number") {
		t.Errorf("broken.json: exit %d; want 2, the reason, and no \"nothing was checked\"\n%s", code, out)
	}
	// A file that checked something still passes, and violations win.
	ok := writeRecording(t, dir, "ok.json", exchangesFile(waiting))
	bad := writeRecording(t, dir, "bad.json", exchangesFile(completed, inProgress))
	if code, out, _ := validate(t, ok); code != 0 {
		t.Errorf("ok.json: exit %d\n%s", code, out)
	}
	if code, out, _ := validate(t, bad, filepath.Join(dir, "hello.json")); code != 1 {
		t.Errorf("violations and an unchecked file: exit %d; want 1\n%s", code, out)
	}
}

// A named pipe blocks the open until some process writes to it: validate
// refuses pipes (and devices) named or found in a folder, before opening
// them, with exit 2 (issue 11, item 4).
func TestValidateRefusesPipesAndDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := testkit.Fifo(t, filepath.Join(dir, "capture.har"))
	folder := filepath.Join(dir, "folder")
	writeRecording(t, folder, "ok.json", exchangesFile(waiting))
	inFolder := filepath.Join(folder, "pipe.json")
	testkit.Fifo(t, inFolder)
	socket := filepath.Join(dir, "socket.har")
	if l, err := net.Listen("unix", socket); err == nil {
		defer l.Close()
	}
	for _, tt := range []struct {
		path, named, says string
	}{
		{fifo, fifo, "a named pipe"},
		{folder, inFolder, "a named pipe"},
		{socket, socket, "a socket"},
		{"/dev/zero", "/dev/zero", "a character device"},
	} {
		if _, err := os.Stat(tt.path); err != nil {
			continue
		}
		type result struct {
			code     int
			out, err string
		}
		done := make(chan result, 1)
		go func() {
			code, out, errOut := validate(t, tt.path)
			done <- result{code, out, errOut}
		}()
		select {
		case r := <-done:
			if r.code != 2 {
				t.Errorf("%s: exit %d; want 2\n%s", tt.path, r.code, r.out)
			}
			if !strings.Contains(r.out, tt.named+": not a regular file: "+tt.says) {
				t.Errorf("%s: the report does not name %s as %s:\n%s", tt.path, tt.named, tt.says, r.out)
			}
			// The summary counts the file it reported unreadable above,
			// never "0 unreadable" beside it (review fix2 item 2).
			if !strings.Contains(r.out, ", 1 unreadable (1 file could not be read);") {
				t.Errorf("%s: the summary does not count the unreadable file:\n%s", tt.path, r.out)
			}
		case <-time.After(10 * time.Second):
			// Unblock the reader so the test binary can end.
			if w, err := os.OpenFile(tt.named, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
			t.Fatalf("validate %s still blocked after 10 s", tt.path)
		}
	}
}

// --max-body takes bytes or KiB/MiB/GiB; a body over it fails the run by
// name (issue 11, item 10).
func TestValidateMaxBody(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "16MiB": 16 << 20, "2 KiB": 2048, "1GB": 1 << 30, "64mib": 64 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	dir := t.TempDir()
	path := writeRecording(t, dir, "big.json", exchangesFile(waiting))
	code, out, _ := validate(t, "--max-body", "100", path)
	if code != 1 || !strings.Contains(out, "#0 GET") || !strings.Contains(out, "[body.too-large]") {
		t.Errorf("exit %d; want 1 and body.too-large at #0:\n%s", code, out)
	}
	if code, out, _ := validate(t, path); code != 0 {
		t.Errorf("default --max-body: exit %d\n%s", code, out)
	}
}
