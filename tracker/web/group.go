package web

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/prtrack/prtrack/tracker"
)

// WindowGroup is one merge window on the front page.
type WindowGroup struct {
	Window string
	Next   bool // the next merge window
	Roles  []RoleGroup
}

// RoleGroup is the pull requests of one role in a window.
type RoleGroup struct {
	Role   tracker.Role
	States []StateGroup
}

// StateGroup is the pull requests in one state.
type StateGroup struct {
	State tracker.State
	Rows  []*Row
}

// stateOrder is what the maintainer acts on first.
var stateOrder = []tracker.State{tracker.StateClean, tracker.StateNew, tracker.StateUnchecked,
	tracker.StateRejected, tracker.StateWaiting, tracker.StateAccepted, tracker.StatePulled,
	tracker.StateMerged, tracker.StateSuperseded, tracker.StateClosed, tracker.StateDeleted}

// group sorts rows into windows (soonest first, unknown last), roles
// and states; rows keep their order within a state.
func group(rows []*Row, next string) []WindowGroup {
	byWindow := map[string][]*Row{}
	for _, r := range rows {
		byWindow[windowOf(r)] = append(byWindow[windowOf(r)], r)
	}
	var out []WindowGroup
	for w, rs := range byWindow {
		out = append(out, WindowGroup{Window: w, Next: w == next, Roles: groupRoles(rs)})
	}
	slices.SortFunc(out, func(a, b WindowGroup) int { return compareWindows(a.Window, b.Window) })
	return out
}

func groupRoles(rows []*Row) []RoleGroup {
	var out []RoleGroup
	for _, role := range append(slices.Clone(tracker.Roles), "") {
		var rs []*Row
		for _, r := range rows {
			if r.Role == role {
				rs = append(rs, r)
			}
		}
		if len(rs) > 0 {
			out = append(out, RoleGroup{Role: role, States: groupStates(rs)})
		}
	}
	return out
}

func groupStates(rows []*Row) []StateGroup {
	var out []StateGroup
	for _, s := range stateOrder {
		var rs []*Row
		for _, r := range rows {
			if r.State == s {
				rs = append(rs, r)
			}
		}
		if len(rs) > 0 {
			out = append(out, StateGroup{State: s, Rows: rs})
		}
	}
	return out
}

// compareWindows orders "vX.Y" numerically, "unknown" last.
func compareWindows(a, b string) int {
	va, oka := parseWindow(a)
	vb, okb := parseWindow(b)
	switch {
	case oka != okb:
		if oka {
			return -1
		}
		return 1
	case !oka:
		return cmp.Compare(a, b)
	}
	return cmp.Or(cmp.Compare(va[0], vb[0]), cmp.Compare(va[1], vb[1]))
}

func parseWindow(w string) ([2]int, bool) {
	var v [2]int
	_, err := fmt.Sscanf(w, "v%d.%d", &v[0], &v[1])
	return v, err == nil
}
