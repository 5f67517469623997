package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestDispatch(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := dispatch(nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage: kconform") {
		t.Errorf("no command: %d %q", code, errOut.String())
	}
	out.Reset()
	if code := dispatch([]string{"help"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "mock") {
		t.Errorf("help: %d %q", code, out.String())
	}
	errOut.Reset()
	if code := dispatch([]string{"frobnicate"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut.String())
	}
	for _, name := range []string{"mock", "version"} {
		if commands[name] == nil {
			t.Errorf("command %s is not registered", name)
		}
	}
	if !strings.HasPrefix(versionString(), "kconform ") {
		t.Errorf("version %q", versionString())
	}
}
