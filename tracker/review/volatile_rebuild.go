package review

import (
	"context"

	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker"
)

// VolatileOptions say how RebuildVolatile works.
type VolatileOptions struct {
	Build volatile.Options
	// Push, when its URL is set, is where the result is pushed.
	Push volatile.PushOptions
	// Replies, when set, drafts the replies about new pairwise
	// conflicts with these options (volatile.conflictReply).
	Replies *Options
}

// VolatileOutcome is a rebuild of the volatile for-next: git's result,
// what changed in the pull requests' histories since the last one, and
// the conflict replies drafted.
type VolatileOutcome struct {
	*volatile.Result
	Changes []VolatileChange `json:"changes"`
	Drafted []uint64         `json:"drafted,omitempty"`
	// Inputs are the pending pull requests merged, in order.
	Inputs []volatile.Input `json:"-"`
	// PushErr is why the push failed; the rest was recorded.
	PushErr error `json:"-"`
}

// RebuildVolatile is the volatile step of prtrack's day and of
// "prtrack volatile": it merges the pending accepted pull requests onto
// the base (the store is only read, not held, during the merges),
// pushes the result when o.Push has a URL, records each pull request's
// result as an event, and drafts the conflict replies when o.Replies is
// set. A failed push does not stop the recording (PushErr); a failed
// recording or drafting is the error.
func RebuildVolatile(ctx context.Context, st *tracker.Store, o VolatileOptions) (*VolatileOutcome, error) {
	var inputs []volatile.Input
	err := st.View(func(tx *tracker.Tx) (err error) {
		inputs, err = VolatileCandidates(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	res, err := volatile.Build(ctx, o.Build, inputs)
	if err != nil {
		return nil, err
	}
	out := &VolatileOutcome{Result: res, Changes: []VolatileChange{}, Inputs: inputs}
	if o.Push.URL != "" {
		if out.PushErr = volatile.Push(ctx, o.Push, res.Commit); out.PushErr == nil {
			res.Pushed = o.Push.URL
		}
	}
	changes, err := RecordVolatile(st, res)
	out.Changes = append(out.Changes, changes...)
	if err != nil || o.Replies == nil {
		return out, err
	}
	drafts, err := DraftConflicts(st, res, o.Replies)
	for _, d := range drafts {
		out.Drafted = append(out.Drafted, d.ID)
	}
	return out, err
}
