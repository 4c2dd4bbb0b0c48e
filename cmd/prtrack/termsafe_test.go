package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestControlCharactersEscaped: a mail whose Subject, From name, ref
// and shortlog carry terminal controls (retitle the window, clear the
// screen, OSC 8 links, a bidi override) prints none of them raw.
func TestControlCharactersEscaped(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\\u202eesrever\u009b31m"
	pull := strings.Replace(testPull("tags/efa-next"), "RDMA/efa: Fix it", "RDMA/efa: "+evil, 1) +
		"\n----------------------------------------------------------------\nDev (1):\n      RDMA/efa: " + evil + "\n"
	mail := "From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: \"Dev " + evil + "\" <dev@example.org>\nSubject: [GIT PULL] " + evil +
		"\nDate: Tue, 14 Nov 2023 10:12:01 +0200\nMessage-ID: <evil@example.org>\n\n" + pull + "\n"
	mbox := filepath.Join(t.TempDir(), "evil.mbox")
	os.WriteFile(mbox, []byte(mail), 0o644)
	db := filepath.Join(t.TempDir(), "db")
	if r := run(t, "", "ingest", "--db", db, "--mbox", mbox); r.code != 0 {
		t.Fatalf("ingest: %d %s", r.code, r.err)
	}
	for _, args := range [][]string{{"list", "--all", "--db", db}, {"show", "--db", db, "1"}, {"parse", mbox}, {"parse", "--json", mbox}} {
		r := run(t, "", args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d %s", args, r.code, r.err)
		}
		if i := strings.IndexFunc(r.out, dangerous); i >= 0 {
			t.Errorf("%v printed %q raw:\n%q", args, []rune(r.out[i:])[0], r.out)
		}
		if !strings.Contains(r.out, `\u001b]0;pwned`) {
			t.Errorf("%v: the escaped subject is missing:\n%s", args, r.out)
		}
	}
}
