package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/ingest"
	"github.com/prtrack/prtrack/tracker/review"
)

// result is what one run of the command line printed.
type result struct {
	code     int
	out, err string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(t.TempDir(), "config"))
	code := Main(context.Background(), args, &IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return result{code, out.String(), errb.String()}
}

const (
	testBase = "5f0e2a1c9b7d4e3f8a6b2c1d0e9f8a7b6c5d4e3f"
	testTip  = "8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"
)

func testMail(id, subject, inReplyTo, body string) string {
	s := "From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Dev <dev@example.org>\nTo: Jason Gunthorpe <jgg@nvidia.com>\nSubject: " + subject +
		"\nDate: Tue, 14 Nov 2023 10:12:01 +0200\nMessage-ID: <" + id + ">\n"
	if inReplyTo != "" {
		s += "In-Reply-To: <" + inReplyTo + ">\n"
	}
	return s + "\n" + body + "\n\n"
}

func testPull(ref string) string {
	return "The following changes since commit " + testBase + ":\n\n  Linux 6.7-rc1 (2023-11-12 16:19:07 -0800)\n\n" +
		"are available in the Git repository at:\n\n  https://git.kernel.org/pub/scm/linux/kernel/git/leon/linux.git " + ref + "\n\n" +
		"for you to fetch changes up to " + testTip + ":\n\n  RDMA/efa: Fix it (2023-11-13 09:25:10 +0200)\n"
}

func testMbox(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "list.mbox")
	content := testMail("pr@example.org", "[GIT PULL v2] efa for-next", "", testPull("tags/efa-next")) +
		testMail("patch@example.org", "[PATCH] x", "", "a patch") +
		testMail("reply@example.org", "Re: [GIT PULL v2] efa for-next", "pr@example.org", "Thanks, pulled.")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUsageAndExitStatus(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: prtrack"},
		{[]string{"help"}, 0, "commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"parse", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"parse", "--help"}, 0, "usage: prtrack parse"},
		{[]string{"ingest"}, 2, "give one of --mbox, --public-inbox or --imap"},
		{[]string{"ingest", "--help"}, 0, "--mbox"},
		{[]string{"show"}, 2, "give one pull request"},
		{[]string{"parse", "/no/such/file.mbox"}, 1, "no such file"},
	}
	for _, tt := range tests {
		r := run(t, "", tt.args...)
		if r.code != tt.code || !strings.Contains(r.out+r.err, tt.want) {
			t.Errorf("prtrack %q: exit %d, output %q; want exit %d and %q", tt.args, r.code, r.out+r.err, tt.code, tt.want)
		}
	}
}

func TestParseJSON(t *testing.T) {
	mbox := testMbox(t)
	r := run(t, "", "parse", "--json", mbox)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1 pull request:\n%s", len(lines), r.out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"message_id": "pr@example.org", "subject": "[GIT PULL v2] efa for-next",
		"from": "Dev <dev@example.org>", "date": "2023-11-14T10:12:01+02:00", "ref": "tags/efa-next",
		"url":  "https://git.kernel.org/pub/scm/linux/kernel/git/leon/linux.git",
		"base": testBase, "tip": testTip, "version": float64(2)}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	// Standard input works too.
	raw, _ := os.ReadFile(mbox)
	if r := run(t, string(raw), "parse"); r.code != 0 || !strings.Contains(r.out, "tags/efa-next") {
		t.Errorf("parse from stdin: exit %d, %q %q", r.code, r.out, r.err)
	}
}

func TestIngestListShow(t *testing.T) {
	mbox := testMbox(t)
	db := filepath.Join(t.TempDir(), "db")
	r := run(t, "", "ingest", "--db", db, "--mbox", mbox)
	for _, want := range []string{"messages read     3", "pull requests     1 new", "replies attached  1"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("ingest output lacks %q:\n%s%s", want, r.out, r.err)
		}
	}
	if r = run(t, "", "ingest", "--db", db, "--mbox", mbox); !strings.Contains(r.out, "messages read     0") {
		t.Errorf("second ingest:\n%s", r.out)
	}
	r = run(t, "", "list", "--db", db, "--json")
	var rec review.PullView
	if err := json.Unmarshal([]byte(r.out), &rec); err != nil || rec.ID != 1 || rec.Ref != "tags/efa-next" ||
		rec.Role != tracker.RoleIncoming || rec.MessageID != "pr@example.org" || rec.State != tracker.StateNew {
		t.Errorf("list --json: %v %+v", err, rec)
	}
	for _, arg := range []string{"1", "<pr@example.org>", "reply@example.org"} {
		r = run(t, "", "show", "--db", db, arg)
		if r.code != 0 || !strings.Contains(r.out, "Thanks, pulled.") || !strings.Contains(r.out, "received") {
			t.Errorf("show %s: exit %d\n%s%s", arg, r.code, r.out, r.err)
		}
	}
	if r = run(t, "", "show", "--db", db, "42"); r.code != 1 || !strings.Contains(r.err, "no pull request 42") {
		t.Errorf("show 42: exit %d %q", r.code, r.err)
	}
}

func TestDatabaseErrors(t *testing.T) {
	mbox := testMbox(t)
	db := filepath.Join(t.TempDir(), "db")
	st, err := tracker.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "ingest", "--db", db, "--mbox", mbox)
	st.Close()
	if r.code != 1 || !strings.Contains(r.err, "database is in use by another prtrack") {
		t.Errorf("locked database: exit %d, %q", r.code, r.err)
	}
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notDB, []byte("my notes, not a database\n"), 0o600)
	r = run(t, "", "list", "--db", notDB)
	if r.code != 1 || !strings.Contains(r.err, "not a prtrack database") {
		t.Errorf("not a database: exit %d, %q", r.code, r.err)
	}
	if b, _ := os.ReadFile(notDB); string(b) != "my notes, not a database\n" {
		t.Errorf("the file was changed: %q", b)
	}
}

func TestConfigFileSetsDatabase(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	db := filepath.Join(dir, "from-config.db")
	os.WriteFile(cfg, []byte("[prtrack]\n\tdatabase = "+db+"\n"), 0o600)
	if r := run(t, "", "ingest", "--config", cfg, "--mbox", testMbox(t)); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("database not created where the config says: %v", err)
	}
}

func TestDemo(t *testing.T) {
	if err := gitfixture.CheckDaemon(); err != nil {
		if os.Getenv("PRTRACK_REQUIRE_SERVERS") != "" {
			t.Fatalf("git daemon required: %v", err)
		}
		t.Skipf("the demo needs git daemon: %v", err)
	}
	r := run(t, "", "demo")
	if r.code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	for _, want := range []string{
		"pull requests     13 new", "messages read     0", // the first run reads the list, the second nothing new
		"#1   PULLED", "#2   WAITING", "#3   REJECTED", "out-of-scope", "uapi-change", "tip-mismatch", "#7   UNCHECKED",
		"late for v6.10", "X-Prtrack-Kind: waiting", "X-Prtrack-Kind: rejected", "X-Prtrack-Kind: late",
		"X-Prtrack-Kind: unchecked", "X-Prtrack-Kind: merged", "merged into linus heads/master", "waiting -> clean",
		"superseded    1 #8", "supersedes #8", "incoming  superseded", "incoming  new (history)",
		"upstream  new", "foreign   new", "#10   new -> merged", "drafted       0",
		// trust: Leon's tag verifies against the demo's key directory;
		// Saeed does not maintain mlx5, and his reply says so.
		"tag signed by ", " (Leon Romanovsky <leon@example.org>)",
		"sender-not-maintainer saeed@example.org maintains no MAINTAINERS section", "though it does not stop the pull request",
		"conflicts with 20261103101500.mlx5-next@example.org in:", "#1 and #2: drivers/infiniband/hw/mlx5/main.c",
		// volatile.conflictReply is on in the demo: both senders get a draft.
		"about the conflicts (prtrack replies to review and send)", "X-Prtrack-Kind: conflict",
		"does not merge with another pull request waiting for the same merge",
		"profile    shared", "ref tags/mlx5-next-rebased fit the shared profile", "shared: rejected: rebased-shared",
		"Do not rebase the shared branch: commit",
		"profile    rdma-core", "is in rdma-core", "rdma-core: accepted, clean",
		"to browse them live: prtrack serve --config", "files under",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	// Nothing is drafted to history, to our own pull to Linus, to another
	// subsystem's pull request or to the superseded v1.
	for _, never := range []string{"Re: [GIT PULL] bnxt_re", "Re: [GIT PULL] NFS/RDMA", "Re: [GIT PULL] Please pull RDMA",
		"#8  waiting", "#8  accepted"} {
		if strings.Contains(r.out, never) {
			t.Errorf("demo drafted a reply it must not: %q", never)
		}
	}
}

func TestProgressOnlyOnTerminals(t *testing.T) {
	var b bytes.Buffer
	if isTerminal(&b) {
		t.Error("a buffer is not a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "err")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is not a terminal")
	}
	progressPrinter(&b, time.Now().Add(-2*time.Second))(ingest.Stats{Read: 1000, Bytes: 10e6})
	if got := b.String(); !strings.Contains(got, "1000 messages") || !strings.Contains(got, "msg/s") || !strings.Contains(got, "MB/s") {
		t.Errorf("progress line = %q", got)
	}
}
