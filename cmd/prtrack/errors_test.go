package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// packagePrefix matches the package names errors start with.
var packagePrefix = regexp.MustCompile(`\b(gitcheck|publicinbox|imapsrc|mboxsrc|outbox|reply|tracker|config|volatile|ingest|review|certpool): `)

// TestErrorsNameTheirPackageOnce: a failing command's message says
// which package failed once, not "publicinbox: mirror: publicinbox: ...".
func TestErrorsNameTheirPackageOnce(t *testing.T) {
	nothing := httptest.NewServer(http.NotFoundHandler())
	defer nothing.Close()
	dir := t.TempDir()
	notInbox := filepath.Join(dir, "not-an-inbox")
	os.MkdirAll(notInbox, 0o755)
	db := filepath.Join(dir, "prtrack.db")
	for _, args := range [][]string{
		{"mirror", nothing.URL + "/linux-rdma", filepath.Join(dir, "mirror")},
		{"mirror", "ftp://example.org/linux-rdma", filepath.Join(dir, "mirror")},
		{"ingest", "--db", db, "--public-inbox", notInbox},
		{"ingest", "--db", db, "--mbox", filepath.Join(dir, "absent.mbox")},
		{"replies", "--db", db, "show", "7"},
	} {
		var out, errOut bytes.Buffer
		if code := Main(context.Background(), args, &IO{Out: &out, Err: &errOut}); code == 0 {
			t.Errorf("%v succeeded", args)
			continue
		}
		msg := errOut.String()
		seen := map[string]bool{}
		for _, m := range packagePrefix.FindAllStringSubmatch(msg, -1) {
			if seen[m[1]] {
				t.Errorf("%s: %q names %s twice", strings.Join(args, " "), msg, m[1])
			}
			seen[m[1]] = true
		}
	}
}
