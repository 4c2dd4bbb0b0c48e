package review

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/window"
)

// Run checks the pull requests ids, one at a time, and records each
// outcome as soon as it is known: an interrupted run keeps what it did.
// The error is for failures of the store or of prtrack's repository;
// problems of a pull request are in its verdict.
func Run(ctx context.Context, st *tracker.Store, chk Checker, ids []uint64, opts *Options) ([]Outcome, error) {
	if opts == nil {
		opts = &Options{}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	var out []Outcome
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		o, err := checkOne(ctx, st, chk, id, opts, now)
		if err != nil {
			return out, fmt.Errorf("review: pull request %d: %w", id, err)
		}
		out = append(out, *o)
	}
	return out, nil
}

func checkOne(ctx context.Context, st *tracker.Store, chk Checker, id uint64, opts *Options, now func() time.Time) (*Outcome, error) {
	var rec *tracker.PullRequestRecord
	if err := st.View(func(tx *tracker.Tx) error {
		var err error
		rec, err = tx.PullRequest(id)
		return err
	}); err != nil {
		return nil, err
	}
	v, err := chk.Check(ctx, strconv.FormatUint(id, 10), &rec.Pull)
	if err != nil {
		return nil, err
	}
	o := &Outcome{ID: id, Subject: rec.Subject, Previous: rec.State, Verdict: v}
	o.Target = target(opts.Calendar, rec)
	o.State = stateFor(v, rec.State)
	err = st.Update(func(tx *tracker.Tx) error {
		if err := record(tx, o); err != nil {
			return err
		}
		if opts.Drafter == nil {
			return nil
		}
		return opts.Drafter.draftIfDue(tx, rec, o, now())
	})
	return o, err
}

// record appends the verdict event and moves the state.
func record(tx *tracker.Tx, o *Outcome) error {
	detail, err := detailJSON(o.Verdict, o.Target)
	if err != nil {
		return err
	}
	ev := tracker.Event{Kind: tracker.EventVerdict, Summary: summary(o.Verdict, o.Target), Detail: detail}
	if err := tx.AppendEvent(o.ID, ev); err != nil {
		return err
	}
	return tx.SetState(o.ID, o.State)
}

// target places the pull request in a merge window by when it was sent
// (the Date header, or when prtrack first saw it).
func target(c *window.Calendar, rec *tracker.PullRequestRecord) *window.Target {
	if c == nil {
		return nil
	}
	at := rec.Date
	if at.IsZero() {
		at = rec.ReceivedAt
	}
	t, err := c.For(at, isFixes(&rec.Pull))
	if err != nil {
		return nil
	}
	return &t
}

func isFixes(p *mailparse.PullRequest) bool {
	for _, t := range p.Targets {
		if t == "fixes" || t == "for-rc" {
			return true
		}
	}
	return false
}

// LastDetail reads back the newest verdict recorded in events, or nil.
func LastDetail(events []tracker.Event) *Detail {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind != tracker.EventVerdict {
			continue
		}
		var d Detail
		if err := json.Unmarshal(events[i].Detail, &d); err == nil && d.Verdict != nil {
			return &d
		}
	}
	return nil
}
