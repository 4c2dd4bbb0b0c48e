package ingest

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// Waiter blocks until a mailbox has mail past checkpoint, as
// imapsrc.Watcher does with IDLE.
type Waiter interface {
	Wait(ctx context.Context, checkpoint []byte) error
}

// WatchOptions says what Watch tells the maintainer.
type WatchOptions struct {
	// Retrying is called when a round failed with a transient error
	// and Watch waits before trying again.
	Retrying func(err error, wait time.Duration)
	// Waiting is called when a round succeeded and Watch waits for new
	// mail.
	Waiting func()
	// MinBackoff is the first pause after a failed round; zero means
	// two seconds.
	MinBackoff time.Duration
}

// The pause between failed rounds of Watch.
const (
	watchBackoffMin = 2 * time.Second
	watchBackoffMax = 5 * time.Minute
)

// Watch runs round (ingest what is new, perhaps check) and then waits
// on w for more mail, for as long as ctx lasts. A round that fails
// transiently (Transient) is tried again after a pause that doubles up
// to five minutes; any other error ends Watch. ctx ending is not an
// error.
func Watch(ctx context.Context, w Waiter, round func(ctx context.Context) ([]byte, error), opts WatchOptions) error {
	first := opts.MinBackoff
	if first <= 0 {
		first = watchBackoffMin
	}
	backoff := first
	for {
		ck, err := round(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			if !Transient(err) {
				return err
			}
			if opts.Retrying != nil {
				opts.Retrying(err, backoff)
			}
			if !sleep(ctx, backoff) {
				return nil
			}
			backoff = min(2*backoff, watchBackoffMax)
			continue
		}
		backoff = first
		if opts.Waiting != nil {
			opts.Waiting()
		}
		if err := w.Wait(ctx, ck); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// Transient reports whether a round may succeed if tried again: the
// database held by another prtrack for a moment, or the network.
func Transient(err error) bool {
	var ne net.Error
	return errors.Is(err, tracker.ErrLocked) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
