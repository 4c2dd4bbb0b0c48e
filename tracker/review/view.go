package review

import (
	"github.com/prtrack/prtrack/gitcheck"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/triage"
)

// PullView is a pull request as every command shows it, and the one
// JSON object for it (list, show, report, check): snake_case keys, the
// window as "v6.15".
type PullView struct {
	ID           uint64        `json:"id"`
	MessageID    string        `json:"message_id"`
	Subject      string        `json:"subject"`
	From         string        `json:"from"`
	Date         time.Time     `json:"date"`
	Role         tracker.Role  `json:"role"`
	State        tracker.State `json:"state"`
	StateReason  string        `json:"state_reason,omitempty"`
	Window       string        `json:"window,omitempty"`
	Late         bool          `json:"late,omitempty"`
	History      bool          `json:"history"`
	URL          string        `json:"url"`
	Ref          string        `json:"ref,omitempty"`
	Tip          string        `json:"tip,omitempty"`
	Version      int           `json:"version"`
	Profile      string        `json:"profile,omitempty"`
	ProfileWhy   string        `json:"profile_why,omitempty"`
	Summary      string        `json:"summary,omitempty"` // the last verdict, one line
	MergeCommit  string        `json:"merge_commit,omitempty"`
	SupersededBy uint64        `json:"superseded_by,omitempty"`
	Supersedes   []uint64      `json:"supersedes,omitempty"`
	// Findings are the last verdict's findings (errors and warnings),
	// and SignedBy the key that signed its tag, when it verified.
	Findings []gitcheck.Finding `json:"findings,omitempty"`
	SignedBy string             `json:"signed_by,omitempty"`
	// Volatile is its result in the last volatile for-next rebuild.
	Volatile *VolatileDetail `json:"volatile,omitempty"`
}

// VolatileTrouble is the volatile result worth a maintainer's look (a
// conflict with the base or with another pending pull request, a merge
// that failed), in one line, or "".
func (v *PullView) VolatileTrouble() string {
	d := v.Volatile
	if d == nil || (d.Status == "merged" || d.Status == "already in") && len(d.Pairs) == 0 {
		return ""
	}
	return d.summary()
}

// ViewFrom builds the view of rec from its history events, already
// read.
func ViewFrom(rec *tracker.PullRequestRecord, events []tracker.Event, h triage.Horizon) *PullView {
	v := &PullView{
		ID: rec.ID, MessageID: rec.MessageID, Subject: rec.Subject, From: rec.From.String(), Date: triage.SentAt(rec),
		Role: rec.Role, State: rec.State, StateReason: rec.StateReason, Window: rec.Window, History: h.History(rec),
		URL: rec.Pull.URL, Ref: rec.Pull.Ref, Tip: rec.Pull.Tip, Version: rec.Pull.Version,
		MergeCommit: rec.MergeCommit, SupersededBy: rec.SupersededBy, Supersedes: rec.Supersedes,
		Volatile: lastVolatile(events),
	}
	if d := LastDetail(events); d != nil {
		v.Profile, v.ProfileWhy, v.Summary = d.Profile, d.ProfileWhy, summary(d.Verdict, d.Target)
		v.Findings, v.SignedBy = d.Verdict.Findings, d.Verdict.SignedBy
		if d.Target != nil {
			v.Window, v.Late = d.Target.Window.String(), d.Target.Late
		}
	}
	return v
}

// Views returns the view of every pull request, and the horizon the
// store's cycle gives.
func Views(st *tracker.Store) ([]*PullView, tracker.Cycle, error) {
	var out []*PullView
	var cy tracker.Cycle
	err := st.View(func(tx *tracker.Tx) error {
		var err error
		out, cy, err = viewsIn(tx)
		return err
	})
	return out, cy, err
}

// viewsIn is Views inside a transaction.
func viewsIn(tx *tracker.Tx) ([]*PullView, tracker.Cycle, error) {
	var out []*PullView
	cy, err := eachView(tx, func(v *PullView, _ []tracker.Event) error {
		out = append(out, v)
		return nil
	})
	return out, cy, err
}

// eachView calls fn with the view of every pull request, in id order,
// and the history it was built from (read once), under the stored
// cycle's horizon, which it returns.
func eachView(tx *tracker.Tx, fn func(v *PullView, events []tracker.Event) error) (tracker.Cycle, error) {
	cy, _, err := tx.Cycle()
	if err != nil {
		return cy, err
	}
	h := triage.Horizon{Known: cy.Known, Since: cy.Horizon}
	recs, err := tx.PullRequests()
	if err != nil {
		return cy, err
	}
	for _, r := range recs {
		events, err := tx.Events(r.ID)
		if err != nil {
			return cy, err
		}
		if err := fn(ViewFrom(r, events, h), events); err != nil {
			return cy, err
		}
	}
	return cy, nil
}

// attention ranks states for "prtrack list": what the maintainer has
// to act on first.
var attention = map[tracker.State]int{
	tracker.StateClean: 0, tracker.StateNew: 1, tracker.StateUnchecked: 2, tracker.StateRejected: 3,
	tracker.StateWaiting: 4, tracker.StateAccepted: 5, tracker.StatePulled: 6,
	tracker.StateMerged: 8, tracker.StateSuperseded: 9, tracker.StateClosed: 9, tracker.StateDeleted: 10,
}

// Rank orders views for attention: incoming before upstream before
// foreign, current work before history, then by state, then newest
// first.
func Rank(a, b *PullView) int {
	if c := roleRank(a.Role) - roleRank(b.Role); c != 0 {
		return c
	}
	if a.History != b.History {
		return boolRank(a.History) - boolRank(b.History)
	}
	if c := attention[a.State] - attention[b.State]; c != 0 {
		return c
	}
	return b.Date.Compare(a.Date)
}

func roleRank(r tracker.Role) int {
	switch r {
	case tracker.RoleIncoming:
		return 0
	case tracker.RoleUpstream:
		return 1
	}
	return 2
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
