package review

import (
	"sort"
	"strings"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// Report is the maintainer's daily view, per merge window, with the
// roles apart: incoming pull requests with their readiness, and the
// subsystem's own pulls to Linus with whether they were merged.
type Report struct {
	Since time.Time `json:"since"` // the previous report; zero for the first
	Next  string    `json:"next_window,omitempty"`
	// Windows lists the merge windows from the horizon on, soonest
	// first; "unknown" holds pull requests no window is known for.
	Windows []WindowGroup `json:"windows"`
	// BecameClean are the incoming pull requests that turned clean
	// since the previous report: sendable to Linus now.
	BecameClean []*PullView `json:"became_clean"`
	// Changes are the state changes since the previous report.
	Changes []Change `json:"changes"`
	// Volatile are the changes of volatile for-next results since the
	// previous report: new conflicts and conflicts that went away.
	Volatile []VolatileNews `json:"volatile"`
	// HistoryOpen counts unsettled pull requests before the horizon,
	// not shown (prtrack list --all shows them); HistoryChanged counts
	// the state changes of history, not listed in Changes either (a
	// first run settles years of it at once: that is not news).
	HistoryOpen    int `json:"history_open"`
	HistoryChanged int `json:"history_changed"`
}

// WindowGroup is one merge window.
type WindowGroup struct {
	Window string `json:"window"`
	// Incoming are the outstanding incoming pull requests (not yet
	// pulled, merged or otherwise settled).
	Incoming []*PullView `json:"incoming"`
	// Upstream are the pulls sent to Linus for this window, merged or
	// not.
	Upstream []*PullView `json:"upstream"`
}

// Change is one state change in a report.
type Change struct {
	ID        uint64        `json:"id"`
	MessageID string        `json:"message_id"`
	Subject   string        `json:"subject"`
	Role      tracker.Role  `json:"role"`
	From      tracker.State `json:"from"`
	To        tracker.State `json:"to"`
	Time      time.Time     `json:"time"`
	Why       string        `json:"why,omitempty"`
}

// outstanding reports whether an incoming pull request still waits on
// someone: the maintainer (clean, to pull), the sender (rejected,
// unchecked) or the trees (waiting).
func outstanding(s tracker.State) bool {
	switch s {
	case tracker.StateNew, tracker.StateUnchecked, tracker.StateAccepted, tracker.StateWaiting, tracker.StateClean, tracker.StateRejected:
		return true
	}
	return false
}

// MakeReport builds the report and, when mark is true, remembers now as
// the time of the last report.
func MakeReport(st *tracker.Store, now time.Time, mark bool) (*Report, error) {
	var r *Report
	err := st.View(func(tx *tracker.Tx) error {
		var err error
		r, err = ReportIn(tx)
		return err
	})
	if err != nil || !mark {
		return r, err
	}
	return r, st.Update(func(tx *tracker.Tx) error { return tx.SetReportLast(now) })
}

// ReportIn builds the report inside tx, so that it never mixes two
// states of the database, without remembering it.
func ReportIn(tx *tracker.Tx) (*Report, error) {
	r := &Report{Since: tx.ReportLast(), BecameClean: []*PullView{}, Changes: []Change{}, Volatile: []VolatileNews{}}
	groups := map[string]*WindowGroup{}
	cy, err := eachView(tx, func(v *PullView, events []tracker.Event) error {
		r.add(v, events, groups)
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Next, r.Windows = cy.Next, sortGroups(groups)
	return r, nil
}

func (r *Report) add(v *PullView, events []tracker.Event, groups map[string]*WindowGroup) {
	if v.Role == tracker.RoleForeign || v.Role == "" {
		return
	}
	changes := changesAfter(events, r.Since)
	if v.History {
		r.HistoryChanged += len(changes)
		changes = nil
	}
	for _, c := range changes {
		c.ID, c.MessageID, c.Subject, c.Role = v.ID, v.MessageID, v.Subject, v.Role
		r.Changes = append(r.Changes, c)
		if c.To == tracker.StateClean && v.State == tracker.StateClean && v.Role == tracker.RoleIncoming {
			r.BecameClean = append(r.BecameClean, v)
		}
	}
	if !v.History {
		r.Volatile = append(r.Volatile, volatileNewsAfter(v, events, r.Since)...)
	}
	if v.History {
		if v.Role == tracker.RoleIncoming && outstanding(v.State) {
			r.HistoryOpen++
		}
		return
	}
	w := v.Window
	if w == "" {
		w = "unknown"
	}
	g := groups[w]
	if g == nil {
		g = &WindowGroup{Window: w, Incoming: []*PullView{}, Upstream: []*PullView{}}
		groups[w] = g
	}
	switch {
	case v.Role == tracker.RoleIncoming && outstanding(v.State):
		g.Incoming = append(g.Incoming, v)
	case v.Role == tracker.RoleUpstream && v.State != tracker.StateDeleted:
		g.Upstream = append(g.Upstream, v)
	}
}

// changesAfter returns the state changes recorded after t.
func changesAfter(events []tracker.Event, t time.Time) []Change {
	var out []Change
	for _, ev := range events {
		c, ok := tracker.StateChangeOf(ev)
		if ok && ev.Time.After(t) {
			out = append(out, Change{From: c.From, To: c.To, Time: ev.Time, Why: c.Why})
		}
	}
	return out
}

// sortGroups orders windows by version, "unknown" last, and drops
// empty ones.
func sortGroups(groups map[string]*WindowGroup) []WindowGroup {
	out := []WindowGroup{}
	for _, g := range groups {
		if len(g.Incoming)+len(g.Upstream) > 0 {
			out = append(out, *g)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Window, out[j].Window
		if (a == "unknown") != (b == "unknown") {
			return b == "unknown"
		}
		return versionLess(a, b)
	})
	return out
}

// versionLess compares "vX.Y" strings numerically.
func versionLess(a, b string) bool {
	pa, pb := versionParts(a), versionParts(b)
	if pa[0] != pb[0] {
		return pa[0] < pb[0]
	}
	return pa[1] < pb[1]
}

func versionParts(v string) [2]int {
	var p [2]int
	for i, s := range strings.SplitN(strings.TrimPrefix(v, "v"), ".", 2) {
		for _, c := range s {
			if c < '0' || c > '9' {
				break
			}
			p[i] = p[i]*10 + int(c-'0')
		}
	}
	return p
}
