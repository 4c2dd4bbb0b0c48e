package tracker

import (
	"fmt"
	"strings"
)

// Close closes pull request id by the maintainer's decision: prtrack
// stops checking and answering it. reason is required.
func (t *Tx) Close(id uint64, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("tracker: close pull request %d: a reason is required: %w", id, ErrInvalid)
	}
	rec, err := t.PullRequest(id)
	if err != nil {
		return err
	}
	if rec.State == StateClosed {
		return fmt.Errorf("tracker: pull request %d is already closed (%s): %w", id, rec.StateReason, ErrInvalid)
	}
	return t.SetStateWhy(id, StateClosed, "closed by the maintainer: "+reason)
}

// Reopen undoes Close, superseding or a mistaken settlement: the pull
// request goes back to the state it had before it was settled, or new
// when it had none, and the thread and later versions no longer settle
// it (KeepOpen); the trees still can. Merged and deleted pull requests cannot be
// reopened: the trees and the archive say so.
func (t *Tx) Reopen(id uint64) (State, error) {
	rec, err := t.PullRequest(id)
	if err != nil {
		return "", err
	}
	switch rec.State {
	case StateClosed, StateSuperseded:
	default:
		return "", fmt.Errorf("tracker: pull request %d is %s; only closed or superseded ones reopen: %w", id, rec.State, ErrInvalid)
	}
	events, err := t.Events(id)
	if err != nil {
		return "", err
	}
	back := StateNew
	for i := len(events) - 1; i >= 0; i-- {
		if c, ok := StateChangeOf(events[i]); ok && c.To == rec.State {
			back = c.From
			break
		}
	}
	if back.Settled() {
		back = StateNew
	}
	err = t.UpdatePullRequest(id, func(r *PullRequestRecord) {
		r.KeepOpen = true
		if rec.State == StateSuperseded {
			r.SupersededBy = 0
		}
	})
	if err != nil {
		return "", err
	}
	return back, t.SetStateWhy(id, back, "reopened by the maintainer")
}
