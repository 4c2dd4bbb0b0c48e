package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
	"github.com/prtrack/prtrack/tracker"
)

// pullIDs returns the Message-IDs of the recorded pull requests.
func pullIDs(t *testing.T, cfg string) []string {
	t.Helper()
	r := run(t, "", "list", "--all", "--json", "--config", cfg)
	var ids []string
	dec := json.NewDecoder(strings.NewReader(r.out))
	for dec.More() {
		var rec struct {
			MessageID string `json:"message_id"`
		}
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("list --json: %v\n%s", err, r.out)
		}
		ids = append(ids, rec.MessageID)
	}
	slices.Sort(ids)
	return ids
}

func configFile(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte("[prtrack]\n\tdatabase = "+filepath.Join(dir, "db")+"\n"+extra), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestPublicInboxCorpusSameAsMbox reads the 2022 archive once as an
// mbox and once as a public-inbox v2 epoch (the layout lore serves,
// written with git fast-import): same messages, same pull requests.
func TestPublicInboxCorpusSameAsMbox(t *testing.T) {
	mbox := sourcetest.CorpusFile(t, "linux-rdma-2022.mbox.gz")
	sourcetest.NeedProgram(t, "git")
	msgs, err := sourcetest.ReadMboxrd(mbox)
	if err != nil {
		t.Fatal(err)
	}
	inbox := t.TempDir()
	epoch := filepath.Join(inbox, "git", "0.git")
	sourcetest.InitEpoch(t, epoch)
	sourcetest.AppendEpoch(t, epoch, sourcetest.MessageCommits(msgs))

	viaMbox, viaInbox := configFile(t, ""), configFile(t, "")
	a := run(t, "", "ingest", "--mbox", mbox, "--config", viaMbox)
	b := run(t, "", "ingest", "--public-inbox", inbox, "--config", viaInbox)
	for _, want := range []string{"messages read     7105", "new               7088", "pull requests     25 new"} {
		if !strings.Contains(a.out, want) || !strings.Contains(b.out, want) {
			t.Errorf("want %q from both:\nmbox:\n%s%s\npublic-inbox:\n%s%s", want, a.out, a.err, b.out, b.err)
		}
	}
	if x, y := pullIDs(t, viaMbox), pullIDs(t, viaInbox); !slices.Equal(x, y) || len(x) != 25 {
		t.Errorf("pull requests differ:\nmbox %q\npublic-inbox %q", x, y)
	}
	if r := run(t, "", "ingest", "--public-inbox", inbox, "--config", viaInbox); !strings.Contains(r.out, "messages read     0") {
		t.Errorf("second public-inbox run:\n%s", r.out)
	}
}

// TestSameMessageFromThreeSources delivers the same real messages to an
// inbox made by the real public-inbox tools, serves it with
// public-inbox-imapd, and appends them to a real Dovecot mailbox: read
// in turn, they are recorded once.
func TestSameMessageFromThreeSources(t *testing.T) {
	msgs := sourcetest.CorpusMessages(t, "pulls-2019-2023.mbox.gz", 40)
	var pulls [][]byte
	for _, m := range msgs {
		if bytes.Contains(m, []byte("are available in the Git repository")) && len(pulls) < 3 {
			pulls = append(pulls, m)
		}
	}
	ib := sourcetest.NewInbox(t)
	ib.Deliver(t, pulls...)
	imapd := ib.ServeIMAP(t)
	dc, ca, appendMail := startDovecot(t)
	for _, m := range pulls {
		appendMail(m)
	}

	cfg := configFile(t, "[imap]\n\tallowPlaintext = true\n\tcaFile = "+ca+"\n")
	t.Setenv("PRTRACK_IMAP_PASSWORD", dc.Password)
	first := run(t, "", "ingest", "--public-inbox", ib.Dir, "--config", cfg)
	if !strings.Contains(first.out, "pull requests     3 new") {
		t.Fatalf("public-inbox:\n%s%s", first.out, first.err)
	}
	for _, u := range []string{"imap://anyone@" + imapd + "/" + ib.Newsgroup, "imaps://" + dc.User + "@" + dc.TLSAddr + "/INBOX"} {
		r := run(t, "", "ingest", "--imap", u, "--config", cfg)
		if r.code != 0 || !strings.Contains(r.out, "messages read     3") || !strings.Contains(r.out, "new               0") ||
			!strings.Contains(r.out, "duplicates        3") {
			t.Errorf("%s:\n%s%s", u, r.out, r.err)
		}
	}
	if ids := pullIDs(t, cfg); len(ids) != 3 {
		t.Errorf("%d pull requests recorded, want 3", len(ids))
	}
}

// TestWatchIngestsNewMail runs "prtrack watch" against a real Dovecot:
// mail appended while it waits (IDLE) is ingested without a restart.
func TestWatchIngestsNewMail(t *testing.T) {
	msgs := sourcetest.CorpusMessages(t, "pulls-2019-2023.mbox.gz", 60)
	var pulls [][]byte
	for _, m := range msgs {
		if bytes.Contains(m, []byte("are available in the Git repository")) {
			pulls = append(pulls, m)
		}
	}
	if len(pulls) < 2 {
		t.Fatalf("corpus sample has %d pull requests", len(pulls))
	}
	dc, ca, appendMail := startDovecot(t)
	appendMail(pulls[0])
	cfg := configFile(t, "[imap]\n\tcaFile = "+ca+"\n")
	t.Setenv("PRTRACK_IMAP_PASSWORD", dc.Password)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out, errb syncBuffer
	go func() {
		done <- Main(ctx, []string{"watch", "--imap", "imaps://" + dc.User + "@" + dc.TLSAddr + "/INBOX", "--config", cfg},
			&IO{In: strings.NewReader(""), Out: &out, Err: &errb})
	}()
	waitFor(t, &errb, "waiting for new mail", 1)
	// Another prtrack holds the database when the mail arrives: watch
	// waits and tries again instead of giving up.
	st, err := tracker.Open(dbOf(t, cfg), nil)
	if err != nil {
		t.Fatal(err)
	}
	appendMail(pulls[1])
	waitFor(t, &errb, "database is in use by another prtrack; trying again", 1)
	st.Close()
	waitFor(t, &errb, "waiting for new mail", 2)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("watch exited %d:\n%s%s", code, out.String(), errb.String())
	}
	if n := strings.Count(out.String(), "pull requests     1 new"); n != 2 {
		t.Errorf("want two rounds each recording one pull request:\n%s", out.String())
	}
	if ids := pullIDs(t, cfg); len(ids) != 2 {
		t.Errorf("%d pull requests recorded, want 2", len(ids))
	}
}

// startDovecot starts a real Dovecot and returns it, the path of its CA
// certificate, and a function appending a message to its INBOX.
func startDovecot(t *testing.T) (*sourcetest.Dovecot, string, func([]byte)) {
	t.Helper()
	dc := sourcetest.StartDovecot(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, dc.Cert.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := imapclient.DialTLS(dc.TLSAddr, &imapclient.Options{TLSConfig: dc.Cert.ClientConfig()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(dc.User, dc.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	return dc, ca, func(m []byte) {
		t.Helper()
		cmd := c.Append("INBOX", int64(len(m)), nil)
		cmd.Write(m)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("APPEND: %v", err)
		}
	}
}

// dbOf returns the database a test configuration file names.
func dbOf(t *testing.T, cfg string) string {
	t.Helper()
	return filepath.Join(filepath.Dir(cfg), "db")
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until text appears n times in b.
func waitFor(t *testing.T, b *syncBuffer, text string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for strings.Count(b.String(), text) < n {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q ×%d:\n%s", text, n, b.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
