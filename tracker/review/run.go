package review

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/triage"
	"github.com/prtrack/prtrack/tracker/window"
)

// Run checks the pull requests ids, one at a time, and records each
// outcome as soon as it is known: an interrupted run keeps what it did.
// The database is used only to read each pull request and to record
// its outcome, never across the fetch (open the store with
// tracker.Options.Release for other processes to get in meanwhile).
// The error is for failures of the store or of prtrack's repository;
// problems of a pull request are in its verdict.
func Run(ctx context.Context, st *tracker.Store, chk Checker, ids []uint64, opts *Options) ([]Outcome, error) {
	if opts == nil {
		opts = &Options{}
	}
	var out []Outcome
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		o, err := checkOne(ctx, st, chk, id, opts)
		if err != nil {
			return out, fmt.Errorf("review: pull request %d: %w", id, err)
		}
		out = append(out, *o)
	}
	return out, nil
}

func checkOne(ctx context.Context, st *tracker.Store, chk Checker, id uint64, opts *Options) (*Outcome, error) {
	var rec *tracker.PullRequestRecord
	if err := st.View(func(tx *tracker.Tx) error {
		var err error
		rec, err = tx.PullRequest(id)
		return err
	}); err != nil {
		return nil, err
	}
	o := &Outcome{ID: id, MessageID: rec.MessageID, Subject: rec.Subject, Role: rec.Role, Previous: rec.State, State: rec.State}
	profile, why, err := profileFor(rec, opts.Profiles)
	if err != nil {
		o.Skipped = err.Error()
		return o, nil
	}
	o.Profile, o.ProfileWhy = profile, why
	pull := rec.Pull
	pull.Sender = rec.From.Email
	v, err := chk.CheckWith(ctx, strconv.FormatUint(id, 10), &pull, profile)
	if err != nil {
		return nil, err
	}
	o.Verdict, o.State = v, stateFor(v, rec.State)
	if kernelCycle(profile) {
		o.Target = target(opts.Calendar, rec)
	}
	if err := st.Update(func(tx *tracker.Tx) error { return record(tx, o, opts.TreeState) }); err != nil {
		return nil, err
	}
	opts.logger().Info("review: verdict recorded", "id", id, "profile", o.Profile, "status", v.Status, "state", o.State)
	if opts.Drafter == nil {
		return o, nil
	}
	// The verdict stays recorded whatever happens to the reply: a
	// broken template becomes an event, not a lost check.
	err = st.Update(func(tx *tracker.Tx) error { return opts.Drafter.draftIfDue(tx, rec, o, opts) })
	if err != nil {
		o.Draft, o.NoReply = nil, "drafting the reply failed: "+err.Error()
		ev := tracker.Event{Kind: EventNoReply, Summary: o.NoReply}
		if err := st.Update(func(tx *tracker.Tx) error { return tx.AppendEvent(id, ev) }); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// record appends the verdict event and moves the state.
func record(tx *tracker.Tx, o *Outcome, trees string) error {
	detail, err := detailJSON(o, trees)
	if err != nil {
		return err
	}
	ev := tracker.Event{Kind: tracker.EventVerdict, Summary: o.Profile + ": " + summary(o.Verdict, o.Target), Detail: detail}
	if err := tx.AppendEvent(o.ID, ev); err != nil {
		return err
	}
	if o.Verdict.Merged != nil && o.Verdict.Merged.Commit != "" {
		commit := o.Verdict.Merged.Commit
		if err := tx.UpdatePullRequest(o.ID, func(r *tracker.PullRequestRecord) { r.MergeCommit = commit }); err != nil {
			return err
		}
	}
	return tx.SetState(o.ID, o.State)
}

// target places the pull request in a merge window by when it was sent
// (the Date header, or when prtrack first saw it).
func target(c *window.Calendar, rec *tracker.PullRequestRecord) *window.Target {
	if c == nil {
		return nil
	}
	t, err := c.For(triage.SentAt(rec), triage.IsFixes(rec))
	if err != nil {
		return nil
	}
	return &t
}

// LastDetail reads back the newest verdict recorded in events, or nil.
func LastDetail(events []tracker.Event) *Detail {
	for i := len(events) - 1; i >= 0; i-- {
		if d, ok := verdictDetail(events[i]); ok {
			return d
		}
	}
	return nil
}

// verdictDetail reads the verdict recorded by a verdict event.
func verdictDetail(ev tracker.Event) (*Detail, bool) {
	if ev.Kind != tracker.EventVerdict {
		return nil, false
	}
	var d Detail
	if err := json.Unmarshal(ev.Detail, &d); err != nil || d.Verdict == nil {
		return nil, false
	}
	return &d, true
}
