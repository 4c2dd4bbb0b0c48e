package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/source/imapsrc"
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
	for {
		ck, err := watchRound(ctx, io, cfg, src, key, *check)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Err, "waiting for new mail in %s\n", key)
		if err := w.Wait(ctx, ck); err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
	}
}

// watchRound ingests what is new and optionally checks; the database is
// open only during the round, so other prtrack commands can run while
// watch waits. It returns the checkpoint reached.
func watchRound(ctx context.Context, io *IO, cfg *config.Config, src *sourceFlags, key string, check bool) ([]byte, error) {
	st, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := ingestOnce(ctx, io, cfg, st, src); err != nil {
		return nil, err
	}
	if check {
		if err := checkPending(ctx, io, cfg, st); err != nil {
			return nil, err
		}
	}
	return position(st, key), nil
}
