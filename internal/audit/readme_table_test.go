package audit

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/testkit"
)

// readmeCommand is a `kconform validate ...` command in docs/validate.md's table
// of shared recordings.
var readmeCommand = regexp.MustCompile("`kconform validate ([^`]*)`")

// The table of shared recordings in docs/validate.md shows the command behind each
// result: its --as must be the one sharedTable checks the file with, and
// every file of sharedTable has a row (issue 11, item 13).
func TestReadmeSharedTableShowsTheCommands(t *testing.T) {
	readme := testkit.ReadFile(t, "../../docs/validate.md")
	_, section, ok := strings.Cut(string(readme), "### What the shared recordings yield")
	if !ok {
		t.Fatal("docs/validate.md has no section \"What the shared recordings yield\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	shown := map[string]string{} // file -> --as of its command
	for _, m := range readmeCommand.FindAllStringSubmatch(section, -1) {
		args := strings.Fields(m[1])
		as := ""
		for i := 0; i < len(args); i++ {
			if args[i] == "--as" && i+1 < len(args) {
				as = args[i+1]
				i++
				continue
			}
			for _, tt := range sharedTable {
				if match, _ := filepath.Match(filepath.Base(args[i]), tt.file); match {
					shown[tt.file] = as
				}
			}
		}
	}
	for _, tt := range sharedTable {
		as, ok := shown[tt.file]
		switch {
		case !ok:
			t.Errorf("%s: no command in docs/validate.md's table", tt.file)
		case as != tt.as:
			t.Errorf("%s: docs/validate.md's command has --as %q; the test checks it with %q", tt.file, as, tt.as)
		}
	}
}

// Each row's result names what the test finds in the file: every default-mode
// violation's pointer (its rule when at the root), so a row cannot drift from
// what its command prints (review fix2 item 3: the kco GetSessionStatusResponse
// row left out the root schema.oneOf).
func TestReadmeSharedTableNamesTheViolations(t *testing.T) {
	readme := testkit.ReadFile(t, "../../docs/validate.md")
	_, section, _ := strings.Cut(string(readme), "### What the shared recordings yield")
	section, _, _ = strings.Cut(section, "\n## ")
	for _, tt := range sharedTable {
		var row string
		for _, line := range strings.Split(section, "\n") {
			for _, m := range readmeCommand.FindAllStringSubmatch(line, -1) {
				for _, arg := range strings.Fields(m[1]) {
					if match, _ := filepath.Match(filepath.Base(arg), tt.file); match {
						row = line
					}
				}
			}
		}
		if row == "" {
			continue // TestReadmeSharedTableShowsTheCommands reports it
		}
		for _, v := range tt.want {
			rule, pointer, _ := strings.Cut(v, "@")
			if pointer == "" {
				pointer = rule
			}
			if !strings.Contains(row, pointer) {
				t.Errorf("%s: docs/validate.md's row does not mention %s (%s):\n%s", tt.file, pointer, v, row)
			}
		}
	}
}
