package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/config"
	"github.com/prtrack/prtrack/tracker/reply/outbox"
	"github.com/prtrack/prtrack/tracker/review"
)

// errRunFailed is the exit-1 error of a run where something failed
// but the rest was done.
var errRunFailed = errors.New("something failed (see FAILED above); the rest was done")

func runDaily(ctx context.Context, io *IO, args []string) error {
	fs, sf := storeCommand(io, "run")
	send := fs.Bool("send", false, "post the drafted replies, within reply.batchLimit")
	yes := fs.Bool("yes", false, "with --send: post even more than reply.batchLimit")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	w, err := sf.openChecking()
	if err != nil {
		return err
	}
	defer w.Close()
	cfg, st, chk := w.cfg, w.st, w.chk
	var sum review.Summary
	dailyTrees(ctx, io, chk, &sum)
	if err := dailyIngest(ctx, io, cfg, st, &sum); err != nil {
		return err
	}
	opts, err := dailyReview(ctx, io, cfg, st, chk, &sum)
	if err != nil {
		return err
	}
	dailyVolatile(ctx, io, cfg, st, opts, &sum)
	if *send && len(sum.Drafted) > 0 {
		dailySend(ctx, io, cfg, st, *yes, &sum)
	}
	fmt.Fprintln(io.Out)
	sum.Print(io.Out)
	if len(sum.Failures) > 0 {
		return errRunFailed
	}
	return nil
}

// dailyTrees updates the accepted trees; a failed tree keeps its refs.
func dailyTrees(ctx context.Context, io *IO, chk *gitcheck.Checker, sum *review.Summary) {
	updates, err := chk.UpdateTrees(ctx)
	for _, u := range updates {
		if u.Error == "" {
			fmt.Fprintf(io.Out, "tree %-10s %s\n", u.Tree, plural(u.Refs, "ref"))
		}
	}
	sum.TreeFailures(updates)
	if err != nil {
		sum.Fail("trees: %v", err)
	}
}

// dailyIngest reads every configured source; one failing does not stop
// the others.
func dailyIngest(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store, sum *review.Summary) error {
	before, err := lastPullRequest(st)
	if err != nil {
		return err
	}
	srcs := cfg.Sources()
	var all []sourceFlags
	for _, p := range srcs.Mbox {
		all = append(all, sourceFlags{mbox: p})
	}
	for _, p := range srcs.PublicInbox {
		all = append(all, sourceFlags{inbox: p})
	}
	for _, u := range srcs.IMAP {
		all = append(all, sourceFlags{imap: u})
	}
	if len(all) == 0 {
		fmt.Fprintln(io.Err, "prtrack run: no [source] configured: no mail read")
	}
	for i := range all {
		if err := ingestOnce(ctx, io, cfg, st, &all[i]); err != nil {
			sum.Fail("source %s: %v", all[i].name(), err)
		}
	}
	after, err := lastPullRequest(st)
	for id := before + 1; id <= after; id++ {
		sum.New = append(sum.New, id)
	}
	return err
}

func (s *sourceFlags) name() string {
	switch {
	case s.mbox != "":
		return s.mbox
	case s.inbox != "":
		return s.inbox
	}
	return s.imap
}

// lastPullRequest is the newest pull request id (0 for none).
func lastPullRequest(st *tracker.Store) (uint64, error) {
	var last uint64
	err := st.View(func(tx *tracker.Tx) error {
		recs, err := tx.PullRequests()
		if len(recs) > 0 {
			last = recs[len(recs)-1].ID
		}
		return err
	})
	return last, err
}

// dailyReview settles from threads and trees, then checks what is due.
func dailyReview(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store, chk *gitcheck.Checker, sum *review.Summary) (*review.Options, error) {
	opts, changes, err := prepareReview(ctx, io, cfg, st, chk)
	if err != nil {
		return nil, err
	}
	sum.AddTriage(changes)
	merged, err := review.TrackUpstream(ctx, st, chk)
	sum.AddMerged(merged)
	if err != nil {
		sum.Fail("%v", err)
	}
	ids, err := review.Pending(st, opts)
	if err != nil {
		return nil, err
	}
	outcomes, err := review.Run(ctx, st, chk, ids, opts)
	printOutcomes(io.Out, outcomes, false)
	sum.AddOutcomes(outcomes)
	if err != nil {
		sum.Fail("%v", err)
	}
	return opts, nil
}

// dailySend posts the drafts under the same limits as "replies send".
func dailySend(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store, yes bool, sum *review.Summary) {
	smtp, err := cfg.SMTP()
	if err == nil {
		var limit int
		if _, limit, err = cfg.ReplyLimits(); err == nil {
			err = sendDrafts(ctx, io.Out, st, smtp, nil, outbox.SendOptions{Logger: logOf(io), Limit: limit, Confirmed: yes})
		}
	}
	if err != nil {
		sum.Fail("send: %v", err)
	}
}

// dailyVolatile rebuilds the volatile for-next (pushed when
// volatile.push is set, drafting the conflict replies with
// volatile.conflictReply) and notes what changed.
func dailyVolatile(ctx context.Context, io *IO, cfg *config.Config, st *tracker.Store, opts *review.Options, sum *review.Summary) {
	vc, err := cfg.Volatile()
	if err != nil {
		sum.Fail("volatile: %v", err)
		return
	}
	o := review.VolatileOptions{Build: vc.Build, Push: vc.Push}
	o.Build.Logger = logOf(io)
	if vc.ConflictReply {
		o.Replies = opts
	}
	out, err := review.RebuildVolatile(ctx, st, o)
	if err != nil {
		sum.Fail("volatile: %v", err)
	}
	if out == nil {
		return
	}
	if out.PushErr != nil {
		sum.Fail("volatile: %v", out.PushErr)
	}
	sum.AddVolatile(out.Changes)
	sum.Drafted = append(sum.Drafted, out.Drafted...)
	fmt.Fprintln(io.Out)
	printVolatile(io, out, false)
}
