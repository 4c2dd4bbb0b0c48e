package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/mboxsrc"
	"github.com/prtrack/prtrack/tracker"
)

const (
	base = "5f0e2a1c9b7d4e3f8a6b2c1d0e9f8a7b6c5d4e3f"
	tip  = "8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"
)

// mail builds one message in mboxrd form with its separator line.
func mail(id, subject, inReplyTo, body string) string {
	var b strings.Builder
	b.WriteString("From mboxrd@z Thu Jan  1 00:00:00 1970\n")
	fmt.Fprintf(&b, "From: Dev <dev@example.org>\nTo: linux-rdma@vger.kernel.org\nSubject: %s\n", subject)
	b.WriteString("Date: Tue, 14 Nov 2023 10:12:01 +0200\n")
	if id != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\n", id)
	}
	if inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\nReferences: <%s>\n", inReplyTo, inReplyTo)
	}
	b.WriteString("\n" + body + "\n")
	return b.String()
}

func pullBody(ref string) string {
	return "Hi,\n\nThe following changes since commit " + base + ":\n\n  Linux 6.7-rc1 (2023-11-12 16:19:07 -0800)\n\n" +
		"are available in the Git repository at:\n\n  https://git.kernel.org/pub/scm/linux/kernel/git/leon/linux.git " + ref + "\n\n" +
		"for you to fetch changes up to " + tip + ":\n\n  RDMA/efa: Fix it (2023-11-13 09:25:10 +0200)\n\n" +
		"----------------------------------------------------------------\nDev (1):\n      RDMA/efa: Fix it\n\n" +
		" drivers/infiniband/hw/efa/efa_main.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n"
}

func openStore(t *testing.T) *tracker.Store {
	t.Helper()
	st, err := tracker.Open(filepath.Join(t.TempDir(), "prtrack.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// ingestFile runs one ingest of path from its stored checkpoint.
func ingestFile(t *testing.T, st *tracker.Store, path string) *Stats {
	t.Helper()
	key, err := mboxsrc.KeyFor(path)
	if err != nil {
		t.Fatal(err)
	}
	var ck []byte
	st.View(func(tx *tracker.Tx) error { ck, _ = tx.Position(key); return nil })
	src, err := mboxsrc.Open(context.Background(), path, ck, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	stats, err := Run(context.Background(), st, src, &Options{BatchMessages: 2})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return stats
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

func TestIngestIncremental(t *testing.T) {
	st := openStore(t)
	path := filepath.Join(t.TempDir(), "list.mbox")
	writeFile(t, path, mail("pr1@example.org", "[GIT PULL] efa fixes", "", pullBody("tags/efa-fixes"))+
		mail("patch@example.org", "[PATCH] RDMA/core: tidy", "", "just a patch\n")+
		mail("r1@example.org", "Re: [GIT PULL] efa fixes", "pr1@example.org", "> quoted\n\nThanks, pulled.\n"))

	s := ingestFile(t, st, path)
	if s.Read != 3 || s.New != 3 || s.PullRequests != 1 || s.Replies != 1 || len(s.Skipped) != 0 {
		t.Fatalf("first run: %+v", s)
	}
	if s = ingestFile(t, st, path); s.Read != 0 {
		t.Fatalf("second run read %d messages, want 0", s.Read)
	}
	// A reply to the reply joins the same thread; a new pull request too.
	appendFile(t, path, mail("r2@example.org", "Re: Re: [GIT PULL] efa fixes", "r1@example.org", "Second thoughts.\n")+
		mail("pr2@example.org", "[GIT PULL v2] efa fixes", "", pullBody("tags/efa-fixes-v2")))
	s = ingestFile(t, st, path)
	if s.Read != 2 || s.New != 2 || s.PullRequests != 1 || s.Replies != 1 {
		t.Fatalf("after append: %+v", s)
	}
	st.View(func(tx *tracker.Tx) error {
		replies, err := tx.Replies(1)
		if err != nil || len(replies) != 2 || replies[1].FirstLines[0] != "Second thoughts." {
			t.Errorf("replies of #1 = %+v, %v", replies, err)
		}
		rec, err := tx.PullRequest(2)
		if err != nil || rec.Pull.Version != 2 || rec.Pull.Ref != "tags/efa-fixes-v2" {
			t.Errorf("pull request #2 = %+v, %v", rec, err)
		}
		return nil
	})
}

func TestIngestRewrittenFileRecordsNothingTwice(t *testing.T) {
	st := openStore(t)
	path := filepath.Join(t.TempDir(), "list.mbox")
	a := mail("a@example.org", "[GIT PULL] a", "", pullBody("a"))
	b := mail("b@example.org", "b", "", "b\n")
	writeFile(t, path, a+b)
	ingestFile(t, st, path)
	c := mail("c@example.org", "c", "", "c\n")
	writeFile(t, path, c+b+a) // rewritten: new order, one new message
	s := ingestFile(t, st, path)
	if s.Read != 3 || s.New != 1 || s.Duplicates != 2 || s.PullRequests != 0 {
		t.Fatalf("rewritten file: %+v", s)
	}
}

// TestIngestBadInput feeds each kind of damaged input in one file: each
// is counted and reported with where it was, everything else recorded.
func TestIngestBadInput(t *testing.T) {
	st := openStore(t)
	path := filepath.Join(t.TempDir(), "bad.mbox")
	good := mail("good@example.org", "[GIT PULL] good", "", pullBody("good"))
	writeFile(t, path, good)
	if s := ingestFile(t, st, path); s.PullRequests != 1 {
		t.Fatalf("setup: %+v", s)
	}
	// A second file, damaged in every way: junk before the first
	// separator, a message without header, a 5 MB header block, an
	// unknown charset with a Date that does not parse, a Message-ID
	// reused for other content, binary bytes inside a body, and a
	// truncated last message.
	bad := filepath.Join(t.TempDir(), "bad.mbox")
	writeFile(t, bad, "\x00\x01binary junk\xff\n\n"+
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n\njust a body, no header\n\n"+
		"From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <huge@example.org>\nX-Junk: "+strings.Repeat("x", 5<<20)+"\n\nbody\n\n"+
		"From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <charset@example.org>\nSubject: [GIT PULL] odd\nDate: not a date\n"+
		"Content-Type: text/plain; charset=x-unknown\n\n"+pullBody("odd")+"\n"+
		mail("good@example.org", "[GIT PULL] good", "", "other content under a reused Message-ID\n")+
		mail("after@example.org", "after", "", "binary \x00\x01\xfe\xff inside\n")+
		"From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <truncated@example.org>\nSubject: cut")
	path = bad
	s := ingestFile(t, st, path)
	reasons := map[string]bool{}
	for _, sk := range s.Skipped {
		if sk.Where == "" {
			t.Errorf("skip without a position: %+v", sk)
		}
		reasons[sk.Reason] = true
	}
	for _, want := range []string{"before the first", "no header fields", "header block too large", "different content"} {
		found := false
		for r := range reasons {
			found = found || strings.Contains(r, want)
		}
		if !found {
			t.Errorf("no skip saying %q; skips: %+v", want, s.Skipped)
		}
	}
	// The odd-charset pull request with a bad Date, the message after
	// the damage and the truncated last one are recorded.
	if s.PullRequests != 1 || s.New != 3 {
		t.Errorf("stats = %+v, want the odd-charset pull request and 3 new messages", s)
	}
	st.View(func(tx *tracker.Tx) error {
		rec, err := tx.PullRequest(1)
		if err != nil || rec.Pull.Ref != "good" {
			t.Errorf("first pull request changed: %+v, %v", rec, err)
		}
		raw, _ := tx.RawMessage(1)
		if !bytes.Contains(raw, []byte("tags")) && !bytes.Contains(raw, []byte(" good\n")) {
			t.Errorf("raw message of #1 changed")
		}
		return nil
	})
}

func TestIngestStopsCleanlyOnCancel(t *testing.T) {
	st := openStore(t)
	path := filepath.Join(t.TempDir(), "list.mbox")
	var all strings.Builder
	for i := range 10 {
		all.WriteString(mail(fmt.Sprintf("m%d@example.org", i), "m", "", "x\n"))
	}
	writeFile(t, path, all.String())
	src, err := mboxsrc.Open(context.Background(), path, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := Run(ctx, st, src, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with a cancelled context: %v", err)
	}
	if s := ingestFile(t, st, path); s.New != 10 {
		t.Fatalf("after a cancelled run, the next run recorded %d, want 10", s.New)
	}
}

var corpus2022 = filepath.Join("..", "..", "..", "shared", "corpus", "linux-rdma-2022.mbox.gz")

func skipWithoutCorpus(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(corpus2022); err != nil {
		t.Skipf("real-mail corpus not found at %s (it lives beside the project, not in it); skipping", corpus2022)
	}
}

// TestIngestCorpus2022 ingests a whole year of real list traffic. The
// archive holds 7,105 messages under 7,088 distinct Message-IDs: 16
// were delivered twice with the same body and one Message-ID was reused
// for different content.
func TestIngestCorpus2022(t *testing.T) {
	skipWithoutCorpus(t)
	st := openStore(t)
	s := ingestFile(t, st, corpus2022)
	if s.Read != 7105 || s.New != 7088 || s.Duplicates != 16 || len(s.Skipped) != 1 || s.PullRequests != 25 {
		t.Fatalf("stats = read %d new %d dup %d skipped %d prs %d", s.Read, s.New, s.Duplicates, len(s.Skipped), s.PullRequests)
	}
	if s.Replies < 25 {
		t.Errorf("only %d replies attached", s.Replies)
	}
	if again := ingestFile(t, st, corpus2022); again.Read != 0 {
		t.Errorf("second run read %d", again.Read)
	}
}

// TestIngestCorpusAppend copies the first part of the 2022 file, ingests
// it, appends the rest and checks that only the rest is read.
func TestIngestCorpusAppend(t *testing.T) {
	skipWithoutCorpus(t)
	all := gunzip(t, corpus2022)
	cut := bytes.Index(all[len(all)/2:], []byte("\nFrom mboxrd@z")) + len(all)/2 + 1
	path := filepath.Join(t.TempDir(), "copy.mbox")
	writeFile(t, path, string(all[:cut]))
	st := openStore(t)
	first := ingestFile(t, st, path)
	appendFile(t, path, string(all[cut:]))
	second := ingestFile(t, st, path)
	if first.Read+second.Read != 7105 || first.PullRequests+second.PullRequests != 25 {
		t.Fatalf("first %+v, second %+v", first, second)
	}
}

func gunzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReplyJoinsTheNearestPullRequest: v2 of a pull request is posted
// in reply to v1; a reply whose References end with v2 belongs to v2,
// even without In-Reply-To.
func TestReplyJoinsTheNearestPullRequest(t *testing.T) {
	st := openStore(t)
	path := filepath.Join(t.TempDir(), "list.mbox")
	reply := strings.Replace(mail("r@example.org", "Re: [GIT PULL v2] efa", "", "Pulled, thanks.\n"),
		"Date:", "References: <v1@example.org> <v2@example.org>\nDate:", 1)
	writeFile(t, path, mail("v1@example.org", "[GIT PULL] efa", "", pullBody("v1"))+
		mail("v2@example.org", "[GIT PULL v2] efa", "v1@example.org", pullBody("v2"))+reply)
	if s := ingestFile(t, st, path); s.PullRequests != 2 || s.Replies != 1 {
		t.Fatalf("stats = %+v", s)
	}
	st.View(func(tx *tracker.Tx) error {
		if id, _ := tx.ThreadOf("r@example.org"); id != 2 {
			t.Errorf("the reply joined pull request %d, want 2 (v2)", id)
		}
		return nil
	})
}
