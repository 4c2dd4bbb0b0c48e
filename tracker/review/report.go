package review

import (
	"sort"
	"strings"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// reportKey is where the time of the last report is kept: the report
// reads the history of state changes, and this is how far it has read.
const reportKey = "report:last"

// Report is the maintainer's daily view.
type Report struct {
	Since time.Time // the previous report; zero for the first
	// Windows lists the outstanding pull requests per merge window,
	// soonest first; "unchecked" holds those without a verdict.
	Windows []WindowGroup
	// BecameClean are the pull requests that turned clean since the
	// previous report: sendable to Linus now.
	BecameClean []Entry
}

// WindowGroup is the outstanding pull requests of one merge window.
type WindowGroup struct {
	Window  string
	Entries []Entry
}

// Entry is one pull request in a report.
type Entry struct {
	ID      uint64        `json:"id"`
	Subject string        `json:"subject"`
	From    string        `json:"from"`
	State   tracker.State `json:"state"`
	Summary string        `json:"summary"` // the last verdict, one line
	Late    bool          `json:"late,omitempty"`
}

// MakeReport builds the report and, when mark is true, remembers now as
// the time of the last report.
func MakeReport(st *tracker.Store, now time.Time, mark bool) (*Report, error) {
	r := &Report{}
	err := st.View(func(tx *tracker.Tx) error {
		if b, ok := tx.Position(reportKey); ok {
			r.Since, _ = time.Parse(time.RFC3339Nano, string(b))
		}
		recs, err := tx.PullRequests()
		if err != nil {
			return err
		}
		groups := map[string][]Entry{}
		for _, rec := range recs {
			if err := r.add(tx, rec, groups); err != nil {
				return err
			}
		}
		r.Windows = sortGroups(groups)
		return nil
	})
	if err != nil || !mark {
		return r, err
	}
	return r, st.Update(func(tx *tracker.Tx) error {
		return tx.SetPosition(reportKey, []byte(now.UTC().Format(time.RFC3339Nano)))
	})
}

func (r *Report) add(tx *tracker.Tx, rec *tracker.PullRequestRecord, groups map[string][]Entry) error {
	events, err := tx.Events(rec.ID)
	if err != nil {
		return err
	}
	e := Entry{ID: rec.ID, Subject: rec.Subject, From: rec.From.String(), State: rec.State}
	window := "unchecked"
	if d := LastDetail(events); d != nil {
		e.Summary = summary(d.Verdict, d.Target)
		if d.Target != nil {
			window = d.Target.Window.String()
			e.Late = d.Target.Late
		}
	}
	switch rec.State {
	case tracker.StateNew, tracker.StateAccepted, tracker.StateWaiting, tracker.StateClean:
		groups[window] = append(groups[window], e)
	}
	if rec.State == tracker.StateClean && turnedCleanAfter(events, r.Since) {
		r.BecameClean = append(r.BecameClean, e)
	}
	return nil
}

// turnedCleanAfter reports whether the newest state change to clean
// happened after t.
func turnedCleanAfter(events []tracker.Event, t time.Time) bool {
	for i := len(events) - 1; i >= 0; i-- {
		ev := events[i]
		if ev.Kind == tracker.EventState && strings.HasSuffix(ev.Summary, "-> "+string(tracker.StateClean)) {
			return ev.Time.After(t)
		}
	}
	return false
}

// sortGroups orders windows by version, "unchecked" last.
func sortGroups(groups map[string][]Entry) []WindowGroup {
	out := make([]WindowGroup, 0, len(groups))
	for w, es := range groups {
		out = append(out, WindowGroup{Window: w, Entries: es})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Window, out[j].Window
		if (a == "unchecked") != (b == "unchecked") {
			return b == "unchecked"
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
