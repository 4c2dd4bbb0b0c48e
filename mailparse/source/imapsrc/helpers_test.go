package imapsrc

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// sample returns a small message modelled on list mail (CRLF, as IMAP
// servers store it).
func sample(i int) []byte {
	return fmt.Appendf(nil, "From: Dev %d <dev%d@example.org>\r\n"+
		"To: linux-rdma@vger.kernel.org\r\n"+
		"Subject: [GIT PULL] rdma-next %d\r\n"+
		"Date: Mon, 3 Jan 2022 10:%02d:00 +0000\r\n"+
		"Message-ID: <%d.sample@example.org>\r\n\r\n"+
		"Please pull.\r\n", i, i, i, i%60, i)
}

func samples(from, to int) [][]byte {
	var msgs [][]byte
	for i := from; i < to; i++ {
		msgs = append(msgs, sample(i))
	}
	return msgs
}

// memServer runs go-imap's in-process server on 127.0.0.1 (plaintext,
// optionally with STARTTLS) with user "u", password "p".
func memServer(t *testing.T, tlsConfig *tls.Config) (addr string, user *imapmemserver.User) {
	t.Helper()
	mem := imapmemserver.New()
	user = imapmemserver.NewUser("u", "p")
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		TLSConfig:    tlsConfig,
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), user
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// appendMsgs stores msgs in mailbox through an IMAP APPEND.
func appendMsgs(t *testing.T, c *imapclient.Client, mailbox string, msgs [][]byte) {
	t.Helper()
	for _, m := range msgs {
		cmd := c.Append(mailbox, int64(len(m)), nil)
		if _, err := cmd.Write(m); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("APPEND: %v", err)
		}
	}
}

// client logs in for test set-up (APPEND, CREATE, DELETE).
func client(t *testing.T, addr string, tlsConfig *tls.Config, user, pass string) *imapclient.Client {
	t.Helper()
	var c *imapclient.Client
	var err error
	if tlsConfig != nil {
		c, err = imapclient.DialTLS(addr, &imapclient.Options{TLSConfig: tlsConfig})
	} else {
		c, err = imapclient.DialInsecure(addr, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// drain reads a source to the end; it returns the items and the error
// that stopped it (nil at io.EOF).
func drain(ctx context.Context, src source.Source) ([]*source.Item, error) {
	var items []*source.Item
	for {
		it, err := src.Next(ctx)
		if err == io.EOF {
			return items, nil
		}
		var rerr *source.ReadError
		if errors.As(err, &rerr) {
			items = append(items, &source.Item{Where: rerr.Where, Checkpoint: rerr.Checkpoint})
			continue
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

// readAll opens u from cp and drains it, failing on any error.
func readAll(t *testing.T, u *url.URL, pass string, cp []byte, opts *Options) (*Source, []*source.Item) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src, err := Open(ctx, u, pass, cp, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	items, err := drain(ctx, src)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	return src, items
}

func last(items []*source.Item, cp []byte) []byte {
	if len(items) == 0 {
		return cp
	}
	return items[len(items)-1].Checkpoint
}

func assertRaws(t *testing.T, items []*source.Item, want [][]byte) {
	t.Helper()
	if len(items) != len(want) {
		t.Fatalf("got %d messages, want %d", len(items), len(want))
	}
	for i, it := range items {
		if string(it.Raw) != string(want[i]) {
			t.Fatalf("message %d (%s):\n%q\nwant\n%q", i, it.Where, it.Raw, want[i])
		}
	}
}

func tlsKeyPair(c *sourcetest.TestCert) (*tls.Config, error) {
	kp, err := tls.X509KeyPair(c.CertPEM, c.KeyPEM)
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{kp}}, nil
}

// testLogger sends the package's log lines to t.Log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, nil))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}
