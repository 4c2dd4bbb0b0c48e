package sourcetest

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Inbox is a v2 public-inbox made by the real public-inbox tools in a
// temporary directory.
type Inbox struct {
	Dir       string // the inbox directory (holding git/0.git)
	Newsgroup string // its NNTP/IMAP group name
	env       []string
}

// NewInbox runs public-inbox-init -V2 in a temporary directory, with
// PI_CONFIG and HOME there and spam checks off.
func NewInbox(tb testing.TB) *Inbox {
	tb.Helper()
	NeedProgram(tb, "public-inbox-init")
	NeedProgram(tb, "public-inbox-mda")
	home := tb.TempDir()
	ib := &Inbox{
		Dir:       filepath.Join(home, "inbox"),
		Newsgroup: "org.example.rdma",
		env:       append(os.Environ(), "PI_CONFIG="+filepath.Join(home, "config"), "HOME="+home),
	}
	ib.run(tb, nil, "public-inbox-init", "-V2", "-L", "basic", "rdma", ib.Dir,
		"http://example.invalid/rdma", "rdma@example.invalid")
	cfg := filepath.Join(home, "config")
	ib.run(tb, nil, "git", "config", "-f", cfg, "publicinboxmda.spamcheck", "none")
	ib.run(tb, nil, "git", "config", "-f", cfg, "publicinbox.rdma.newsgroup", ib.Newsgroup)
	return ib
}

// Deliver adds messages with public-inbox-mda, one at a time.
func (ib *Inbox) Deliver(tb testing.TB, msgs ...[]byte) {
	tb.Helper()
	for _, m := range msgs {
		ib.run(tb, m, "public-inbox-mda", "--no-precheck")
	}
}

// Remove records the deletion of msg with public-inbox-learn rm --all (a "d"
// commit; history is kept).
func (ib *Inbox) Remove(tb testing.TB, msg []byte) {
	tb.Helper()
	ib.run(tb, msg, "public-inbox-learn", "rm", "--all")
}

// Purge erases msg with public-inbox-purge, rewriting history.
func (ib *Inbox) Purge(tb testing.TB, msg []byte) {
	tb.Helper()
	ib.run(tb, msg, "public-inbox-purge", ib.Dir)
}

// Epoch returns the path of epoch n.
func (ib *Inbox) Epoch(n int) string {
	return filepath.Join(ib.Dir, "git", strconv.Itoa(n)+".git")
}

// ServeIMAP starts public-inbox-imapd on 127.0.0.1 and returns its
// address; the server stops with the test.
func (ib *Inbox) ServeIMAP(tb testing.TB) string {
	tb.Helper()
	NeedProgram(tb, "public-inbox-imapd")
	NeedProgram(tb, "public-inbox-index")
	ib.run(tb, nil, "public-inbox-index", ib.Dir)
	addr := freeAddr(tb)
	cmd := exec.Command("public-inbox-imapd", "-l", "imap://"+addr)
	cmd.Env = ib.env
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		tb.Fatalf("public-inbox-imapd: %v", err)
	}
	tb.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if tb.Failed() {
			tb.Logf("public-inbox-imapd output:\n%s", logs.String())
		}
	})
	WaitListening(tb, addr)
	return addr
}

func (ib *Inbox) run(tb testing.TB, stdin []byte, name string, args ...string) {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(ib.env, "ORIGINAL_RECIPIENT=rdma@example.invalid")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// freeAddr returns a 127.0.0.1 address with a port free right now.
func freeAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// WaitListening waits up to 10 s for a server to accept on addr.
func WaitListening(tb testing.TB, addr string) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("server on %s did not start: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
