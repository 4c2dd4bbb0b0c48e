package review

import (
	"cmp"
	"slices"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/window"
)

// VolatileCandidates returns, in merge order, the pull requests the
// volatile for-next merges: incoming ones whose newest verdict is
// accepted and that are still pending (waiting, clean, or pulled into
// an accepted tree other than the mainline), whatever their readiness. The order
// is the target merge window (pull requests with none last), then when
// prtrack received them. rdma-core pull requests, userspace, are not
// for-next material.
func VolatileCandidates(tx *tracker.Tx) ([]volatile.Input, error) {
	recs, err := tx.PullRequests()
	if err != nil {
		return nil, err
	}
	var cands []candidate
	for _, r := range recs {
		switch r.State {
		case tracker.StateWaiting, tracker.StateClean, tracker.StateAccepted, tracker.StatePulled:
		default:
			continue
		}
		if r.Role != tracker.RoleIncoming {
			continue
		}
		events, err := tx.Events(r.ID)
		if err != nil {
			return nil, err
		}
		if d := LastDetail(events); d != nil && d.Verdict.Status == gitcheck.Accepted && d.Profile != gitcheck.ProfileRdmaCore {
			cands = append(cands, newCandidate(r, d))
		}
	}
	slices.SortFunc(cands, compareCandidates)
	out := make([]volatile.Input, len(cands))
	for i, c := range cands {
		out[i] = c.in
	}
	return out, nil
}

type candidate struct {
	in       volatile.Input
	window   *window.Version
	received time.Time
}

func newCandidate(r *tracker.PullRequestRecord, d *Detail) candidate {
	c := candidate{received: r.ReceivedAt, in: volatile.Input{ID: r.ID, MessageID: r.MessageID,
		Tip: d.Verdict.Tip, Subject: r.Subject}}
	if d.Target != nil {
		w := d.Target.Window
		c.window, c.in.Window = &w, w.String()
	}
	return c
}

func compareCandidates(a, b candidate) int {
	switch {
	case a.window == nil && b.window != nil:
		return 1
	case a.window != nil && b.window == nil:
		return -1
	case a.window != nil:
		if c := cmp.Or(cmp.Compare(a.window.Major, b.window.Major), cmp.Compare(a.window.Minor, b.window.Minor)); c != 0 {
			return c
		}
	}
	return cmp.Or(a.received.Compare(b.received), cmp.Compare(a.in.ID, b.in.ID))
}
