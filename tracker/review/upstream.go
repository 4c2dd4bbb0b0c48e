package review

import (
	"context"
	"errors"
	"fmt"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
)

// Merger is what TrackUpstream needs from gitcheck.Checker: a local
// look-up in the accepted trees, no network.
type Merger interface {
	MergedInto(ctx context.Context, tip string) (*gitcheck.Merge, error)
}

// TrackUpstream follows the subsystem's own pull requests to Linus
// (role upstream) until their tip is in Linus's master, and records
// them merged with the merge commit then. They are never judged by the
// rules and never answered. It returns the ids it moved; before the
// mainline is fetched it does nothing.
func TrackUpstream(ctx context.Context, st *tracker.Store, m Merger) ([]uint64, error) {
	var open []*tracker.PullRequestRecord
	err := st.View(func(tx *tracker.Tx) error {
		recs, err := tx.PullRequests()
		for _, r := range recs {
			if r.Role == tracker.RoleUpstream && !r.State.Settled() && r.Pull.Tip != "" {
				open = append(open, r)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var moved []uint64
	for _, r := range open {
		merge, err := m.MergedInto(ctx, r.Pull.Tip)
		if errors.Is(err, gitcheck.ErrNotFetched) {
			return moved, nil
		}
		if err != nil {
			return moved, fmt.Errorf("review: pull request %d: %w", r.ID, err)
		}
		if merge == nil {
			continue
		}
		if err := st.Update(func(tx *tracker.Tx) error { return recordUpstreamMerge(tx, r.ID, merge) }); err != nil {
			return moved, err
		}
		moved = append(moved, r.ID)
	}
	return moved, nil
}

func recordUpstreamMerge(tx *tracker.Tx, id uint64, m *gitcheck.Merge) error {
	why := "in " + m.Tree
	if m.Commit != "" {
		why += " by " + shortHash(m.Commit)
		if err := tx.UpdatePullRequest(id, func(r *tracker.PullRequestRecord) { r.MergeCommit = m.Commit }); err != nil {
			return err
		}
	}
	return tx.SetStateWhy(id, tracker.StateMerged, why)
}
