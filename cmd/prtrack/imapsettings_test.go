package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// TestIMAPWithoutPassword fails before connecting, saying where the
// password goes.
func TestIMAPWithoutPassword(t *testing.T) {
	lnAddr, conns := sourcetest.CountConns(t)
	t.Setenv("PRTRACK_IMAP_PASSWORD", "")
	db := filepath.Join(t.TempDir(), "db")
	r := run(t, "", "ingest", "--db", db, "--imap", "imaps://me@"+lnAddr+"/INBOX")
	if r.code != 1 || !strings.Contains(r.err, "no IMAP password: set PRTRACK_IMAP_PASSWORD or imap.password") {
		t.Errorf("exit %d, %q", r.code, r.err)
	}
	if conns() != 0 {
		t.Error("connected without a password")
	}
}
