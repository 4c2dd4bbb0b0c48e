package imapsrc

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

func itemIDs(t *testing.T, items []*source.Item) []string {
	t.Helper()
	var ids []string
	for _, it := range items {
		ids = append(ids, sourcetest.MessageID(t, it.Raw))
	}
	return ids
}

func msgIDs(t *testing.T, msgs [][]byte) []string {
	t.Helper()
	var ids []string
	for _, m := range msgs {
		ids = append(ids, sourcetest.MessageID(t, m))
	}
	return ids
}

func assertIDs(t *testing.T, what string, items []*source.Item, want [][]byte) {
	t.Helper()
	if got, w := itemIDs(t, items), msgIDs(t, want); !slices.Equal(got, w) {
		t.Fatalf("%s: Message-IDs\n%q\nwant\n%q", what, got, w)
	}
}

// TestDovecot reads corpus mail from a real Dovecot over implicit TLS
// and STARTTLS, incrementally, through a UIDVALIDITY change, and
// resumes after a connection cut in the middle of a fetch.
func TestDovecot(t *testing.T) {
	msgs := sourcetest.CorpusMessages(t, "linux-rdma-2022.mbox.gz", 24)
	d := sourcetest.StartDovecot(t)
	c := client(t, d.TLSAddr, d.Cert.ClientConfig(), d.User, d.Password)
	opts := &Options{TLSConfig: d.Cert.ClientConfig(), BatchSize: 4, Logger: testLogger(t)}
	imaps := mustURL(t, "imaps://"+d.User+"@"+d.TLSAddr+"/INBOX")
	starttls := mustURL(t, "imap://"+d.User+"@"+d.Addr+"/INBOX")

	t.Run("incremental", func(t *testing.T) {
		appendMsgs(t, c, "INBOX", msgs[:10])
		_, items := readAll(t, imaps, d.Password, nil, opts)
		assertIDs(t, "implicit TLS", items, msgs[:10])
		appendMsgs(t, c, "INBOX", msgs[10:14])
		_, more := readAll(t, starttls, d.Password, last(items, nil), opts)
		assertIDs(t, "STARTTLS, after the checkpoint", more, msgs[10:14])
	})

	t.Run("uidvalidity", func(t *testing.T) {
		if err := c.Create("rdma", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		u := mustURL(t, "imaps://"+d.User+"@"+d.TLSAddr+"/rdma")
		appendMsgs(t, c, "rdma", msgs[:4])
		_, items := readAll(t, u, d.Password, nil, opts)
		if err := c.Delete("rdma").Wait(); err != nil {
			t.Fatal(err)
		}
		if err := c.Create("rdma", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		now := slices.Concat(msgs[2:4], msgs[4:6])
		appendMsgs(t, c, "rdma", now)
		// Documented behaviour: after a UIDVALIDITY change the whole
		// mailbox is yielded again, old messages included (the store
		// drops them by Message-ID), and nothing else.
		src, again := readAll(t, u, d.Password, last(items, nil), opts)
		assertIDs(t, "after UIDVALIDITY change", again, now)
		if !slices.Equal(src.Resynced(), []string{"rdma"}) {
			t.Errorf("Resynced = %q", src.Resynced())
		}
	})

	t.Run("cut", func(t *testing.T) {
		if err := c.Create("cut", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		appendMsgs(t, c, "cut", msgs)
		proxy := sourcetest.NewProxy(t, d.TLSAddr)
		proxy.CutAfter(48 << 10)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cutOpts := &Options{TLSConfig: d.Cert.ClientConfig(), BatchSize: 4, CommandTimeout: 10 * time.Second}
		src, err := Open(ctx, mustURL(t, "imaps://"+d.User+"@"+proxy.Addr+"/cut"), d.Password, nil, cutOpts)
		if err != nil {
			t.Fatalf("Open through the proxy: %v", err)
		}
		first, err := drain(ctx, src)
		src.Close()
		if err == nil || len(first) == 0 || len(first) >= len(msgs) {
			t.Fatalf("cut connection: %d messages then %v; want some, then an error", len(first), err)
		}
		_, rest := readAll(t, mustURL(t, "imaps://"+d.User+"@"+d.TLSAddr+"/cut"), d.Password, last(first, nil), opts)
		assertIDs(t, "before and after the cut", slices.Concat(first, rest), msgs)
	})

	t.Run("watch", func(t *testing.T) {
		_, items := readAll(t, imaps, d.Password, nil, opts)
		w, err := NewWatcher(imaps, d.Password, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		done := make(chan error, 1)
		go func() { done <- w.Wait(context.Background(), last(items, nil)) }()
		time.Sleep(200 * time.Millisecond)
		appendMsgs(t, c, "INBOX", msgs[14:15])
		waitDone(t, done)
	})
}
