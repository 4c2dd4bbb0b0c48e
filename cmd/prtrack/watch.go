package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/prtrack/prtrack/tracker"

	"github.com/prtrack/prtrack/mailparse/source/imapsrc"
	"github.com/prtrack/prtrack/tracker/config"
)

func init() {
	register(&command{
		name:    "watch",
		args:    "--imap URL [--check]",
		summary: "stay connected to an IMAP mailbox and ingest (and with --check, check) new mail as it arrives (IDLE)",
		run:     runWatch,
	})
}

func runWatch(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, commands["watch"])
	var sf storeFlags
	sf.register(fs)
	src := &sourceFlags{}
	fs.StringVar(&src.imap, "imap", "", "IMAP `url` to watch (see ingest --imap)")
	check := fs.Bool("check", false, "check the pending pull requests after each batch of new mail")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if src.imap == "" || fs.NArg() > 0 {
		return usagef("give --imap URL")
	}
	cfg, err := sf.load()
	if err != nil {
		return err
	}
	u, pw, opts, err := imapSettings(cfg, src.imap)
	if err != nil {
		return err
	}
	key, err := imapsrc.KeyFor(u)
	if err != nil {
		return err
	}
	w, err := imapsrc.NewWatcher(u, pw, opts)
	if err != nil {
		return err
	}
	defer w.Close()
	backoff := watchBackoffMin
	for {
		ck, err := watchRound(ctx, io, cfg, src, key, *check)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			if !transient(err) {
				return err
			}
			fmt.Fprintf(io.Err, "prtrack watch: %v; trying again in %s\n", err, backoff)
			if !sleep(ctx, backoff) {
				return nil
			}
			backoff = min(2*backoff, watchBackoffMax)
			continue
		}
		backoff = watchBackoffMin
		fmt.Fprintf(io.Err, "waiting for new mail in %s\n", key)
		if err := w.Wait(ctx, ck); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// The pause between failed rounds of watch.
const (
	watchBackoffMin = 2 * time.Second
	watchBackoffMax = 5 * time.Minute
)

// transient reports whether a round may succeed if tried again: the
// database held by another prtrack for a moment, or the network.
func transient(err error) bool {
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

// watchRound ingests what is new and optionally checks; the database is
// open only during the round, so other prtrack commands can run while
// watch waits. It returns the checkpoint reached.
func watchRound(ctx context.Context, io *IO, cfg *config.Config, src *sourceFlags, key string, check bool) ([]byte, error) {
	// Held only per transaction; watch's own loop waits and retries
	// when another prtrack holds it, so no long wait here.
	st, err := tracker.Open(cfg.Database, &tracker.Options{Release: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	before, err := position(st, key)
	if err != nil {
		return nil, err
	}
	if err := ingestOnce(ctx, io, cfg, st, src); err != nil {
		return nil, err
	}
	after, err := position(st, key)
	if err != nil {
		return nil, err
	}
	if err := classify(cfg, st); err != nil {
		return nil, err
	}
	if check && !bytes.Equal(before, after) { // only when mail arrived
		if err := checkPending(ctx, io, cfg, st); err != nil {
			return nil, err
		}
	}
	return after, nil
}
