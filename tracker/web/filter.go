package web

import (
	"net/url"
	"strings"

	"github.com/prtrack/prtrack/tracker"
)

// Filter selects pull requests by the front page's query parameters:
// window, role, state, driver, sender (a part of the name or address)
// and q (a part of the subject, or a Message-ID).
type Filter struct {
	Window, Role, State, Driver, Sender, Query string
}

// maxParam bounds each query parameter.
const maxParam = 200

// ParseFilter reads a filter from query parameters; over-long values
// are cut.
func ParseFilter(q url.Values) Filter {
	get := func(k string) string {
		v := strings.TrimSpace(q.Get(k))
		if len(v) > maxParam {
			v = v[:maxParam]
		}
		return v
	}
	return Filter{Window: get("window"), Role: get("role"), State: get("state"),
		Driver: get("driver"), Sender: get("sender"), Query: get("q")}
}

// Active reports whether the filter selects anything: without one the
// front page shows what is outstanding.
func (f Filter) Active() bool { return f != Filter{} }

// Match reports whether r passes the filter.
func (f Filter) Match(r *Row) bool {
	return (f.Window == "" || f.Window == windowOf(r)) &&
		(f.Role == "" || f.Role == string(r.Role)) &&
		(f.State == "" || f.State == string(r.State)) &&
		(f.Driver == "" || strings.EqualFold(f.Driver, r.Driver)) &&
		(f.Sender == "" || containsFold(r.From, f.Sender)) &&
		(f.Query == "" || f.matchQuery(r))
}

func (f Filter) matchQuery(r *Row) bool {
	mid := strings.TrimSuffix(strings.TrimPrefix(f.Query, "<"), ">")
	return containsFold(r.Subject, f.Query) || r.MessageID == mid
}

func containsFold(s, part string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(part))
}

// windowOf is the window a row is listed under.
func windowOf(r *Row) string {
	if r.Window == "" {
		return "unknown"
	}
	return r.Window
}

// outstanding reports whether a row belongs on the unfiltered front
// page: current work that still waits on someone. Incoming pull
// requests wait until pulled; the subsystem's own until merged.
func outstanding(r *Row) bool {
	if r.History || r.State.Settled() {
		return false
	}
	switch r.Role {
	case tracker.RoleIncoming:
		return r.State != tracker.StatePulled
	case tracker.RoleUpstream:
		return true
	}
	return false
}

// Select returns the rows the front page lists: the outstanding ones
// without a filter, every match with one.
func (f Filter) Select(rows []*Row) []*Row {
	var out []*Row
	for _, r := range rows {
		if f.Active() && f.Match(r) || !f.Active() && outstanding(r) {
			out = append(out, r)
		}
	}
	return out
}
