// Package review runs prtrack's daily job on recorded pull requests:
// it checks each one with gitcheck, records the verdict in its history,
// moves its state (rejected, waiting, clean), works out the merge window
// it targets, and drafts a reply when what prtrack has to say about it
// changed.
package review

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/window"
)

// Checker is what review needs from gitcheck.Checker.
type Checker interface {
	Check(ctx context.Context, id string, pr *mailparse.PullRequest) (*gitcheck.Verdict, error)
}

// Options configures Run.
type Options struct {
	// Calendar gives the merge window of each pull request; nil skips
	// the rc6 cut-off.
	Calendar *window.Calendar
	// Drafter drafts replies; nil drafts none.
	Drafter *Drafter
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Outcome is what happened to one pull request.
type Outcome struct {
	ID       uint64
	Subject  string
	Previous tracker.State
	State    tracker.State
	Verdict  *gitcheck.Verdict
	Target   *window.Target
	// Draft is the reply drafted now, if any; NoReply says why none
	// was when one was due (an opt-out, a broken address...).
	Draft   *tracker.Draft
	NoReply string
}

// Changed reports whether the state moved.
func (o *Outcome) Changed() bool { return o.Previous != o.State }

// Detail is the JSON payload of a verdict event.
type Detail struct {
	Verdict *gitcheck.Verdict `json:"verdict"`
	Target  *window.Target    `json:"target,omitempty"`
}

// Pending returns the pull requests worth checking: those not yet
// judged for good (new, waiting, accepted) and the clean ones, which
// are checked until they are seen merged into the mainline. Those
// backed off after over-limit fetches (see BackedOff) are left out.
func Pending(st *tracker.Store) ([]uint64, error) {
	return PendingAt(st, time.Now())
}

// PendingAt is Pending at the time now.
func PendingAt(st *tracker.Store, now time.Time) ([]uint64, error) {
	var ids []uint64
	err := st.View(func(tx *tracker.Tx) error {
		recs, err := tx.PullRequests()
		for _, r := range recs {
			switch r.State {
			case tracker.StateNew, tracker.StateWaiting, tracker.StateAccepted, tracker.StateClean:
			default:
				continue
			}
			evs, err := tx.Events(r.ID)
			if err != nil {
				return err
			}
			if b, ok := BackedOff(evs); ok && now.Before(b.Until) {
				continue
			}
			ids = append(ids, r.ID)
		}
		return err
	})
	return ids, err
}

// ParseIDs turns command-line pull request ids into numbers.
func ParseIDs(args []string) ([]uint64, error) {
	ids := make([]uint64, 0, len(args))
	for _, a := range args {
		n, err := strconv.ParseUint(strings.TrimPrefix(a, "#"), 10, 64)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("review: %q is not an id", a)
		}
		ids = append(ids, n)
	}
	return ids, nil
}

// stateFor maps a verdict onto a pull request state; an unchecked pull
// request keeps the state it had.
func stateFor(v *gitcheck.Verdict, prev tracker.State) tracker.State {
	if prev == tracker.StateDeleted {
		return prev // removed from the archive: checked on request, never revived
	}
	if v.Merged != nil {
		// In Linus's tree: done. Pulled into another accepted tree
		// (rdma for-next): accepted, and checked again until it
		// reaches Linus's tree.
		if v.Readiness != nil && v.Readiness.State == gitcheck.Clean {
			return tracker.StateMerged
		}
		return tracker.StateAccepted
	}
	switch v.Status {
	case gitcheck.Rejected:
		return tracker.StateRejected
	case gitcheck.Accepted:
		if v.Readiness != nil && v.Readiness.State == gitcheck.Waiting {
			return tracker.StateWaiting
		}
		return tracker.StateClean
	}
	return prev
}

// summary is the one-line history entry for a verdict.
func summary(v *gitcheck.Verdict, t *window.Target) string {
	var b strings.Builder
	b.WriteString(string(v.Status))
	switch {
	case v.Merged != nil:
		b.WriteString(", pulled into " + v.Merged.Tree)
		if v.Merged.Commit != "" {
			b.WriteString(" by " + shortHash(v.Merged.Commit))
		}
	case v.Status == gitcheck.Unchecked:
		b.WriteString(": " + v.Reason)
	case v.Status == gitcheck.Rejected:
		var codes []string
		for _, f := range v.Findings {
			if f.Severity == gitcheck.Error && !slices.Contains(codes, string(f.Code)) {
				codes = append(codes, string(f.Code))
			}
		}
		b.WriteString(": " + strings.Join(codes, ", "))
	case v.Readiness != nil && v.Readiness.State == gitcheck.Waiting:
		var trees []string
		for _, w := range v.Readiness.Waiting {
			trees = append(trees, fmt.Sprintf("%s (%d)", w.Tree, w.Commits))
		}
		b.WriteString(", waiting on " + strings.Join(trees, ", "))
	default:
		b.WriteString(", clean")
	}
	if t != nil {
		fmt.Fprintf(&b, "; targets %s", t.Window)
		if t.Late {
			fmt.Fprintf(&b, " (late for %s: after %s)", t.Missed, t.CutOff)
		}
	}
	return b.String()
}

func detailJSON(v *gitcheck.Verdict, t *window.Target) (json.RawMessage, error) {
	return json.Marshal(Detail{Verdict: v, Target: t})
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
