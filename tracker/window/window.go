// Package window implements the kernel's release cadence as prtrack
// needs it: which merge window a pull request targets, given Linus's
// release tags (vX.Y-rcN, vX.Y) and when the pull request arrived.
//
// The merge window for vX.(Y+1) opens when vX.Y is tagged and closes
// with vX.(Y+1)-rc1. A for-next pull request received during cycle vX.Y
// (after vX.Y-rc1) targets the vX.(Y+1) window if it arrives before the
// cycle's cut-off tag (-rc6 by default), and is late otherwise: it rolls
// to vX.(Y+2). One received during a merge window is late for that
// window too. A fixes pull request targets the current cycle.
package window

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// Tag is one mainline release tag and when it was made.
type Tag struct {
	Name string
	Date time.Time
}

// Version is a mainline version X.Y.
type Version struct{ Major, Minor int }

func (v Version) String() string { return fmt.Sprintf("v%d.%d", v.Major, v.Minor) }

// Next is vX.(Y+1). Kernel majors roll over at no fixed minor; the
// tags decide when they do (see Calendar.after).
func (v Version) Next() Version { return Version{v.Major, v.Minor + 1} }

// release is a parsed tag: rc is 0 for the final release.
type release struct {
	v    Version
	rc   int
	date time.Time
	name string
}

// tagName bounds the numbers: "v0.10000000000000000000" would
// overflow int and wrap the next version around.
var tagName = regexp.MustCompile(`^v(\d{1,4})\.(\d{1,4})(?:-rc(\d{1,3}))?$`)

// Calendar holds the mainline release tags in date order.
type Calendar struct {
	rels   []release
	cutoff int
}

// NewCalendar builds a calendar from tags; names that are not mainline
// release tags are ignored. cutoff is the -rc after which a for-next
// pull request is late (0 means 6).
func NewCalendar(tags []Tag, cutoff int) *Calendar {
	if cutoff <= 0 {
		cutoff = 6
	}
	c := &Calendar{cutoff: cutoff}
	for _, t := range tags {
		m := tagName.FindStringSubmatch(t.Name)
		if m == nil {
			continue
		}
		maj, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		rc, _ := strconv.Atoi(m[3])
		c.rels = append(c.rels, release{Version{maj, minor}, rc, t.Date, t.Name})
	}
	sort.Slice(c.rels, func(i, j int) bool { return c.rels[i].date.Before(c.rels[j].date) })
	return c
}

// Target is what a calendar says about one pull request.
type Target struct {
	// Window is the merge window the pull request goes into: the
	// version whose -rc1 closes it (for fixes: the current cycle).
	Window Version `json:"window"`
	// Late is true when it missed the cut-off of the window it would
	// otherwise have made; Missed is that window and CutOff the tag.
	Late   bool    `json:"late,omitempty"`
	Missed Version `json:"missed,omitzero"`
	CutOff string  `json:"cutoff,omitempty"`
	// Last is the newest tag before the pull request arrived.
	Last string `json:"last"`
}

// ErrNoTags is returned when no release tag precedes the date.
var ErrNoTags = fmt.Errorf("window: no mainline release tag before the pull request")

// For returns the target of a pull request received at t. fixes is
// true for pull requests aimed at the current -rc.
func (c *Calendar) For(t time.Time, fixes bool) (Target, error) {
	i := sort.Search(len(c.rels), func(i int) bool { return c.rels[i].date.After(t) }) - 1
	if i < 0 {
		return Target{}, ErrNoTags
	}
	last := c.rels[i]
	tg := Target{Last: last.name}
	if last.rc == 0 { // merge window for the next version is open
		next := c.after(last.v)
		if fixes {
			tg.Window = next
			return tg, nil
		}
		tg.Late, tg.Missed, tg.CutOff = true, next, fmt.Sprintf("%s-rc%d", last.v, c.cutoff)
		tg.Window = c.after(next)
		return tg, nil
	}
	if fixes {
		tg.Window = last.v
		return tg, nil
	}
	tg.Window = c.after(last.v)
	if last.rc >= c.cutoff {
		tg.Late, tg.Missed, tg.CutOff = true, tg.Window, fmt.Sprintf("%s-rc%d", last.v, c.cutoff)
		tg.Window = c.after(tg.Window)
	}
	return tg, nil
}

// after returns the version following v: vX.(Y+1), unless the tags
// show that vX.Y was the last of its major and v(X+1).0 came next (as
// v6.19 was followed by v7.0).
func (c *Calendar) after(v Version) Version {
	laterMinor, nextMajor := false, false
	for _, r := range c.rels {
		laterMinor = laterMinor || r.v.Major == v.Major && r.v.Minor > v.Minor
		nextMajor = nextMajor || r.v == Version{v.Major + 1, 0}
	}
	if nextMajor && !laterMinor {
		return Version{v.Major + 1, 0}
	}
	return v.Next()
}

// LastRelease returns the newest final release tag (vX.Y, no -rc): the
// start of the current cycle.
func (c *Calendar) LastRelease() (Tag, bool) {
	for i := len(c.rels) - 1; i >= 0; i-- {
		if r := c.rels[i]; r.rc == 0 {
			return Tag{Name: r.name, Date: r.date}, true
		}
	}
	return Tag{}, false
}

// NextWindow returns the next merge window as of t: the one open now
// after a release, or the one the current cycle's -rc tags lead to.
func (c *Calendar) NextWindow(t time.Time) (Version, error) {
	i := sort.Search(len(c.rels), func(i int) bool { return c.rels[i].date.After(t) }) - 1
	if i < 0 {
		return Version{}, ErrNoTags
	}
	if last := c.rels[i]; last.rc != 0 {
		return c.after(last.v), nil
	}
	return c.after(c.rels[i].v), nil
}

// MarshalText writes a version as "v6.15", the way JSON shows it.
func (v Version) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalJSON reads "v6.15", and the {"Major":6,"Minor":15} objects
// older prtrack versions stored.
func (v *Version) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		if _, err := fmt.Sscanf(s, "v%d.%d", &v.Major, &v.Minor); err != nil {
			return fmt.Errorf("window: bad version %q", s)
		}
		return nil
	}
	var old struct{ Major, Minor int }
	if err := json.Unmarshal(b, &old); err != nil {
		return fmt.Errorf("window: bad version %s", b)
	}
	*v = Version(old)
	return nil
}
