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

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/source"
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
// everything counted in them is committed.
func Run(ctx context.Context, st *tracker.Store, src source.Source, opts *Options) (*Stats, error) {
	if opts == nil {
		opts = &Options{}
	}
	r := &run{st: st, key: src.Key(), opts: opts, log: opts.logger(), stats: &Stats{}}
	maxN, maxBytes := opts.batch()
	for {
		items, readErr := r.readBatch(ctx, src, maxN, maxBytes)
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
		r.log.Warn("skipped message", "where", sk.Where, "message_id", sk.MessageID, "reason", sk.Reason)
	}
	r.delta = Stats{}
}

// readBatch reads up to maxN items or maxBytes bytes. It returns the
// items with the error that ended the batch early (io.EOF at the end).
func (r *run) readBatch(ctx context.Context, src source.Source, maxN, maxBytes int) ([]pending, error) {
	var items []pending
	size := 0
	for len(items) < maxN && size < maxBytes {
		if err := ctx.Err(); err != nil {
			return items, err
		}
		it, err := src.Next(ctx)
		var rerr *source.ReadError
		switch {
		case errors.As(err, &rerr):
			items = append(items, pending{
				item: &source.Item{Where: rerr.Where, Checkpoint: rerr.Checkpoint},
				skip: &Skip{Where: rerr.Where, Reason: rerr.Err.Error()},
			})
			continue
		case err != nil:
			return items, err
		}
		items = append(items, pending{item: it})
		size += len(it.Raw)
	}
	return items, nil
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
