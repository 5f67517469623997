package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/cli"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/progress"
	"github.com/kconform/kconform/internal/validateout"
	"github.com/kconform/kconform/internal/validaterun"
)

func init() { commands["validate"] = validateCmd }

const validateUsage = `usage: kconform validate [flags] PATH...

Checks recorded traffic against kconform's contract: every exchange of every
file, each HPP session body against the lifecycle rules, and the order of the
HPP session states within a file. PATH is a file or a folder (read
recursively: *.har *.json *.yml *.yaml *.txt *.http). Formats are detected
from the content: HAR 1.1/1.2 (Polly.js too), VCR cassettes, raw HTTP
responses, kconform's JSON exchange format, and JSON body fixtures.

A long run on a terminal shows how far it got on one line of stderr,
cleared before the report ends; never in CI (CI set) or with TERM=dumb.

Files that are not regular files (named pipes, devices, sockets) are
refused, never opened.

Exit status: 0 everything conforms, 1 something does not, 2 an input cannot
be read (or is no regular file) or the command is used wrongly, 3 nothing
was checked in some file or folder: no entries, or none an operation of the
contract (a bare body without --as). 2 wins over 1, 1 over 3.

Flags:
`

func validateCmd(args []string) int {
	return runValidate(args, os.Getenv, os.Stdout, os.Stderr)
}

// validateFlags are the command's options once parsed.
type validateFlags struct {
	format string
	strict bool
	as     string
	// asTarget is --as parsed; nil without it.
	asTarget *audit.Target
	quiet    bool
	workers  int
	// maxBodyFlag is --max-body as given; maxBody is it parsed.
	maxBodyFlag string
	maxBody     int64
	// progressFlag is --progress as given; progress is it parsed.
	progressFlag string
	progress     progress.Mode
	// getenv is the environment the progress line reads (CI, TERM, COLUMNS).
	getenv func(string) string
	paths  []string
}

func runValidate(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fl, err := loadValidate(args, getenv)
	if err != nil {
		return cli.Report("validate", err, validateHelp, stdout, stderr)
	}
	return validaterun.Run(validaterun.Options{
		Paths: fl.paths, Format: fl.format, Strict: fl.strict, Quiet: fl.quiet,
		Workers: fl.workers, MaxBody: fl.maxBody, As: fl.asTarget,
		Progress: fl.progress, Getenv: fl.getenv,
	}, stdout, stderr, func(err error) int {
		return cli.Report("validate", err, validateHelp, stdout, stderr)
	})
}

// loadValidate reads `kconform validate`'s flags and paths (args, without
// the "validate" word); getenv is the environment its progress line reads.
// Flags go before and after the paths; "--" ends the flags. It returns
// flag.ErrHelp for -h and the problem, for cli.Report, for a bad flag,
// value or argument.
func loadValidate(args []string, getenv func(string) string) (validateFlags, error) {
	fl := validateFlags{getenv: getenv}
	var err error
	fs := newValidateFlagSet(&fl)
	rest := args
	for {
		if err = cli.Parse(fs, rest); err != nil {
			return fl, err
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if consumed := len(rest) - len(left); consumed > 0 && rest[consumed-1] == "--" {
			fl.paths = append(fl.paths, left...)
			break
		}
		fl.paths = append(fl.paths, left[0])
		rest = left[1:]
	}
	if len(fl.paths) == 0 {
		return fl, errors.New("no PATH given: name the recordings (files or folders) to check")
	}
	for i, p := range fl.paths {
		if p == "" {
			return fl, fmt.Errorf("PATH %d of %d is empty (''): name a file or folder to check", i+1, len(fl.paths))
		}
	}
	if fl.workers < 0 {
		return fl, errors.New("--workers must not be negative")
	}
	if fl.maxBody, err = parseSize(fl.maxBodyFlag); err != nil {
		return fl, fmt.Errorf("--max-body: %v", err)
	}
	mode, err := progress.ParseMode(fl.progressFlag)
	if err != nil {
		return fl, fmt.Errorf("--progress: %v", err)
	}
	fl.progress = mode
	if cli.Given(fs)["as"] && strings.TrimSpace(fl.as) == "" {
		return fl, errors.New("--as is empty: name what bare entries are, e.g. getSessionById:response:200, or leave the flag out")
	}
	if fl.as != "" {
		t, err := audit.ParseTarget(fl.as)
		if err != nil {
			return fl, fmt.Errorf("--as %v", err)
		}
		// An operation the contract lacks is bad usage too, said before
		// any file is read (audit.New refuses it as well, for its callers).
		if v, err := contract.DefaultValidator(); err == nil && v.Operation(t.Operation) == nil {
			return fl, fmt.Errorf("--as %s: the contract has no operation %q", t, t.Operation)
		}
		fl.asTarget = &t
	}
	return fl, nil
}

// validateHelp prints the usage of `kconform validate`.
func validateHelp(w io.Writer) {
	fmt.Fprint(w, validateUsage)
	fs := newValidateFlagSet(&validateFlags{})
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func newValidateFlagSet(fl *validateFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("kconform validate", flag.ContinueOnError)
	fs.StringVar(&fl.format, "format", "text", "report format: "+strings.Join(validateout.Formats, ", "))
	fs.BoolVar(&fl.strict, "strict", false, "report additions (unknown fields, undocumented statuses, exchanges outside the contract) as violations")
	fs.StringVar(&fl.as, "as", "", "what entries that do not say so are (a bare body, a response saved without its request):\nOPERATION[:request|:response][:STATUS], e.g. getSessionById:response:200")
	fs.BoolVar(&fl.quiet, "quiet", false, "leave out entries that conform with no issue")
	fs.IntVar(&fl.workers, "workers", 0, "entries checked in parallel (default: one per CPU)")
	fs.StringVar(&fl.maxBodyFlag, "max-body", "16MiB", "largest body checked (bytes, or with KiB/MiB/GiB); a larger one is reported as body.too-large,\nnot decoded; checking a body takes up to about 4 times its size in memory")
	fs.StringVar(&fl.progressFlag, "progress", string(progress.ModeAuto), "progress line on stderr: auto (on a terminal, not in CI, not with TERM=dumb), always, never")
	return fs
}

// parseSize reads a byte count: a number, optionally followed by KiB, MiB
// or GiB (or KB, MB, GB, read as the same powers of two).
func parseSize(s string) (int64, error) {
	num := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(strings.ToUpper(num), strings.ToUpper(u.suffix)) {
			num, mult = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(num, "-") || err == nil && n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is too large: at most %d bytes (8 EiB)", s, int64(math.MaxInt64))
	}
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size: want a positive number of bytes, e.g. 16MiB", s)
	}
	return n * mult, nil
}
