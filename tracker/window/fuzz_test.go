package window

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func less(a, b Version) bool {
	return a.Major < b.Major || a.Major == b.Major && a.Minor < b.Minor
}

// FuzzCalendar builds calendars from arbitrary tags ("name@unixtime"
// lines) and checks what For says: never a window before the last
// release tag, and a late pull request always moves to a later window
// than the one it missed.
func FuzzCalendar(f *testing.F) {
	f.Add("v6.9-rc1@1710000000\nv6.9-rc6@1713000000\nv6.9@1715000000", int64(1714000000), false, 6)
	f.Add("v6.19@1700000000\nv7.0-rc1@1701000000", int64(1700500000), true, 0)
	f.Add("v6.9@1715000000\nv6.10-rc1@1716000000\nbogus@1", int64(1715500000), false, 3)
	f.Fuzz(func(t *testing.T, tags string, at int64, fixes bool, cutoff int) {
		var ts []Tag
		for _, line := range strings.Split(tags, "\n") {
			name, when, _ := strings.Cut(line, "@")
			sec, _ := strconv.ParseInt(when, 10, 64)
			ts = append(ts, Tag{Name: name, Date: time.Unix(sec, 0)})
		}
		c := NewCalendar(ts, cutoff%20)
		tg, err := c.For(time.Unix(at, 0), fixes)
		if err != nil {
			return
		}
		var last *release
		for i := range c.rels {
			if c.rels[i].name == tg.Last && !c.rels[i].date.After(time.Unix(at, 0)) {
				last = &c.rels[i]
			}
		}
		if last == nil {
			t.Fatalf("Last %q is not a tag before the pull request", tg.Last)
		}
		if less(tg.Window, last.v) {
			t.Fatalf("window %v before the last tag %s", tg.Window, last.name)
		}
		if !fixes && !less(last.v, tg.Window) {
			t.Fatalf("for-next window %v not after the last tag %s", tg.Window, last.name)
		}
		if tg.Late && !less(tg.Missed, tg.Window) {
			t.Fatalf("late: missed %v, window %v", tg.Missed, tg.Window)
		}
	})
}
