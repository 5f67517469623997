// Package cli is the one flag convention every kconform command follows:
// -h, -help or --help prints the command's usage on stdout and exits 0; a
// bad flag, value or argument prints "kconform <cmd>: <problem>" on stderr,
// then "(kconform <cmd> -h lists the flags)", and exits 2; environment
// variables are read only through the getenv a command's loader is given,
// and a flag always wins over its variable.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// ExitUsage is the exit code of a bad flag, value or argument.
const ExitUsage = 2

// Parse parses args with fs, which prints nothing: it returns flag.ErrHelp
// for -h, -help or --help and the flag package's error for a bad flag or
// value, for Report to print once.
func Parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // the caller prints the usage, on stdout
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errors.New(flagWords(fs, err.Error()))
}

// Unexpected is the error of an argument a command does not take.
func Unexpected(cmd, arg string) error {
	return fmt.Errorf("unexpected argument %q: kconform %s takes flags only", arg, cmd)
}

// Given is the set of flags the command line set, by name: a flag given,
// even empty, wins over its variable.
func Given(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// Pick is the flag's value when the command line gave it, else the
// variable's (through getenv); fromFlag says which, for messages.
func Pick(given map[string]bool, name, flagValue, env string, getenv func(string) string) (value string, fromFlag bool) {
	if given[name] {
		return flagValue, true
	}
	if env == "" {
		return "", false
	}
	return getenv(env), false
}

// Report prints the outcome of a command's loader the one way and returns
// the exit code: the usage on stdout and 0 for flag.ErrHelp, the problem on
// stderr and ExitUsage otherwise. A problem of several lines (a list) is
// printed under "kconform <cmd>: bad usage:".
func Report(cmd string, err error, usage func(io.Writer), stdout, stderr io.Writer) int {
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout)
		return 0
	}
	// A list of one problem (errors.Join, target.UsageError) is that problem.
	if list, ok := err.(interface{ Unwrap() []error }); ok && len(list.Unwrap()) == 1 {
		err = list.Unwrap()[0]
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		msg = "bad usage:\n" + msg
	}
	fmt.Fprintf(stderr, "kconform %s: %s\n(kconform %s -h lists the flags)\n", cmd, msg, cmd)
	return ExitUsage
}

// flagProblems are the flag package's messages, which spell a flag -name,
// and the same problem in the --name spelling the usage and every other
// message use.
var flagProblems = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^flag provided but not defined: -+(.*)$`), "unknown flag --$1"},
	{regexp.MustCompile(`^flag needs an argument: -+(.*)$`), "--$1 needs a value"},
	{regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([^:]*): (.*)$`), "--$2 $1: $3"},
	{regexp.MustCompile(`^invalid boolean flag -*([^:]*): (.*)$`), "--$1: $2"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "$1 is not a flag (write --name or --name=value)"},
}

// flagWords is a flag package message in the user's words. Its "parse
// error" for a number or duration becomes an example: the flag's default.
func flagWords(fs *flag.FlagSet, msg string) string {
	for _, p := range flagProblems {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		out := p.re.ReplaceAllString(msg, p.with)
		if rest, ok := strings.CutSuffix(out, ": parse error"); ok {
			out = rest + ": not a value of this flag"
			if f := fs.Lookup(m[2]); f != nil && f.DefValue != "" {
				out += " (its default is " + f.DefValue + ")"
			}
		}
		return strings.Replace(out, ": value out of range", ": out of range", 1)
	}
	return msg
}
