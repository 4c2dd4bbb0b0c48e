package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// smtpSink is an SMTP server on 127.0.0.1 that keeps what it receives.
// While hang is set, it takes a message's data and then never answers,
// like a server that dies after the mail went out: the sender cannot
// know whether it was delivered.
type smtpSink struct {
	addr string
	mu   sync.Mutex
	got  [][]byte
	hang bool
	data chan struct{} // signalled when a message's data arrived
}

func startSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	s := &smtpSink{data: make(chan struct{}, 4)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s}, nil }))
	srv.Domain = "sink.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

type sinkSession struct{ s *smtpSink }

func (ss *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *sinkSession) Reset()                               {}
func (ss *sinkSession) Logout() error                        { return nil }
func (ss *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, b)
	hang := ss.s.hang
	ss.s.mu.Unlock()
	ss.s.data <- struct{}{}
	if hang {
		select {} // never answer: the client is killed meanwhile
	}
	return nil
}

// sinkConfig writes a configuration sending through sink, and returns
// the database and configuration paths.
func sinkConfig(t *testing.T, dir string, sink *smtpSink) (db, cfg string) {
	t.Helper()
	db, cfg = filepath.Join(dir, "db"), filepath.Join(dir, "config")
	host, port, _ := net.SplitHostPort(sink.addr)
	err := os.WriteFile(cfg, []byte("[prtrack]\n\tdatabase = "+db+"\n[sendemail]\n\tsmtpServer = "+host+
		"\n\tsmtpServerPort = "+port+"\n\tsmtpEncryption = none\n\tfrom = Maint <maint@example.org>\n"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return db, cfg
}

// buildBinary builds the real prtrack command for tests that must run
// it as a separate process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "prtrack")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// draftOne records a pull request and a drafted reply to it.
func draftOne(t *testing.T, db string) *reply.Mail {
	t.Helper()
	raw := testMail("pr@example.org", "[GIT PULL] efa for-next", "", testPull("for-next"))
	raw = strings.TrimPrefix(raw, "From mboxrd@z Thu Jan  1 00:00:00 1970\n")
	m, err := mailparse.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	pr := mailparse.Extract(m)
	in := reply.Input{Message: m, Pull: pr, Verdict: reply.Accepted, Readiness: reply.Clean}
	mail, err := reply.Draft(in, reply.Identity{From: mailparse.Address{Name: "Maint", Email: "maint@example.org"},
		List: "linux-rdma@vger.kernel.org"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st, err := tracker.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Update(func(tx *tracker.Tx) error {
		id, err := tx.AddPullRequest(&tracker.PullRequestRecord{MessageID: m.MessageID, Subject: m.Subject, From: m.From, Pull: *pr}, []byte(raw))
		if err != nil {
			return err
		}
		_, err = tx.AddDraft(&tracker.Draft{PRID: id, Kind: mail.Kind, MessageID: mail.MessageID, Raw: mail.Raw, Key: mail.Key})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mail
}

func draftState(t *testing.T, db string) tracker.DraftState {
	t.Helper()
	st, err := tracker.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var state tracker.DraftState
	st.View(func(tx *tracker.Tx) error {
		d, err := tx.Draft(1)
		if err != nil {
			t.Fatal(err)
		}
		state = d.State
		return nil
	})
	return state
}

// TestSendCrashNeverSendsTwice kills the real binary after the SMTP
// server took a reply's data but before it answered: the draft stays
// "sending"; the next run neither loses it nor sends it again until the
// list archive shows it went out.
func TestSendCrashNeverSendsTwice(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	sink := startSMTPSink(t)
	db, cfg := sinkConfig(t, dir, sink)
	mail := draftOne(t, db)
	prtrack := func(ctx context.Context, args ...string) *exec.Cmd {
		c := exec.CommandContext(ctx, bin, append(args, "--config", cfg)...)
		c.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "GIT_CONFIG_GLOBAL=/dev/null")
		return c
	}

	sink.hang = true
	send := prtrack(context.Background(), "replies", "send")
	var out bytes.Buffer
	send.Stdout, send.Stderr = &out, &out
	if err := send.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sink.data:
	case <-time.After(30 * time.Second):
		send.Process.Kill()
		t.Fatalf("the reply never reached the server:\n%s", out.String())
	}
	send.Process.Signal(syscall.SIGKILL)
	send.Wait()
	if s := draftState(t, db); s != tracker.DraftSending {
		t.Fatalf("after the crash the draft is %q, want sending", s)
	}

	sink.mu.Lock()
	sink.hang = false
	sink.mu.Unlock()
	b, err := prtrack(context.Background(), "replies", "send").CombinedOutput()
	if err == nil || !strings.Contains(string(b), "held") || sink.count() != 1 {
		t.Fatalf("second run must hold the reply and fail: %v, %d mails at the server:\n%s", err, sink.count(), b)
	}

	// The list archive shows the reply: ingest marks it delivered.
	archive := filepath.Join(dir, "list.mbox")
	os.WriteFile(archive, append([]byte("From mboxrd@z Thu Jan  1 00:00:00 1970\n"),
		bytes.ReplaceAll(mail.Raw, []byte("\r\n"), []byte("\n"))...), 0o644)
	b, err = prtrack(context.Background(), "ingest", "--mbox", archive).CombinedOutput()
	if err != nil || !strings.Contains(string(b), "our replies seen  1") {
		t.Fatalf("ingest of the archive: %v\n%s", err, b)
	}
	if s := draftState(t, db); s != tracker.DraftDelivered {
		t.Fatalf("after the archive showed it, the draft is %q", s)
	}
	b, _ = prtrack(context.Background(), "replies", "send").CombinedOutput()
	if !strings.Contains(string(b), "nothing to send") || sink.count() != 1 {
		t.Fatalf("third run sent again (%d mails):\n%s", sink.count(), b)
	}
	if len(sink.got) != 1 || !bytes.Contains(sink.got[0], []byte("Message-Id: <"+mail.MessageID+">")) {
		t.Errorf("the server got: %q", sink.got)
	}
}

// TestSendDeliversAndExports goes through list, show, export and send.
func TestSendDeliversAndExports(t *testing.T) {
	dir := t.TempDir()
	sink := startSMTPSink(t)
	db, cfg := sinkConfig(t, dir, sink)
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	mail := draftOne(t, db)
	if r := run(t, "", "replies", "--config", cfg); r.code != 0 || !strings.Contains(r.out, "accepted") {
		t.Fatalf("replies list: %+v", r)
	}
	if r := run(t, "", "replies", "show", "1", "--config", cfg); !strings.Contains(r.out, "In-Reply-To: <pr@example.org>") {
		t.Fatalf("replies show: %+v", r)
	}
	mbox := filepath.Join(dir, "out.mbox")
	if r := run(t, "", "replies", "export", "--mbox", mbox, "--config", cfg); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	if b, _ := os.ReadFile(mbox); !bytes.HasPrefix(b, []byte("From ")) || !bytes.Contains(b, []byte(mail.MessageID)) {
		t.Errorf("exported mbox:\n%s", b)
	}
	// Exported drafts may go out by git send-email: prtrack holds them.
	if r := run(t, "", "replies", "send", "--config", cfg); r.code != 1 || !strings.Contains(r.out, "held") || sink.count() != 0 {
		t.Fatalf("send after export: %+v (%d mails)", r, sink.count())
	}
	if r := run(t, "", "replies", "drop", "1", "--config", cfg); r.code != 1 || !strings.Contains(r.err, "not an unsent draft") {
		t.Fatalf("drop of an exported draft: %+v", r)
	}
	if r := run(t, "", "replies", "send", "--resend", "--config", cfg); r.code != 0 || !strings.Contains(r.out, ": sent") || sink.count() != 1 {
		t.Fatalf("send --resend: %+v (%d mails)", r, sink.count())
	}
	if r := run(t, "", "replies", "send", "--config", cfg); !strings.Contains(r.out, "nothing to send") || sink.count() != 1 {
		t.Fatalf("second send: %+v (%d mails)", r, sink.count())
	}
}
