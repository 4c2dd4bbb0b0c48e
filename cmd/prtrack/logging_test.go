package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerboseLogsReachStderr: -v turns the process's one logger on at
// info, and the ingest's notice about a skipped message reaches
// standard error; without -v it does not.
func TestVerboseLogsReachStderr(t *testing.T) {
	t.Setenv("PRTRACK_LOG", "")
	dir := t.TempDir()
	mbox := filepath.Join(dir, "list.mbox")
	// The same Message-ID for two different messages: the second is
	// skipped.
	msg := "From x Thu Jan  1 00:00:00 2026\nMessage-ID: <reused@example.org>\nSubject: %s\n\n%s\n\n"
	os.WriteFile(mbox, []byte(fmt.Sprintf(msg, "one", "first body")+fmt.Sprintf(msg, "two", "another body")), 0o600)
	db := filepath.Join(dir, "prtrack.db")
	for _, verbose := range []bool{false, true} {
		args := []string{"ingest", "--db", db + map[bool]string{false: "1", true: "2"}[verbose], "--mbox", mbox}
		if verbose {
			args = append(args, "-v") // after the command, as with any option
		}
		var out, errOut bytes.Buffer
		if code := Main(context.Background(), args, &IO{Out: &out, Err: &errOut}); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		if got := strings.Contains(errOut.String(), "skipped message"); got != verbose {
			t.Errorf("-v %v: stderr %q; want the skip logged only with -v", verbose, errOut.String())
		}
	}
}

// TestBadLogLevel: an unknown PRTRACK_LOG is a usage error that says
// which values it takes.
func TestBadLogLevel(t *testing.T) {
	t.Setenv("PRTRACK_LOG", "chatty")
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"help"}, &IO{Out: &out, Err: &errOut}); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), `PRTRACK_LOG="chatty": want debug, info, warn or error`) {
		t.Errorf("stderr %q", errOut.String())
	}
}
