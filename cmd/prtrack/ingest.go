package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/imapsrc"
	"github.com/prtrack/prtrack/mailparse/source/mboxsrc"
	"github.com/prtrack/prtrack/mailparse/source/publicinbox"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/config/certpool"
	"github.com/prtrack/prtrack/tracker/ingest"
)

// sourceFlags name where mail is read from; exactly one is given.
type sourceFlags struct {
	mbox, inbox, imap string
}

func (s *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.mbox, "mbox", "", "mbox, mbox.gz or .eml `file` to read (- for standard input)")
	fs.StringVar(&s.inbox, "public-inbox", "", "public-inbox archive `dir` (v2 inbox with git/N.git epochs, one epoch, or a v1 inbox)")
	fs.StringVar(&s.imap, "imap", "", "IMAP `url` imaps://user@host/MAILBOX or imap://... (STARTTLS); password from imap.password or $PRTRACK_IMAP_PASSWORD")
}

func (s *sourceFlags) check() error {
	n := 0
	for _, v := range []string{s.mbox, s.inbox, s.imap} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return usagef("nothing to read: give one of --mbox, --public-inbox or --imap")
	}
	return nil
}

func runIngest(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "ingest")
	var src sourceFlags
	src.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := src.check(); err != nil {
		return err
	}
	cfg, st, err := sf.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := ingestOnce(ctx, io, cfg, st, &src); err != nil {
		return err
	}
	return classify(cfg, st)
}

// classify gives new pull requests their role and settles what their
// threads say, without the trees (windows come with the next check).
func classify(cfg *config.Config, st *tracker.Store) error {
	tc, err := cfg.Track()
	if err != nil {
		return err
	}
	return st.Update(func(tx *tracker.Tx) error {
		_, err := tc.Apply(tx, nil)
		return err
	})
}

// ingestOnce reads the source named by src from its stored position.
func ingestOnce(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store, src *sourceFlags) error {
	if src.mbox != "" {
		return ingestMbox(ctx, io, st, src.mbox)
	}
	var key string
	var open func([]byte) (source.Source, error)
	var err error
	if src.inbox != "" {
		key, err = publicinbox.KeyFor(src.inbox)
		open = func(ck []byte) (source.Source, error) {
			return publicinbox.Open(ctx, src.inbox, ck, &publicinbox.Options{Logger: logOf(io)})
		}
	} else {
		var u *url.URL
		var pw string
		var opts *imapsrc.Options
		if u, pw, opts, err = imapSettings(cfg, src.imap, logOf(io)); err == nil {
			key, err = imapsrc.KeyFor(u)
			open = func(ck []byte) (source.Source, error) { return imapsrc.Open(ctx, u, pw, ck, opts) }
		}
	}
	if err != nil {
		return err
	}
	ck, err := position(st, key)
	if err != nil {
		return err
	}
	s, err := open(ck)
	if err != nil {
		return err
	}
	defer s.Close()
	err = ingestFrom(ctx, io, st, s)
	if pi, ok := s.(*publicinbox.Source); ok {
		for _, e := range pi.Rewritten() {
			fmt.Fprintf(io.Out, "%s was rewritten (purged) upstream; it was read again, duplicates dropped\n", e)
		}
	}
	return err
}

func position(st *tracker.Store, key string) ([]byte, error) {
	var ck []byte
	err := st.View(func(tx *tracker.Tx) error {
		ck, _ = tx.Position(key)
		return nil
	})
	return ck, err
}

// imapSettings reads the IMAP URL, password and TLS options:
//
//	[imap]
//		password = SECRET      # or $PRTRACK_IMAP_PASSWORD
//		caFile = PATH          # extra CA certificates (PEM) to trust
//		allowPlaintext = false # no TLS, only to a loopback server
func imapSettings(cfg *config.Config, raw string, log *slog.Logger) (*url.URL, string, *imapsrc.Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", nil, fmt.Errorf("--imap: %w", err)
	}
	pw := os.Getenv("PRTRACK_IMAP_PASSWORD")
	if pw == "" {
		pw = cfg.Option("imap", "", "password")
	}
	if pw == "" && u.User.Username() != "" {
		return nil, "", nil, errors.New("no IMAP password: set PRTRACK_IMAP_PASSWORD or imap.password")
	}
	opts := &imapsrc.Options{Logger: log}
	if v := cfg.Option("imap", "", "allowPlaintext"); v != "" {
		if opts.AllowPlaintext, err = strconv.ParseBool(v); err != nil {
			return nil, "", nil, fmt.Errorf("config: imap.allowPlaintext %q: %w", v, err)
		}
	}
	if ca := cfg.Option("imap", "", "caFile"); ca != "" {
		pool, err := certpool.Load(ca) // added to the system's roots
		if err != nil {
			return nil, "", nil, err
		}
		opts.TLSConfig = &tls.Config{RootCAs: pool, ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	}
	return u, pw, opts, nil
}

func ingestMbox(ctx context.Context, io *IO, st *tracker.Store, path string) error {
	key, err := mboxsrc.KeyFor(path)
	if err != nil {
		return err
	}
	ck, err := position(st, key)
	if err != nil {
		return err
	}
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
	opts := &ingest.Options{Logger: logOf(io)}
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
