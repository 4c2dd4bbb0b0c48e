package imapsrc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

var plain = &Options{AllowPlaintext: true}

func TestReadIncremental(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("INBOX", nil)
	c := client(t, addr, nil, "u", "p")
	appendMsgs(t, c, "INBOX", samples(0, 7))
	u := mustURL(t, "imap://u@"+addr+"/INBOX")

	src, items := readAll(t, u, "p", nil, &Options{AllowPlaintext: true, BatchSize: 3})
	assertRaws(t, items, samples(0, 7))
	if src.Key() != "imap://u@"+addr+"/INBOX" || items[6].Where != "INBOX uid 7" {
		t.Errorf("Key = %q, Where = %q", src.Key(), items[6].Where)
	}

	_, none := readAll(t, u, "p", last(items, nil), plain)
	if len(none) != 0 {
		t.Fatalf("re-read gave %d messages, want 0", len(none))
	}
	appendMsgs(t, c, "INBOX", samples(7, 9))
	_, more := readAll(t, u, "p", last(items, nil), plain)
	assertRaws(t, more, samples(7, 9))
	_, mid := readAll(t, u, "p", items[3].Checkpoint, plain)
	assertRaws(t, mid, samples(4, 9))
}

func TestUIDValidityChange(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("list", nil)
	c := client(t, addr, nil, "u", "p")
	appendMsgs(t, c, "list", samples(0, 3))
	u := mustURL(t, "imap://u@"+addr+"/list")
	_, items := readAll(t, u, "p", nil, plain)

	// The mailbox is recreated: same name, new UIDVALIDITY, and UIDs
	// that start again at 1.
	if err := c.Delete("list").Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Create("list", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	appendMsgs(t, c, "list", samples(10, 14))
	src, again := readAll(t, u, "p", last(items, nil), plain)
	assertRaws(t, again, samples(10, 14))
	if !slices.Equal(src.Resynced(), []string{"list"}) {
		t.Errorf("Resynced = %q", src.Resynced())
	}
	_, none := readAll(t, u, "p", last(again, nil), plain)
	if len(none) != 0 {
		t.Errorf("after the resync, %d messages, want 0", len(none))
	}
}

func TestSlices(t *testing.T) {
	addr, user := memServer(t, nil)
	c := client(t, addr, nil, "u", "p")
	for i, name := range []string{"org.example.rdma.0", "org.example.rdma.1", "org.example.rdma.10", "org.example.rdma.2", "org.example.rdmax.0", "org.example.rdma.x"} {
		user.Create(name, nil)
		appendMsgs(t, c, name, samples(i, i+1))
	}
	u := mustURL(t, "imap://u@"+addr+"/org.example.rdma")
	src, items := readAll(t, u, "p", nil, plain)
	want := []string{"org.example.rdma.0", "org.example.rdma.1", "org.example.rdma.2", "org.example.rdma.10"}
	if !slices.Equal(src.Mailboxes(), want) {
		t.Errorf("Mailboxes = %q, want %q", src.Mailboxes(), want)
	}
	assertRaws(t, items, [][]byte{sample(0), sample(1), sample(3), sample(2)})

	// One slice named exactly is read alone.
	src, items = readAll(t, mustURL(t, "imap://u@"+addr+"/org.example.rdma.1"), "p", nil, plain)
	if !slices.Equal(src.Mailboxes(), []string{"org.example.rdma.1"}) || len(items) != 1 {
		t.Errorf("single slice: %q, %d messages", src.Mailboxes(), len(items))
	}
}

func TestTooLarge(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("INBOX", nil)
	c := client(t, addr, nil, "u", "p")
	big := append(sample(1), strings.Repeat("x", 2000)...)
	appendMsgs(t, c, "INBOX", [][]byte{sample(0), big, sample(2)})
	ctx := context.Background()
	src, err := Open(ctx, mustURL(t, "imap://u@"+addr), "p", nil, &Options{AllowPlaintext: true, MaxMessageBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got [][]byte
	var rerr *source.ReadError
	for {
		it, err := src.Next(ctx)
		if errors.As(err, &rerr) {
			continue
		}
		if err != nil {
			break
		}
		got = append(got, it.Raw)
	}
	if rerr == nil || !errors.Is(rerr, ErrTooLarge) || rerr.Where != "INBOX uid 2" {
		t.Fatalf("read error = %v, want ErrTooLarge at uid 2", rerr)
	}
	if len(got) != 2 || string(got[1]) != string(sample(2)) {
		t.Errorf("got %d messages, want messages 0 and 2", len(got))
	}
}

func TestOpenErrors(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("INBOX", nil)
	ctx := context.Background()
	tests := []struct {
		url, pass string
		opts      *Options
		want      error
	}{
		{"imap://u@" + addr + "/nope", "p", plain, ErrNoMailbox},
		{"imap://u:p@" + addr + "/INBOX", "p", plain, ErrBadURL},
		{"pop3://u@" + addr + "/INBOX", "p", plain, ErrBadURL},
		{"imap://" + addr + "/INBOX", "p", plain, ErrBadURL},
	}
	for _, tt := range tests {
		if _, err := Open(ctx, mustURL(t, tt.url), tt.pass, nil, tt.opts); !errors.Is(err, tt.want) {
			t.Errorf("Open(%s) = %v, want %v", tt.url, err, tt.want)
		}
	}
	var ierr *imap.Error
	if _, err := Open(ctx, mustURL(t, "imap://u@"+addr), "wrong", nil, plain); !errors.As(err, &ierr) {
		t.Errorf("Open with a wrong password = %v, want an *imap.Error", err)
	}
	// Without AllowPlaintext, imap:// needs STARTTLS, which this
	// server does not offer: the password is never sent.
	if _, err := Open(ctx, mustURL(t, "imap://u@"+addr), "p", nil, nil); err == nil || !strings.Contains(err.Error(), "STARTTLS") ||
		!strings.Contains(err.Error(), "imap.allowPlaintext") {
		t.Errorf("Open without TLS = %v, want a STARTTLS error", err)
	}
	if _, err := Open(ctx, mustURL(t, "imap://u@"+addr), "p", []byte("{"), plain); err == nil {
		t.Error("Open with a bad checkpoint succeeded")
	}
}

// TestMissingMailboxNamesLookalikes: a mailbox written with the wrong
// separator (the README's lists/linux-rdma on a Dovecot using ".") is
// refused with the server's names that look alike.
func TestMissingMailboxNamesLookalikes(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("INBOX", nil)
	user.Create("lists", nil)
	user.Create("lists/linux-rdma", nil)
	_, err := Open(context.Background(), mustURL(t, "imap://u@"+addr+"/lists.linux-rdma"), "p", nil, plain)
	if !errors.Is(err, ErrNoMailbox) || !strings.Contains(err.Error(), `"lists/linux-rdma" (levels separated by "/")`) {
		t.Errorf("Open = %v", err)
	}
}

func TestStartTLS(t *testing.T) {
	cert := sourcetest.NewTestCert(t)
	tlsCert, err := tlsKeyPair(cert)
	if err != nil {
		t.Fatal(err)
	}
	addr, user := memServer(t, tlsCert)
	user.Create("INBOX", nil)
	c := client(t, addr, nil, "u", "p")
	appendMsgs(t, c, "INBOX", samples(0, 2))
	_, items := readAll(t, mustURL(t, "imap://u@"+addr), "p", nil, &Options{TLSConfig: cert.ClientConfig()})
	assertRaws(t, items, samples(0, 2))

	// An untrusted certificate fails.
	if _, err := Open(context.Background(), mustURL(t, "imap://u@"+addr), "p", nil, nil); err == nil {
		t.Error("STARTTLS with an untrusted certificate succeeded")
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "localhost": true, "127.1.2.3": true,
		"example.org": false, "10.0.0.1": false, "localhost.example.org": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v", host, got)
		}
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in, addr, mailbox string
		tls               bool
	}{
		{"imaps://me@mail.example.org/INBOX", "mail.example.org:993", "INBOX", true},
		{"imap://me@mail.example.org", "mail.example.org:143", "INBOX", false},
		{"imaps://me@[::1]:1993/lists/rdma", "[::1]:1993", "lists/rdma", true},
		{"imap://me%40example.org@mail.example.org/org.kernel.vger.linux-rdma", "mail.example.org:143", "org.kernel.vger.linux-rdma", false},
	}
	for _, tt := range tests {
		tg, err := parseURL(mustURL(t, tt.in))
		if err != nil {
			t.Errorf("parseURL(%s): %v", tt.in, err)
			continue
		}
		if tg.addr != tt.addr || tg.mailbox != tt.mailbox || tg.implicitTLS != tt.tls {
			t.Errorf("parseURL(%s) = %+v", tt.in, tg)
		}
	}
}
