package review

import (
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
)

// Pending returns the pull requests due for a check, in id order:
// incoming ones sent after the horizon that are new, unchecked and
// past their back-off, or accepted (waiting, clean, pulled) and
// checked against trees that have moved since. History, other roles
// and settled or rejected pull requests are checked only by id.
func Pending(st *tracker.Store, opts *Options) ([]uint64, error) {
	if opts == nil {
		opts = &Options{}
	}
	now := opts.now()
	var ids []uint64
	err := st.View(func(tx *tracker.Tx) error {
		recs, err := tx.PullRequests()
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.Role != tracker.RoleIncoming || opts.Horizon.History(r) {
				continue
			}
			due, err := isDue(tx, r, opts.TreeState, now)
			if err != nil {
				return err
			}
			if due {
				ids = append(ids, r.ID)
			}
		}
		return nil
	})
	return ids, err
}

func isDue(tx *tracker.Tx, r *tracker.PullRequestRecord, trees string, now time.Time) (bool, error) {
	switch r.State {
	case tracker.StateNew:
		return true, nil
	case tracker.StateUnchecked, tracker.StateAccepted, tracker.StateWaiting, tracker.StateClean, tracker.StatePulled:
	default:
		return false, nil
	}
	events, err := tx.Events(r.ID)
	if err != nil {
		return false, err
	}
	if b, ok := BackedOff(events); ok && now.Before(b.Until) {
		return false, nil // over the fetch limit, whatever the state
	}
	if r.State == tracker.StateUnchecked {
		return !now.Before(NextRetry(events)), nil
	}
	d := LastDetail(events)
	return d == nil || trees == "" || d.Trees != trees, nil
}

// NextRetry is when an unchecked pull request is due again: the last
// attempt plus the back-off (backoffDelay) for the number of attempts
// since the last real verdict.
func NextRetry(events []tracker.Event) time.Time {
	var last time.Time
	failures := 0
	for _, ev := range events {
		d, ok := verdictDetail(ev)
		if !ok {
			continue
		}
		if d.Verdict.Status == gitcheck.Unchecked || fetchProblem(d.Verdict) != nil {
			failures++
		} else {
			failures = 0
		}
		last = ev.Time
	}
	if failures == 0 {
		return last
	}
	return last.Add(backoffDelay(failures))
}
