package main

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/prtrack/prtrack/tracker"

	"github.com/prtrack/prtrack/mailparse/source/imapsrc"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/ingest"
)

func runWatch(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "watch")
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
	u, pw, opts, err := imapSettings(cfg, src.imap, logOf(io))
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
	round := func(ctx context.Context) ([]byte, error) { return watchRound(ctx, io, cfg, src, key, *check) }
	return ingest.Watch(ctx, w, round, ingest.WatchOptions{
		Retrying: func(err error, wait time.Duration) {
			fmt.Fprintf(io.Err, "prtrack watch: %v; trying again in %s\n", err, wait)
		},
		Waiting: func() { fmt.Fprintf(io.Err, "waiting for new mail in %s\n", key) },
	})
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
