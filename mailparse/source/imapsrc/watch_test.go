package imapsrc

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

func TestWatch(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("INBOX", nil)
	c := client(t, addr, nil, "u", "p")
	appendMsgs(t, c, "INBOX", samples(0, 2))
	proxy := sourcetest.NewProxy(t, addr)
	u := mustURL(t, "imap://u@"+proxy.Addr+"/INBOX")
	opts := &Options{AllowPlaintext: true, ReconnectMin: 10 * time.Millisecond, Logger: testLogger(t)}
	_, items := readAll(t, u, "p", nil, opts)
	cp := last(items, nil)

	w, err := NewWatcher(u, "p", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()

	// Unread mail: Wait returns at once.
	if err := w.Wait(ctx, nil); err != nil {
		t.Fatalf("Wait with unread mail: %v", err)
	}
	// Nothing new: Wait blocks until its context ends.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := w.Wait(short, cp); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait without news = %v, want DeadlineExceeded", err)
	}

	// New mail during IDLE wakes it.
	done := make(chan error, 1)
	go func() { done <- w.Wait(ctx, cp) }()
	time.Sleep(100 * time.Millisecond)
	appendMsgs(t, c, "INBOX", samples(2, 3))
	waitDone(t, done)
	_, items = readAll(t, u, "p", cp, opts)
	assertRaws(t, items, samples(2, 3))
	cp = last(items, cp)

	// A dropped connection is re-established, and mail that arrived
	// meanwhile is noticed.
	before := proxy.Accepted()
	go func() { done <- w.Wait(ctx, cp) }()
	time.Sleep(100 * time.Millisecond)
	proxy.CutAll()
	appendMsgs(t, c, "INBOX", samples(3, 4))
	waitDone(t, done)
	if proxy.Accepted() <= before {
		t.Errorf("no reconnection: %d connections before, %d after", before, proxy.Accepted())
	}
}

func TestWatchPermanentError(t *testing.T) {
	addr, user := memServer(t, nil)
	user.Create("INBOX", nil)
	w, err := NewWatcher(mustURL(t, "imap://u@"+addr+"/INBOX"), "wrong", &Options{AllowPlaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.Wait(ctx, nil); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with a wrong password = %v, want the login error", err)
	}
}

func waitDone(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Wait did not notice the new mail")
	}
}
