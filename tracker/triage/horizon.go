package triage

import (
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/window"
)

// Horizon separates history from current work. Pull requests sent
// before it are recorded and settled from their thread, but never
// answered and never checked unless asked for by id.
type Horizon struct {
	// Known is false while neither Linus's tags nor track.since say
	// where the current cycle starts: then everything is history.
	Known bool
	Since time.Time
}

// HorizonFor returns the horizon: c.Since when set, otherwise the
// date of the newest mainline release in cal (the start of the current
// cycle); unknown when cal is nil or holds no release.
func (c *Config) HorizonFor(cal *window.Calendar) Horizon {
	if !c.Since.IsZero() {
		return Horizon{Known: true, Since: c.Since.UTC()}
	}
	if cal == nil {
		return Horizon{}
	}
	rel, ok := cal.LastRelease()
	if !ok {
		return Horizon{}
	}
	return Horizon{Known: true, Since: rel.Date.UTC()}
}

// History reports whether rec was sent before the horizon.
func (h Horizon) History(rec *tracker.PullRequestRecord) bool {
	return !h.Known || SentAt(rec).Before(h.Since)
}
