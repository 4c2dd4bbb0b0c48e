package window

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

// Real dates of the v6.4/v6.5 and v6.15/v6.16 cycles (domain.md
// section 4), with the rc tags in between.
var tags = []Tag{
	{"v6.4-rc1", day("2023-05-07")}, {"v6.4-rc5", day("2023-06-04")}, {"v6.4-rc6", day("2023-06-11")},
	{"v6.4-rc7", day("2023-06-18")}, {"v6.4", day("2023-06-25")}, {"v6.5-rc1", day("2023-07-09")},
	{"v6.5-rc2", day("2023-07-16")},
	{"v6.15", day("2025-05-25")}, {"v6.16-rc1", day("2025-06-08")},
	{"v6.19", day("2026-02-08")}, {"v7.0-rc1", day("2026-02-22")}, {"v7.0-rc6", day("2026-03-29")},
	{"not-a-release", day("2023-06-20")}, {"v6.4.1", day("2023-07-01")},
}

func TestFor(t *testing.T) {
	c := NewCalendar(tags, 0)
	tests := []struct {
		at      string
		fixes   bool
		window  string
		late    bool
		missed  string
		lastTag string
	}{
		{"2023-06-05", false, "v6.5", false, "", "v6.4-rc5"},
		{"2023-06-12", false, "v6.6", true, "v6.5", "v6.4-rc6"}, // after rc6: late
		{"2023-06-20", false, "v6.6", true, "v6.5", "v6.4-rc7"}, // "we are currently rc7"
		{"2023-06-28", false, "v6.6", true, "v6.5", "v6.4"},     // during the merge window
		{"2023-06-28", true, "v6.5", false, "", "v6.4"},         // fixes during the window
		{"2023-06-05", true, "v6.4", false, "", "v6.4-rc5"},     // fixes for the current rc
		{"2023-07-12", false, "v6.6", false, "", "v6.5-rc1"},    // next cycle
		{"2026-02-10", false, "v7.1", true, "v7.0", "v6.19"},    // major roll-over from tags
		{"2026-03-01", false, "v7.1", false, "", "v7.0-rc1"},
		{"2026-03-30", false, "v7.2", true, "v7.1", "v7.0-rc6"},
	}
	for _, tt := range tests {
		got, err := c.For(day(tt.at), tt.fixes)
		if err != nil {
			t.Fatalf("%s: %v", tt.at, err)
		}
		missed := ""
		if got.Late {
			missed = got.Missed.String()
		}
		if got.Window.String() != tt.window || got.Late != tt.late || missed != tt.missed || got.Last != tt.lastTag {
			t.Errorf("For(%s, fixes=%v) = %+v; want window %s late %v missed %q last %s",
				tt.at, tt.fixes, got, tt.window, tt.late, tt.missed, tt.lastTag)
		}
	}
	if _, err := c.For(day("2020-01-01"), false); err != ErrNoTags {
		t.Errorf("before any tag: err = %v", err)
	}
}

func TestCutoffIsConfigurable(t *testing.T) {
	c := NewCalendar(tags, 7)
	got, _ := c.For(day("2023-06-12"), false) // after rc6, before rc7
	if got.Late || got.Window.String() != "v6.5" {
		t.Errorf("with cut-off rc7: %+v", got)
	}
}
