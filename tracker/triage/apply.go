package triage

import (
	"fmt"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/window"
)

// Change is one thing Apply changed.
type Change struct {
	ID    uint64        `json:"id"`
	What  string        `json:"what"` // "role", "state" or "window"
	From  string        `json:"from,omitempty"`
	To    string        `json:"to"`
	Why   string        `json:"why,omitempty"`
	State tracker.State `json:"-"`
}

// Apply brings every recorded pull request up to date with what the
// configuration and the mail say: roles (except those a maintainer
// set), the merge window (with cal), and the states the threads show
// (merged, pulled) or later versions imply (superseded). Settled pull
// requests are left alone. It is idempotent: a second call changes
// nothing.
func (c *Config) Apply(tx *tracker.Tx, cal *window.Calendar) ([]Change, error) {
	recs, err := tx.PullRequests()
	if err != nil {
		return nil, err
	}
	var changes []Change
	for _, rec := range recs {
		ch, err := c.applyOne(tx, rec, cal)
		if err != nil {
			return changes, fmt.Errorf("triage: pull request %d: %w", rec.ID, err)
		}
		changes = append(changes, ch...)
	}
	ch, err := supersede(tx, recs)
	return append(changes, ch...), err
}

func (c *Config) applyOne(tx *tracker.Tx, rec *tracker.PullRequestRecord, cal *window.Calendar) ([]Change, error) {
	var changes []Change
	if role := c.RoleOf(rec); rec.RoleBy != tracker.RoleByMaintainer && rec.Role != role {
		changes = append(changes, Change{ID: rec.ID, What: "role", From: string(rec.Role), To: string(role)})
		if err := tx.SetRole(rec.ID, role, tracker.RoleByRules); err != nil {
			return nil, err
		}
		rec.Role = role
	}
	if w := WindowOf(cal, rec); w != "" && w != rec.Window {
		changes = append(changes, Change{ID: rec.ID, What: "window", From: rec.Window, To: w})
		if err := tx.UpdatePullRequest(rec.ID, func(r *tracker.PullRequestRecord) { r.Window = w }); err != nil {
			return nil, err
		}
		rec.Window = w
	}
	ch, err := c.settleOne(tx, rec)
	if ch != nil {
		changes = append(changes, *ch)
	}
	return changes, err
}

// settleOne records what the thread says, when it moves the state on.
func (c *Config) settleOne(tx *tracker.Tx, rec *tracker.PullRequestRecord) (*Change, error) {
	if rec.State.Settled() || rec.KeepOpen {
		return nil, nil
	}
	replies, err := tx.Replies(rec.ID)
	if err != nil {
		return nil, err
	}
	s := c.Settle(rec, replies)
	if s == nil || s.State == rec.State {
		return nil, nil
	}
	if err := setSettled(tx, rec, s.State, s.Commit, s.Why()); err != nil {
		return nil, err
	}
	return &Change{ID: rec.ID, What: "state", From: string(rec.State), To: string(s.State), Why: s.Why(), State: s.State}, nil
}

// setSettled moves rec to state, recording the merge commit if known.
func setSettled(tx *tracker.Tx, rec *tracker.PullRequestRecord, state tracker.State, commit, why string) error {
	if commit != "" {
		if err := tx.UpdatePullRequest(rec.ID, func(r *tracker.PullRequestRecord) { r.MergeCommit = commit }); err != nil {
			return err
		}
	}
	if err := tx.SetStateWhy(rec.ID, state, why); err != nil {
		return err
	}
	rec.State, rec.MergeCommit = state, commit
	return nil
}

// supersede marks every open pull request that a later one replaces,
// whatever order the archive delivered them in; the first replacement
// found, in arrival order, is named.
func supersede(tx *tracker.Tx, recs []*tracker.PullRequestRecord) ([]Change, error) {
	var changes []Change
	for _, old := range recs {
		if old.State.Settled() || old.State == tracker.StatePulled || old.KeepOpen {
			continue
		}
		for _, newer := range recs {
			if newer.State == tracker.StateDeleted || !Supersedes(old, newer) {
				continue
			}
			why := fmt.Sprintf("by #%d <%s>", newer.ID, newer.MessageID)
			if err := link(tx, old, newer); err != nil {
				return changes, err
			}
			if err := tx.SetStateWhy(old.ID, tracker.StateSuperseded, why); err != nil {
				return changes, err
			}
			changes = append(changes, Change{ID: old.ID, What: "state", From: string(old.State), To: string(tracker.StateSuperseded), Why: why, State: tracker.StateSuperseded})
			old.State = tracker.StateSuperseded
			break
		}
	}
	return changes, nil
}

func link(tx *tracker.Tx, old, newer *tracker.PullRequestRecord) error {
	if err := tx.UpdatePullRequest(old.ID, func(r *tracker.PullRequestRecord) { r.SupersededBy = newer.ID }); err != nil {
		return err
	}
	return tx.UpdatePullRequest(newer.ID, func(r *tracker.PullRequestRecord) {
		for _, id := range r.Supersedes {
			if id == old.ID {
				return
			}
		}
		r.Supersedes = append(r.Supersedes, old.ID)
	})
}

// WindowOf is the merge window rec targets by when it was sent, or ""
// without a calendar.
func WindowOf(cal *window.Calendar, rec *tracker.PullRequestRecord) string {
	if cal == nil {
		return ""
	}
	t, err := cal.For(SentAt(rec), IsFixes(rec))
	if err != nil {
		return ""
	}
	return t.Window.String()
}

// IsFixes reports whether the pull request is for the current -rc.
func IsFixes(rec *tracker.PullRequestRecord) bool {
	for _, t := range rec.Pull.Targets {
		if t == "fixes" || t == "for-rc" || t == "rc" {
			return true
		}
	}
	return false
}

// CycleFor is what the calendar says of the current cycle at now.
func (c *Config) CycleFor(cal *window.Calendar, now time.Time) tracker.Cycle {
	h := c.HorizonFor(cal)
	cy := tracker.Cycle{Known: h.Known, Horizon: h.Since, UpdatedAt: now}
	if cal == nil {
		return cy
	}
	if v, err := cal.NextWindow(now); err == nil {
		cy.Next = v.String()
	}
	if t, ok := cal.LastRelease(); ok {
		cy.Last = t.Name
	}
	return cy
}
