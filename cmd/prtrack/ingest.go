package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/ingest"
	"github.com/prtrack/prtrack/tracker/source"
	"github.com/prtrack/prtrack/tracker/source/mboxsrc"
)

func init() {
	register(&command{
		name:    "ingest",
		args:    "--mbox FILE [--db PATH]",
		summary: "record list mail into the database, reading only what is new since the last run",
		run:     runIngest,
	})
}

func runIngest(ctx context.Context, io *IO, args []string) error {
	fs := newFlags(io, commands["ingest"])
	var sf storeFlags
	sf.register(fs)
	mboxPath := fs.String("mbox", "", "mbox, mbox.gz or .eml `file` to read (- for standard input)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *mboxPath == "" {
		return usagef("nothing to read: give --mbox")
	}
	_, st, err := sf.open()
	if err != nil {
		return err
	}
	defer st.Close()
	return ingestMbox(ctx, io, st, *mboxPath)
}

func ingestMbox(ctx context.Context, io *IO, st *tracker.Store, path string) error {
	var ck []byte
	key, err := mboxsrc.KeyFor(path)
	if err != nil {
		return err
	}
	st.View(func(tx *tracker.Tx) error {
		ck, _ = tx.Position(key)
		return nil
	})
	src, err := mboxsrc.Open(ctx, path, ck, &mboxsrc.Options{Stdin: io.In})
	if err != nil {
		return err
	}
	defer src.Close()
	mode, at := src.Mode()
	switch mode {
	case mboxsrc.Resumed:
		fmt.Fprintf(io.Out, "%s: resuming at byte %d\n", path, at)
	case mboxsrc.Rewritten:
		fmt.Fprintf(io.Out, "%s: the file was rewritten since the last run; reading it again (duplicates are dropped)\n", path)
	}
	return ingestFrom(ctx, io, st, src)
}

// ingestFrom runs the ingest of one source and prints its summary.
func ingestFrom(ctx context.Context, io *IO, st *tracker.Store, src source.Source) error {
	opts := &ingest.Options{}
	if isTerminal(io.Err) {
		opts.Progress = progressPrinter(io.Err, time.Now())
	}
	stats, err := ingest.Run(ctx, st, src, opts)
	if opts.Progress != nil {
		fmt.Fprint(io.Err, "\r\033[K")
	}
	printIngestStats(io.Out, stats)
	return err
}

func progressPrinter(w io.Writer, start time.Time) func(ingest.Stats) {
	return func(s ingest.Stats) {
		secs := time.Since(start).Seconds()
		if secs <= 0 {
			secs = 1e-9
		}
		fmt.Fprintf(w, "\r\033[K%d messages, %.0f msg/s, %.1f MB/s", s.Read, float64(s.Read)/secs, float64(s.Bytes)/secs/1e6)
	}
}

func printIngestStats(w io.Writer, s *ingest.Stats) {
	fmt.Fprintf(w, "messages read     %d\n", s.Read)
	fmt.Fprintf(w, "new               %d\n", s.New)
	fmt.Fprintf(w, "duplicates        %d\n", s.Duplicates)
	fmt.Fprintf(w, "pull requests     %d new\n", s.PullRequests)
	fmt.Fprintf(w, "replies attached  %d\n", s.Replies)
	if s.Deleted > 0 {
		fmt.Fprintf(w, "deleted           %d\n", s.Deleted)
	}
	if s.Delivered > 0 {
		fmt.Fprintf(w, "our replies seen  %d\n", s.Delivered)
	}
	fmt.Fprintf(w, "unreadable        %d\n", len(s.Skipped))
	for _, sk := range s.Skipped {
		id := ""
		if sk.MessageID != "" {
			id = " <" + sk.MessageID + ">"
		}
		fmt.Fprintf(w, "  %s%s: %s\n", sk.Where, id, sk.Reason)
	}
}
