// Package imapsrc implements a source.Source that reads list mail from
// an IMAP mailbox (RFC 9051, RFC 3501) with go-imap v2: a maintainer's
// own mailbox on a server such as Dovecot, or an inbox served by
// public-inbox-imapd, whose slices <group>.0, <group>.1, ... it follows.
//
// Mailboxes are opened read-only (EXAMINE) and read incrementally: the
// checkpoint records UIDVALIDITY and the last UID read per mailbox. A
// changed UIDVALIDITY means the server renumbered the mailbox: it is
// read again from the start, and the caller's store drops the messages
// it already holds by Message-ID. Messages are fetched in batches, and
// every network step is bounded in time.
//
// A Watcher waits with IDLE for new mail, so that a caller can loop:
// Open from the checkpoint, drain the Source, Wait, and again.
package imapsrc

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/prtrack/prtrack/mailparse/source"
)

// Source reads the new messages of one mailbox, or of every slice of a
// public-inbox-imapd group, oldest first.
type Source struct {
	t        *target
	opts     *Options
	c        *imapclient.Client
	deadline time.Time // of the whole run (Options.FetchTimeout), or zero
	boxes    []string
	cp       *checkpoint
	idx      int        // mailbox being read
	selected bool       // boxes[idx] is selected and uids known
	uids     []imap.UID // UIDs still to fetch in boxes[idx]
	queue    []fetched
	resynced []string
	err      error // sticky connection error
}

var _ source.Source = (*Source)(nil)

// Open connects to the mailbox named by u (imaps://user@host/MAILBOX or
// imap://user@host/MAILBOX; see Options for TLS) with password, to read
// the messages after checkpoint (nil: from the start). When MAILBOX has
// slices MAILBOX.0, MAILBOX.1, ... on the server, all of them are read.
func Open(ctx context.Context, u *url.URL, password string, checkpoint []byte, opts *Options) (*Source, error) {
	t, err := parseURL(u)
	if err != nil {
		return nil, err
	}
	cp, err := decodeCheckpoint(checkpoint)
	if err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	s := &Source{t: t, opts: o, cp: cp}
	if o.FetchTimeout > 0 {
		s.deadline = time.Now().Add(o.FetchTimeout)
	}
	ctx, stop := s.runContext(ctx)
	defer stop()
	if s.c, err = connect(ctx, t, password, o, nil); err != nil {
		return nil, err
	}
	if s.boxes, err = mailboxes(ctx, s.c, t.mailbox, o); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Key returns the URL without password: "imaps://user@host/MAILBOX".
func (s *Source) Key() string { return s.t.key }

// Mailboxes returns the mailboxes read, in order.
func (s *Source) Mailboxes() []string { return s.boxes }

// Resynced lists the mailboxes whose UIDVALIDITY changed since the
// checkpoint, each then read again from its first message.
func (s *Source) Resynced() []string { return s.resynced }

// Next returns the next message, or io.EOF after the last one. After a
// network error the Source is unusable: open it again from the last
// stored checkpoint.
func (s *Source) Next(ctx context.Context) (*source.Item, error) {
	for len(s.queue) == 0 {
		if s.err != nil {
			return nil, s.err
		}
		if s.idx >= len(s.boxes) {
			return nil, io.EOF
		}
		if err := s.step(ctx); err != nil {
			s.err = err
			return nil, err
		}
	}
	f := s.queue[0]
	s.queue = s.queue[1:]
	return s.item(f)
}

// step selects the next mailbox, or fetches the next batch.
func (s *Source) step(ctx context.Context) error {
	ctx, stop := s.runContext(ctx)
	defer stop()
	switch {
	case !s.selected:
		return s.selectMailbox(ctx)
	case len(s.uids) == 0:
		s.idx++
		s.selected = false
		return nil
	}
	n := min(len(s.uids), s.opts.BatchSize)
	batch, err := fetchBatch(ctx, s.c, s.boxes[s.idx], s.uids[:n], s.opts)
	if err != nil {
		return err
	}
	s.uids = s.uids[n:]
	s.queue = batch
	return nil
}

// runContext bounds the caller's ctx by the run's deadline.
func (s *Source) runContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.deadline.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, s.deadline)
}

// selectMailbox examines boxes[idx], notices a UIDVALIDITY change, and
// lists the UIDs to read.
func (s *Source) selectMailbox(ctx context.Context) error {
	name := s.boxes[s.idx]
	sel, err := examine(ctx, s.c, name, s.opts)
	if err != nil {
		return err
	}
	pos := s.cp.At[name]
	if pos.UIDValidity != 0 && pos.UIDValidity != sel.UIDValidity {
		s.opts.Logger.Warn("IMAP UIDVALIDITY changed, reading the mailbox again",
			"mailbox", s.t.key, "slice", name, "old", pos.UIDValidity, "new", sel.UIDValidity)
		s.resynced = append(s.resynced, name)
		pos = position{}
	}
	pos.UIDValidity = sel.UIDValidity
	s.cp.At[name] = pos
	s.uids = nil
	if sel.NumMessages > 0 {
		if s.uids, err = uidsAfter(ctx, s.c, name, imap.UID(pos.UID), s.opts); err != nil {
			return err
		}
	}
	s.selected = true
	return nil
}

// item turns a fetched message into an Item (or a *source.ReadError)
// and moves the checkpoint past it.
func (s *Source) item(f fetched) (*source.Item, error) {
	name := s.boxes[s.idx]
	pos := s.cp.At[name]
	pos.UID = uint32(f.uid)
	s.cp.At[name] = pos
	cp := s.cp.With(name, pos)
	where := name + " uid " + strconv.FormatUint(uint64(f.uid), 10)
	if f.err != nil {
		return nil, &source.ReadError{Where: where, Err: f.err, Checkpoint: cp}
	}
	return &source.Item{Raw: f.raw, Where: where, Checkpoint: cp}, nil
}

// Close logs out and closes the connection. After a connection error
// reported by Next, it reports nothing more.
func (s *Source) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := bound(ctx, 0, s.c, func() error { return s.c.Logout().Wait() })
	s.c.Close()
	if err != nil && s.err == nil {
		return fmt.Errorf("imapsrc: logging out: %w", err)
	}
	return nil
}
