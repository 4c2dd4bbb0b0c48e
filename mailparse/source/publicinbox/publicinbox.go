// Package publicinbox implements a source.Source that reads list mail
// straight from the git repositories of a public-inbox archive (the
// format lore.kernel.org serves): v2 inboxes, made of epochs git/0.git,
// git/1.git, ... whose commits each hold one message in a file "m" (or
// a deletion in a file "d"), and v1 inboxes, one repository with one
// file per message. It also mirrors a remote v2 inbox (see Mirror).
//
// The messages are read with git cat-file --batch when git 2.32 or
// later is installed (see GitMode), with go-git otherwise; both give the
// same items in the same order.
//
// Reading is incremental: the checkpoint records the last commit read
// in each epoch. History is linear per epoch; when it was rewritten (a
// purge), the epoch is read again from its first commit, and the
// caller's store drops the messages it already holds by Message-ID.
package publicinbox

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"

	"github.com/prtrack/prtrack/mailparse/source"
)

// Options tunes Open. The zero value gives the defaults.
type Options struct {
	// MaxMessageBytes bounds one message; a larger one yields a
	// *source.ReadError wrapping ErrTooLarge. Default 64 MiB.
	MaxMessageBytes int64
	// CacheBytes sizes go-git's object cache per worker. Default 16 MiB.
	CacheBytes int
	// Workers is the number of goroutines reading ahead of Next with
	// go-git, each holding up to 1,024 messages (about 10 MB of list
	// mail) in memory; with git, the number of git cat-file reading
	// blobs, at most 2, each holding up to 512 messages. Default:
	// GOMAXPROCS, at most 4.
	Workers int
	// Git says whether git cat-file reads the epochs (GitAuto: when git
	// 2.32 or later is on PATH). go-git reads them otherwise.
	Git GitMode
	// Logger receives notices such as rewritten histories. Default: none.
	Logger *slog.Logger
}

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.MaxMessageBytes <= 0 {
		out.MaxMessageBytes = 64 << 20
	}
	if out.CacheBytes <= 0 {
		out.CacheBytes = 16 << 20
	}
	if out.Workers <= 0 {
		out.Workers = min(runtime.GOMAXPROCS(0), 4)
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	return out
}

// Source reads an inbox's messages, oldest first, epoch by epoch.
type Source struct {
	key       string
	opts      Options
	epochs    []epoch
	cp        *checkpoint
	git       string       // the git program, or "" to read with go-git
	idx       int          // index of the epoch being read
	cur       commitStream // nil before the epoch idx is opened
	queue     []*source.Item
	rewritten []string
	failed    error // a damaged repository: every later Next returns it
}

var _ source.Source = (*Source)(nil)

// Open opens the inbox at dir (a v2 inbox directory, one epoch, or a v1
// inbox) to read the messages after checkpoint (nil: from the start).
func Open(ctx context.Context, dir string, checkpoint []byte, opts *Options) (*Source, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("publicinbox: %w", err)
	}
	cp, err := decodeCheckpoint(checkpoint)
	if err != nil {
		return nil, err
	}
	epochs, err := findEpochs(abs)
	if err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	git, err := gitProgram(o.Git)
	if err != nil {
		return nil, err
	}
	if git == "" && o.Git == GitAuto {
		o.Logger.Info("no git 2.32 or later on PATH: reading the inbox with go-git, about 2x slower", "inbox", abs)
	}
	return &Source{key: keyOf(abs), opts: o, epochs: epochs, cp: cp, git: git}, nil
}

// ReadsWithGit reports whether git cat-file reads the epochs (else
// go-git does).
func (s *Source) ReadsWithGit() bool { return s.git != "" }

// KeyFor returns the source key Open gives dir, so a caller can look up
// the stored checkpoint before opening.
func KeyFor(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("publicinbox: %w", err)
	}
	return keyOf(abs), nil
}

// keyOf is the key of the inbox at the absolute path abs.
func keyOf(abs string) string { return "public-inbox:" + abs }

// Key returns "public-inbox:" and the absolute inbox directory.
func (s *Source) Key() string { return s.key }

// Rewritten lists the epochs found rewritten so far (their stored
// commit was no longer in their history), each then read again from
// its first commit.
func (s *Source) Rewritten() []string { return s.rewritten }

// Next returns the next message, or io.EOF after the last one. A
// message too large is a *source.ReadError; a damaged repository (a
// missing or corrupt object) is an error naming the epoch, the commit
// and the object, returned again by every later call: the checkpoints
// given so far stop before the commit not read.
func (s *Source) Next(ctx context.Context) (*source.Item, error) {
	for len(s.queue) == 0 {
		if s.failed != nil {
			return nil, s.failed
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		done, err := s.fill(ctx)
		if err != nil {
			return nil, err
		}
		if done {
			return nil, io.EOF
		}
	}
	it := s.queue[0]
	s.queue[0] = nil
	s.queue = s.queue[1:]
	return it, nil
}

// fill reads the next commit into the queue, opening epochs as needed;
// done reports that every epoch was read.
func (s *Source) fill(ctx context.Context) (done bool, err error) {
	if s.idx >= len(s.epochs) {
		return true, nil
	}
	if s.cur == nil {
		if err := s.openEpoch(ctx); err != nil {
			return false, err
		}
	}
	res, ok, err := s.cur.next(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.failed = fmt.Errorf("publicinbox: %s: %w", s.epochs[s.idx].where(), err)
			return false, s.failed
		}
		return false, err
	}
	if !ok {
		err := s.cur.close()
		s.cur = nil
		s.idx++
		return false, err
	}
	return false, s.queueCommit(res)
}

func (s *Source) openEpoch(ctx context.Context) error {
	ep := s.epochs[s.idx]
	last := s.cp.At[ep.name]
	var commits []pendingCommit
	var rewritten bool
	var err error
	if s.git != "" {
		commits, rewritten, err = gitCommits(ctx, s.git, ep.dir, last)
	} else {
		commits, rewritten, err = newCommits(ctx, ep.dir, last)
	}
	if err != nil {
		return fmt.Errorf("publicinbox: %s: %w", ep.where(), err)
	}
	if rewritten {
		s.opts.Logger.Warn("public-inbox history rewritten, reading the epoch again",
			"epoch", ep.dir, "lost_commit", last)
		s.rewritten = append(s.rewritten, ep.dir)
		s.cp.At[ep.name] = ""
	}
	if s.git == "" || len(commits) == 0 { // nothing new: no git to start
		s.cur = startPrefetch(ep.dir, commits, s.opts.Workers, s.opts)
		return nil
	}
	g, err := startGitRead(s.git, ep.dir, commits, s.opts)
	if err != nil {
		return fmt.Errorf("publicinbox: %s: %w", ep.where(), err)
	}
	s.cur = g
	return nil
}

// queueCommit queues the items of a commit read. Every item but the
// last carries the checkpoint before the commit, so that resuming reads
// the commit again.
func (s *Source) queueCommit(res commitResult) error {
	ep := s.epochs[s.idx]
	name, hex := ep.name, res.pc.hash.String()
	if res.fatal != nil {
		s.failed = fmt.Errorf("publicinbox: %s commit %s: %w", ep.where(), hex, res.fatal)
		return s.failed
	}
	before := s.cp.At[name]
	after := s.cp.With(name, hex)
	s.cp.At[name] = hex
	where := ep.where() + " commit " + hex[:12]
	if res.err != nil {
		return &source.ReadError{Where: where, Err: res.err, Checkpoint: after}
	}
	for i, e := range res.entries {
		it := &source.Item{Raw: e.raw, Where: where, Deleted: e.deleted, Checkpoint: after}
		if i < len(res.entries)-1 {
			it.Checkpoint = s.cp.With(name, before)
		}
		s.queue = append(s.queue, it)
	}
	return nil
}

// Close stops reading ahead and releases the repositories.
func (s *Source) Close() error {
	if s.cur == nil {
		return nil
	}
	err := s.cur.close()
	s.cur = nil
	return err
}
