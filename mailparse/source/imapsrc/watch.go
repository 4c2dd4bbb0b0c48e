package imapsrc

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Watcher waits for new mail with IDLE over a connection it keeps
// between waits, reconnecting with exponential backoff when the
// connection drops. A caller loops:
//
//	for {
//		src, _ := imapsrc.Open(ctx, u, pw, cp, opts)
//		// read src until io.EOF, storing each item's checkpoint in cp
//		src.Close()
//		if err := w.Wait(ctx, cp); err != nil {
//			return err
//		}
//	}
type Watcher struct {
	t        *target
	password string
	opts     *Options
	c        *imapclient.Client
	news     chan struct{} // signalled by the reader goroutine on EXISTS
}

// NewWatcher prepares to watch the mailbox named by u (see Open). It
// connects on the first Wait.
func NewWatcher(u *url.URL, password string, opts *Options) (*Watcher, error) {
	t, err := parseURL(u)
	if err != nil {
		return nil, err
	}
	return &Watcher{t: t, password: password, opts: opts.withDefaults(), news: make(chan struct{}, 1)}, nil
}

// Wait returns nil as soon as a mailbox holds messages after checkpoint
// (or its UIDVALIDITY changed), idling until then. It returns an error
// when ctx ends, or when the server refuses the login or the mailbox;
// network failures are retried with backoff.
func (w *Watcher) Wait(ctx context.Context, checkpoint []byte) error {
	cp, err := decodeCheckpoint(checkpoint)
	if err != nil {
		return err
	}
	delay := w.opts.ReconnectMin
	for {
		news, err := w.waitOnce(ctx, cp)
		if err == nil && news {
			return nil
		}
		if err == nil {
			delay = w.opts.ReconnectMin
			continue
		}
		if ctx.Err() != nil || isPermanent(err) {
			w.dropIfClosed()
			return err
		}
		w.drop()
		w.opts.Logger.Warn("IMAP watch failed, reconnecting", "mailbox", w.t.key, "err", err, "in", delay)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, w.opts.ReconnectMax)
	}
}

// waitOnce connects if needed, checks the mailboxes, and otherwise
// idles on the last one until the server announces mail or
// IdleRecheck passes.
func (w *Watcher) waitOnce(ctx context.Context, cp *checkpoint) (news bool, err error) {
	w.dropIfClosed() // the server may have hung up since the last Wait
	if w.c == nil {
		handler := &imapclient.UnilateralDataHandler{Mailbox: w.onMailbox}
		if w.c, err = connect(ctx, w.t, w.password, w.opts, handler); err != nil {
			return false, err
		}
	}
	select {
	case <-w.news:
	default:
	}
	if news, err = w.check(ctx, cp); err != nil || news {
		return news, err
	}
	return false, w.idle(ctx)
}

// check reports whether a mailbox holds news; the last one stays
// selected.
func (w *Watcher) check(ctx context.Context, cp *checkpoint) (bool, error) {
	boxes, err := mailboxes(ctx, w.c, w.t.mailbox, w.opts)
	if err != nil {
		return false, err
	}
	for _, name := range boxes {
		sel, err := examine(ctx, w.c, name, w.opts)
		if err != nil {
			return false, err
		}
		pos, ok := cp.At[name]
		if sel.NumMessages == 0 {
			continue
		}
		if !ok || pos.UIDValidity != sel.UIDValidity {
			return true, nil // unread or renumbered: Open reads it all
		}
		uids, err := uidsAfter(ctx, w.c, name, imap.UID(pos.UID), w.opts)
		if err != nil || len(uids) > 0 {
			return err == nil, err
		}
	}
	return false, nil
}

// idle runs IDLE until news, IdleRecheck, ctx's end or a dropped
// connection.
func (w *Watcher) idle(ctx context.Context) error {
	var cmd *imapclient.IdleCommand
	err := bound(ctx, w.opts.CommandTimeout, w.c, func() error {
		var err error
		cmd, err = w.c.Idle()
		return err
	})
	if err != nil {
		return fmt.Errorf("imapsrc: IDLE: %w", err)
	}
	timer := time.NewTimer(w.opts.IdleRecheck)
	defer timer.Stop()
	select {
	case <-w.news:
	case <-timer.C:
	case <-ctx.Done():
	case <-w.c.Closed():
		return errors.New("imapsrc: connection closed while idling")
	}
	// End IDLE even when ctx is over, so the connection stays usable.
	err = bound(context.WithoutCancel(ctx), w.opts.CommandTimeout, w.c, func() error {
		if err := cmd.Close(); err != nil {
			return err
		}
		return cmd.Wait()
	})
	if err != nil {
		return fmt.Errorf("imapsrc: ending IDLE: %w", err)
	}
	return ctx.Err()
}

// onMailbox runs on the client's reader goroutine: it only signals.
func (w *Watcher) onMailbox(data *imapclient.UnilateralDataMailbox) {
	if data.NumMessages == nil {
		return
	}
	select {
	case w.news <- struct{}{}:
	default:
	}
}

// dropIfClosed forgets the connection if a timeout closed it.
func (w *Watcher) dropIfClosed() {
	if w.c == nil {
		return
	}
	select {
	case <-w.c.Closed():
		w.drop()
	default:
	}
}

func (w *Watcher) drop() {
	if w.c != nil {
		w.c.Close()
		w.c = nil
	}
}

// Close ends the connection.
func (w *Watcher) Close() error {
	if w.c == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	bound(ctx, 0, w.c, func() error { return w.c.Logout().Wait() })
	w.drop()
	return nil
}

// isPermanent reports errors a reconnection cannot cure: a bad URL, a
// refused login or a missing mailbox.
func isPermanent(err error) bool {
	var ierr *imap.Error
	return errors.As(err, &ierr) || errors.Is(err, ErrNoMailbox) || errors.Is(err, ErrBadURL)
}
