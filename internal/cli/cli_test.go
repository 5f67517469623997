package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"testing"
	"time"
)

func TestReport(t *testing.T) {
	usage := func(w io.Writer) { fmt.Fprint(w, "usage: kconform x\n") }
	cases := []struct {
		err            error
		code           int
		stdout, stderr string
	}{
		{flag.ErrHelp, 0, "usage: kconform x\n", ""},
		{errors.New("--n must be positive"), 2, "", "kconform x: --n must be positive\n(kconform x -h lists the flags)\n"},
		// A list of one problem is that problem, not a list.
		{errors.Join(errors.New("--n must be positive")), 2, "", "kconform x: --n must be positive\n(kconform x -h lists the flags)\n"},
		{errors.New("* --a is wrong\n* --b is wrong"), 2, "", "kconform x: bad usage:\n* --a is wrong\n* --b is wrong\n(kconform x -h lists the flags)\n"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := Report("x", c.err, usage, &stdout, &stderr)
		if code != c.code || stdout.String() != c.stdout || stderr.String() != c.stderr {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d, %q, %q", c.err, code, stdout.String(), stderr.String(), c.code, c.stdout, c.stderr)
		}
	}
}

func TestParseIsSilentAndReturnsErrHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"-help"}, {"--help"}} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		var out bytes.Buffer
		fs.SetOutput(&out)
		if err := Parse(fs, args); !errors.Is(err, flag.ErrHelp) || out.Len() != 0 {
			t.Errorf("%q: %v, printed %q; want flag.ErrHelp and nothing printed", args, err, out.String())
		}
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	if err := Parse(fs, []string{"--nope"}); err == nil || errors.Is(err, flag.ErrHelp) {
		t.Errorf("--nope: %v; want a bad-flag error", err)
	}
}

func TestPickPrefersTheFlag(t *testing.T) {
	env := func(k string) string { return map[string]string{"X_USER": "from-env"}[k] }
	for _, c := range []struct {
		args     []string
		want     string
		fromFlag bool
	}{
		{nil, "from-env", false},
		{[]string{"--user", "from-flag"}, "from-flag", true},
		// Given empty, the flag still wins: the command decides what empty means.
		{[]string{"--user="}, "", true},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		user := fs.String("user", "", "")
		_ = Parse(fs, c.args)
		got, fromFlag := Pick(Given(fs), "user", *user, "X_USER", env)
		if got != c.want || fromFlag != c.fromFlag {
			t.Errorf("%q: %q (from flag %v); want %q (%v)", c.args, got, fromFlag, c.want, c.fromFlag)
		}
	}
}

// TestParseSpeaksTheFlagsAsTheUsageDoes: the flag package's messages
// ("flag provided but not defined: -nosuch", "invalid value ... for flag
// -rate-limit: parse error") leaked its single-dash spelling and its
// words; every problem names the flag --name.
func TestParseSpeaksTheFlagsAsTheUsageDoes(t *testing.T) {
	cases := map[string]string{
		"--nosuch":                     "unknown flag --nosuch",
		"-nosuch":                      "unknown flag --nosuch",
		"--wait":                       "--wait needs a value",
		"--wait=soon":                  `--wait "soon": not a value of this flag (its default is 2s)`,
		"--count=x":                    `--count "x": not a value of this flag (its default is 3)`,
		"--count=99999999999999999999": `--count "99999999999999999999": out of range`,
		"--quiet=maybe":                `--quiet "maybe": not a value of this flag (its default is false)`,
		"--rate=fast":                  `--rate "fast": want N/s`,
		"---x":                         "---x is not a flag (write --name or --name=value)",
	}
	for arg, want := range cases {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.Duration("wait", 2*time.Second, "")
		fs.Int("count", 3, "")
		fs.Bool("quiet", false, "")
		fs.Func("rate", "", func(string) error { return errors.New("want N/s") })
		err := Parse(fs, []string{arg})
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", arg, err, want)
		}
	}
}
