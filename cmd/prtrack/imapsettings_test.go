package main

import (
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestIMAPWithoutPassword fails before connecting, saying where the
// password goes.
func TestIMAPWithoutPassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	t.Setenv("PRTRACK_IMAP_PASSWORD", "")
	db := filepath.Join(t.TempDir(), "db")
	r := run(t, "", "ingest", "--db", db, "--imap", "imaps://me@"+ln.Addr().String()+"/INBOX")
	if r.code != 1 || !strings.Contains(r.err, "no IMAP password: set PRTRACK_IMAP_PASSWORD or imap.password") {
		t.Errorf("exit %d, %q", r.code, r.err)
	}
	if conns.Load() != 0 {
		t.Error("connected without a password")
	}
}
