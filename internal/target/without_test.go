package target

import (
	"slices"
	"strings"
	"testing"
)

func TestWithoutFlagDropsEveryFormAndNothingElse(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"--password", "s3cret", "--target", "http://x"}, []string{"--target", "http://x"}},
		{[]string{"-password=s3cret", "--no-color"}, []string{"--no-color"}},
		{[]string{"--password=s3cret"}, nil},
		// A value that looks like the flag is a value, and a bool flag
		// takes no value.
		{[]string{"--focus", "--password", "-v", "--password", "x", "--label-filter", "a"}, []string{"--focus", "--password", "-v", "--label-filter", "a"}},
		{[]string{"--username", "u", "--procs", "4"}, []string{"--username", "u", "--procs", "4"}},
	}
	for _, c := range cases {
		if got := WithoutFlag(c.in, "password"); !slices.Equal(got, c.want) {
			t.Errorf("WithoutFlag(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestProcsDefaultsByTargetKind(t *testing.T) {
	env := func(string) string { return "" }
	cfg, err := Load(nil, env)
	if err != nil || cfg.Procs != 1 {
		t.Errorf("built-in mock: procs %d (%v), want 1", cfg.Procs, err)
	}
	creds := func(k string) string { return map[string]string{EnvPassword: "p"}[k] }
	cfg, err = Load([]string{"--target", "http://127.0.0.1:9", "--username", "u"}, creds)
	if err != nil || cfg.Procs != 1 {
		t.Errorf("a loopback target: procs %d (%v), want 1", cfg.Procs, err)
	}
	cfg, err = Load([]string{"--target", "https://merchant-mock.example", "--username", "u"}, creds)
	if err != nil || cfg.Procs != DefaultProcs {
		t.Errorf("a target on another host: procs %d (%v), want %d", cfg.Procs, err, DefaultProcs)
	}
	for _, bad := range []string{"0", " "} {
		if _, err := Load([]string{"--procs", bad}, env); err == nil || !IsUsage(err) {
			t.Errorf("--procs %q: %v, want a usage error", bad, err)
		}
	}
	if cfg, err := Load([]string{"--procs", "3"}, env); err != nil || cfg.Procs != 3 {
		t.Errorf("--procs 3: %d %v", cfg.Procs, err)
	}
}

// A flag given empty where empty means nothing is refused, naming it (a
// CI variable left unset ran silently with the default); where empty means
// "none" (a target: the built-in mock; a filter) it is still taken.
func TestEmptyFlagValuesAreRefused(t *testing.T) {
	env := func(string) string { return "" }
	for _, name := range needValue {
		_, err := Load([]string{"--" + name + "="}, env)
		if err == nil || !IsUsage(err) || !strings.Contains(err.Error(), "--"+name+" is given without a value") {
			t.Errorf("--%s=: %v, want a usage error naming it", name, err)
		}
	}
	for _, args := range [][]string{{"--target="}, {"--label-filter="}} {
		if _, err := Load(args, env); err != nil {
			t.Errorf("%v: %v, want accepted", args, err)
		}
	}
}
