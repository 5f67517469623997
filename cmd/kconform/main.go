// Command kconform checks Klarna HPP and KP traffic against kconform's
// contract: `kconform run` runs the conformance suites against a target,
// `kconform validate` checks recorded traffic, `kconform mock` serves the
// reference mock, `kconform version` prints the version.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/kconform/kconform/internal/cli"
)

// commands maps a subcommand to its entry point, which returns the exit
// code; run and validate add themselves in init (run.go, validate.go).
var commands = map[string]func(args []string) int{
	"mock":    mockCmd,
	"version": versionCmd,
}

// summaries are the one-line descriptions `kconform help` shows.
var summaries = map[string]string{
	"run":      "run the conformance suites against a target (the built-in mock by default)",
	"validate": "check recorded traffic (HAR, VCR, raw HTTP, JSON) against the contract",
	"mock":     "serve the reference mock of the HPP and KP APIs",
	"version":  "print the version",
}

func main() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) }

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage())
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kconform: unknown command %q\n\n%s", args[0], usage())
		return 2
	}
	return cmd(args[1:])
}

func usage() string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: kconform <command> [flags]\n\ncommands:\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", name, summaries[name])
	}
	b.WriteString("\n`kconform <command> -h` lists a command's flags.\n")
	return b.String()
}

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = ""

func versionCmd(args []string) int { return runVersion(args, os.Stdout, os.Stderr) }

// runVersion is `kconform version`: no flags but -h, no arguments.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kconform version", flag.ContinueOnError)
	err := cli.Parse(fs, args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q: kconform version takes no arguments", fs.Arg(0))
	}
	if err != nil {
		return cli.Report("version", err, func(w io.Writer) {
			fmt.Fprint(w, "usage: kconform version\n\nPrints kconform's version and the Go version it was built with.\n")
		}, stdout, stderr)
	}
	fmt.Fprintln(stdout, versionString())
	return 0
}

// versionString prefers the build-time version, then the module version go
// install records, then the VCS revision of a local build.
func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "" {
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		} else {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v = "devel-" + s.Value[:12]
				}
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	return "kconform " + v + " (" + runtime.Version() + ")"
}
