package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestCommandTable: every command in the table has a unique name, a
// summary and a run function, shows in the usage and answers --help.
func TestCommandTable(t *testing.T) {
	seen := map[string]bool{}
	var usage bytes.Buffer
	printUsage(&usage)
	for _, c := range commandTable() {
		if seen[c.name] || c.summary == "" || c.run == nil {
			t.Errorf("command %q: duplicate, or no summary or run function", c.name)
		}
		seen[c.name] = true
		if !strings.Contains(usage.String(), "  "+c.name+" ") {
			t.Errorf("usage does not list %q", c.name)
		}
		var out, errOut bytes.Buffer
		if code := Main(context.Background(), []string{c.name, "--help"}, &IO{Out: &out, Err: &errOut}); code != 0 {
			t.Errorf("%s --help: exit %d: %s", c.name, code, errOut.String())
		}
		if !strings.HasPrefix(out.String(), "usage: prtrack "+c.name) {
			t.Errorf("%s --help printed %q", c.name, out.String())
		}
	}
	if lookup("no-such-command") != nil {
		t.Error("lookup found a command that does not exist")
	}
}
