package demo

import (
	"testing"
	"time"
)

// TestDates: the demo's pull requests are sent between -rc2 and -rc3,
// the late tag after the -rc3 cut-off, the history a month before
// -rc1; without the tags there is nothing to date by.
func TestDates(t *testing.T) {
	rc1 := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	tags := map[string]time.Time{"v6.9-rc1": rc1, "v6.9-rc2": rc1.Add(7 * 24 * time.Hour), "v6.9-rc3": rc1.Add(14 * 24 * time.Hour)}
	out := map[string]string{}
	if err := dates(tags, out); err != nil {
		t.Fatal(err)
	}
	at := func(k string) time.Time {
		d, err := time.Parse(time.RFC1123Z, out[k])
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return d
	}
	for _, k := range []string{"clean", "waiting", "uapi", "rdma_core_provider", "v1"} {
		if !at(k).After(tags["v6.9-rc2"].Add(-time.Hour)) || !at(k).Before(tags["v6.9-rc3"]) {
			t.Errorf("%s sent %s, not between -rc2 and -rc3", k, out[k])
		}
	}
	if !at("tag").After(tags["v6.9-rc3"]) || !at("history").Before(rc1) || !at("v1").Before(at("clean")) {
		t.Errorf("late %s, history %s, v1 %s: out of order", out["tag"], out["history"], out["v1"])
	}
	if err := dates(map[string]time.Time{"v6.9-rc1": rc1}, map[string]string{}); err == nil {
		t.Error("dates without -rc2 and -rc3 succeeded")
	}
}
