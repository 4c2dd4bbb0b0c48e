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
	"github.com/prtrack/prtrack/tracker/triage"
	"github.com/prtrack/prtrack/tracker/window"
)

// Checker is what review needs from gitcheck.Checker: a check by the
// named rule profile.
type Checker interface {
	CheckWith(ctx context.Context, id string, pr *mailparse.PullRequest, profile string) (*gitcheck.Verdict, error)
}

// DefaultMaxAge is how old a mail can be and still get a reply.
const DefaultMaxAge = 14 * 24 * time.Hour

// Options configures Run and Pending.
type Options struct {
	// Calendar gives the merge window of each pull request; nil skips
	// the rc6 cut-off.
	Calendar *window.Calendar
	// Horizon separates history (never answered, checked only by id)
	// from current work. Its zero value, unknown, makes everything
	// history.
	Horizon triage.Horizon
	// MaxAge is the oldest mail a reply is drafted to; zero means
	// DefaultMaxAge.
	MaxAge time.Duration
	// TreeState identifies the accepted trees' tips (see
	// gitcheck.Checker.TreeState): accepted pull requests are checked
	// again when it changes.
	TreeState string
	// Profiles chooses the rule profile of each pull request; nil
	// judges every one by the driver profile.
	Profiles *Selector
	// Drafter drafts replies; nil drafts none.
	Drafter *Drafter
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

func (o *Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o *Options) maxAge() time.Duration {
	if o.MaxAge <= 0 {
		return DefaultMaxAge
	}
	return o.MaxAge
}

func (o *Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// Outcome is what happened to one pull request.
type Outcome struct {
	ID        uint64
	MessageID string
	Subject   string
	Role      tracker.Role
	Profile   string
	// ProfileWhy says why that profile was chosen.
	ProfileWhy string
	Previous   tracker.State
	State      tracker.State
	Verdict    *gitcheck.Verdict
	Target     *window.Target
	// Draft is the reply drafted now, if any; NoReply says why none
	// was when one was due (an opt-out, a broken address...).
	Draft   *tracker.Draft
	NoReply string
	// Skipped says why the pull request was not checked at all (its
	// role is not judged by the rules).
	Skipped string
}

// Changed reports whether the state moved.
func (o *Outcome) Changed() bool { return o.Previous != o.State }

// Detail is the JSON payload of a verdict event.
type Detail struct {
	// Profile is the rule profile that judged it ("driver").
	Profile string `json:"profile,omitempty"`
	// ProfileWhy says why that profile was chosen.
	ProfileWhy string            `json:"profile_why,omitempty"`
	Verdict    *gitcheck.Verdict `json:"verdict"`
	Target     *window.Target    `json:"target,omitempty"`
	// Trees is the accepted trees' state the check saw.
	Trees string `json:"trees,omitempty"`
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

// stateFor maps a verdict onto a pull request state. A check that
// could not run (unreachable, the ref missing, the URL refused) leaves
// a pull request unchecked, or in the state an earlier real verdict
// gave it.
func stateFor(v *gitcheck.Verdict, prev tracker.State) tracker.State {
	if prev.Settled() {
		return prev // merged, superseded, closed or deleted: checked on request, never revived
	}
	if v.Merged != nil {
		// In Linus's tree: done. Pulled into another accepted tree
		// (rdma for-next): pulled, and checked again until it
		// reaches Linus's tree.
		if v.Readiness != nil && v.Readiness.State == gitcheck.Clean {
			return tracker.StateMerged
		}
		return tracker.StatePulled
	}
	if v.Status == gitcheck.Unchecked || fetchProblem(v) != nil {
		if prev == tracker.StateNew || prev == tracker.StateUnchecked {
			return tracker.StateUnchecked
		}
		return prev
	}
	if prev == tracker.StatePulled && v.Status == gitcheck.Accepted {
		return prev // the maintainer said so; the trees will show it
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
	case fetchProblem(v) != nil:
		b.Reset()
		b.WriteString("unchecked: " + fetchProblem(v).Code)
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

func detailJSON(o *Outcome, trees string) (json.RawMessage, error) {
	return json.Marshal(Detail{Profile: o.Profile, ProfileWhy: o.ProfileWhy, Verdict: o.Verdict, Target: o.Target, Trees: trees})
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
