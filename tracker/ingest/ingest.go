// Package ingest records list mail into the prtrack store: it reads raw
// messages from a source.Source, drops those already seen (by
// Message-ID, whichever source they came from), finds the pull
// requests among the rest, attaches replies to the threads of tracked
// pull requests, and stores the source's read position in the same
// transaction as the messages it covers, so an interrupted run loses
// nothing and a new run reads nothing twice.
//
// Only messages that may carry a pull request (see mailparse.QuickScan)
// or that join a tracked thread get a full MIME parse.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/tracker"
)

// Defaults for Options.
const (
	DefaultBatchMessages = 1000
	DefaultBatchBytes    = 8 << 20
)

// Options configures Run. The zero value, or nil, means the defaults.
type Options struct {
	// BatchMessages and BatchBytes bound how much is recorded per
	// transaction (and so held in memory).
	BatchMessages int
	BatchBytes    int
	// Parse bounds the parsing of each message.
	Parse *mailparse.ParseOptions
	// Progress, if set, is called after each batch with the running
	// totals.
	Progress func(Stats)
	// Logger receives one line per skipped message; nil discards.
	Logger *slog.Logger
}

// Stats counts what a run did.
type Stats struct {
	Read         int   // items read from the source
	Bytes        int64 // raw bytes of those items
	New          int   // messages recorded for the first time
	Duplicates   int   // messages already recorded
	PullRequests int   // new pull requests recorded
	Replies      int   // replies attached to tracked pull requests
	Deleted      int   // deletions recorded by the archive
	Delivered    int   // our own drafted replies seen on the list
	Skipped      []Skip
	NewPRs       []uint64 // ids of the new pull requests
}

// Skip is a message that could not be recorded, and why.
type Skip struct {
	Where     string `json:"where"`
	MessageID string `json:"message_id,omitempty"`
	Reason    string `json:"reason"`
}

func (o *Options) batch() (int, int) {
	n, b := DefaultBatchMessages, DefaultBatchBytes
	if o != nil && o.BatchMessages > 0 {
		n = o.BatchMessages
	}
	if o != nil && o.BatchBytes > 0 {
		b = o.BatchBytes
	}
	return n, b
}

func (o *Options) logger() *slog.Logger {
	if o == nil || o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// Run reads src to its end and records what it holds into st. It
// returns the totals so far together with any error that stopped it;
// everything counted in them is committed. The source is read on its
// own goroutine, a few messages ahead of the recording, so decoding and
// recording use two cores; Next is never called after Run returns.
func Run(ctx context.Context, st *tracker.Store, src source.Source, opts *Options) (*Stats, error) {
	if opts == nil {
		opts = &Options{}
	}
	r := &run{st: st, key: src.Key(), opts: opts, log: opts.logger(), stats: &Stats{}}
	maxN, maxBytes := opts.batch()
	ctx, cancel := context.WithCancel(ctx)
	ahead := readAhead(ctx, src)
	defer stopReading(cancel, ahead)
	for {
		items, readErr := readBatch(ctx, ahead, maxN, maxBytes)
		if len(items) > 0 {
			if err := st.Update(func(tx *tracker.Tx) error { return r.record(tx, items) }); err != nil {
				return r.stats, fmt.Errorf("ingest: recording messages from %s: %w", r.key, err)
			}
			r.commit()
			if opts.Progress != nil {
				opts.Progress(*r.stats)
			}
		}
		if errors.Is(readErr, io.EOF) {
			return r.stats, nil
		}
		if readErr != nil {
			return r.stats, fmt.Errorf("ingest: reading %s: %w", r.key, readErr)
		}
	}
}

// stopReading cancels the reader and waits for it to stop, so that the
// caller may close the source. A reader blocked where cancellation does
// not reach (standard input with nothing to read) is abandoned after a
// grace period rather than hanging the command.
func stopReading(cancel context.CancelFunc, ahead <-chan readResult) {
	cancel()
	grace := time.NewTimer(2 * time.Second)
	defer grace.Stop()
	for {
		select {
		case _, ok := <-ahead:
			if !ok {
				return
			}
		case <-grace.C:
			return
		}
	}
}

// readAheadItems bounds how far the reader runs ahead of the recording.
const readAheadItems = 64

// readResult is one item read ahead, or the error that ended reading.
type readResult struct {
	p   pending
	err error
}

// readAhead reads src on a goroutine until an error (io.EOF at the end)
// or until ctx ends, then closes the channel.
func readAhead(ctx context.Context, src source.Source) <-chan readResult {
	out := make(chan readResult, readAheadItems)
	go func() {
		defer close(out)
		for {
			res := next(ctx, src)
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
			if res.err != nil {
				return
			}
		}
	}()
	return out
}

// next reads one item; a damaged message becomes a pending skip.
func next(ctx context.Context, src source.Source) readResult {
	if err := ctx.Err(); err != nil {
		return readResult{err: err}
	}
	it, err := src.Next(ctx)
	var rerr *source.ReadError
	switch {
	case errors.As(err, &rerr):
		return readResult{p: pending{
			item: &source.Item{Where: rerr.Where, Checkpoint: rerr.Checkpoint},
			skip: &Skip{Where: rerr.Where, Reason: rerr.Err.Error()},
		}}
	case err != nil:
		return readResult{err: err}
	}
	return readResult{p: pending{item: it}}
}

// readBatch takes up to maxN items or maxBytes bytes from the reader.
// It returns the items with the error that ended the batch early
// (io.EOF at the end).
func readBatch(ctx context.Context, ahead <-chan readResult, maxN, maxBytes int) ([]pending, error) {
	var items []pending
	size := 0
	for len(items) < maxN && size < maxBytes {
		var res readResult
		var ok bool
		select {
		case res, ok = <-ahead:
		case <-ctx.Done():
			return items, ctx.Err()
		}
		if !ok {
			return items, ctx.Err()
		}
		if res.err != nil {
			return items, res.err
		}
		items = append(items, res.p)
		if res.p.item.Raw != nil {
			size += len(res.p.item.Raw)
		}
	}
	return items, nil
}

// pending is one item of a batch: a message, or a damaged one to skip
// whose checkpoint still moves the position on.
type pending struct {
	item *source.Item
	skip *Skip
}

type run struct {
	st    *tracker.Store
	key   string
	opts  *Options
	log   *slog.Logger
	stats *Stats
	// delta counts the batch in progress; it joins stats on commit,
	// so a failed transaction is not counted.
	delta Stats
}

func (r *run) commit() {
	s, d := r.stats, &r.delta
	s.Read += d.Read
	s.Bytes += d.Bytes
	s.New += d.New
	s.Duplicates += d.Duplicates
	s.PullRequests += d.PullRequests
	s.Replies += d.Replies
	s.Deleted += d.Deleted
	s.Delivered += d.Delivered
	s.Skipped = append(s.Skipped, d.Skipped...)
	s.NewPRs = append(s.NewPRs, d.NewPRs...)
	for _, sk := range d.Skipped {
		r.log.Info("skipped message", "where", sk.Where, "message_id", sk.MessageID, "reason", sk.Reason)
	}
	r.delta = Stats{}
}

// record writes a batch in one transaction, with the position after
// its last item.
func (r *run) record(tx *tracker.Tx, items []pending) error {
	r.delta = Stats{}
	var last []byte
	for _, p := range items {
		if p.item.Checkpoint != nil {
			last = p.item.Checkpoint
		}
		if p.skip != nil {
			r.delta.Skipped = append(r.delta.Skipped, *p.skip)
			continue
		}
		r.delta.Read++
		r.delta.Bytes += int64(len(p.item.Raw))
		if err := r.message(tx, p.item); err != nil {
			return err
		}
	}
	if last == nil {
		return nil
	}
	return tx.SetPosition(r.key, last)
}
