package review

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/window"
)

// TestVolatileCandidates: accepted pull requests still pending, by
// merge window (v6.9 before v6.10, none last) then arrival; rejected,
// unchecked and new ones are left alone, and so is one whose newest
// verdict is no longer accepted.
func TestVolatileCandidates(t *testing.T) {
	st := newStore(t)
	unchecked := &gitcheck.Verdict{Status: gitcheck.Unchecked, Reason: "fetch failed: timeout"}
	pulled := &gitcheck.Verdict{Status: gitcheck.Accepted, Readiness: &gitcheck.Readiness{State: gitcheck.Waiting},
		Merged: &gitcheck.Merge{Tree: "rdma", Ref: "heads/for-next"}}
	steps := []struct {
		verdicts []*gitcheck.Verdict
		window   int // minor of v6.x; 0 for no target
	}{
		{[]*gitcheck.Verdict{clean}, 11},           // 1
		{[]*gitcheck.Verdict{waiting}, 10},         // 2
		{[]*gitcheck.Verdict{rejected}, 10},        // 3: rejected
		{[]*gitcheck.Verdict{pulled}, 10},          // 4: in rdma for-next
		{[]*gitcheck.Verdict{clean}, 0},            // 5: no calendar
		{nil, 10},                                  // 6: never checked
		{[]*gitcheck.Verdict{clean, unchecked}, 9}, // 7: newest not accepted
		{[]*gitcheck.Verdict{clean}, 9},            // 8
	}
	for i, s := range steps {
		id := addPull(t, st, fmt.Sprintf("pr%d@example.org", i+1), "")
		for _, v := range s.verdicts {
			v := *v
			v.Tip = fmt.Sprintf("%040d", id)
			o := &Outcome{ID: id, Verdict: &v, State: stateFor(&v, tracker.StateClean)}
			if s.window != 0 {
				o.Target = &window.Target{Window: window.Version{Major: 6, Minor: s.window}}
			}
			if err := st.Update(func(tx *tracker.Tx) error { return record(tx, o, "") }); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []volatile.Input
	if err := st.View(func(tx *tracker.Tx) (err error) { got, err = VolatileCandidates(tx); return err }); err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, in := range got {
		ids = append(ids, in.ID)
	}
	if want := []uint64{8, 2, 4, 1, 5}; !slices.Equal(ids, want) {
		t.Fatalf("candidates %v, want %v", ids, want)
	}
	if in := got[0]; in.MessageID != "pr8@example.org" || in.Tip != fmt.Sprintf("%040d", 8) || in.Window != "v6.9" || in.Subject != "[GIT PULL] efa for-next" {
		t.Errorf("first candidate = %+v", in)
	}
}

// TestRecordVolatile: the first rebuild records every result, an
// unchanged one records nothing, and a conflict that went away is a
// change.
func TestRecordVolatile(t *testing.T) {
	st := newStore(t)
	a, b := addPull(t, st, "a@example.org", ""), addPull(t, st, "b@example.org", "")
	pair := volatile.Pair{A: "a@example.org", B: "b@example.org", AID: a, BID: b, Paths: []string{"drivers/infiniband/hw/mlx5/main.c"}}
	conflicting := &volatile.Result{
		Kept:    []volatile.Kept{{ID: a, MessageID: "a@example.org", Merge: "m"}},
		LeftOut: []volatile.LeftOut{{ID: b, MessageID: "b@example.org", Reason: volatile.ReasonConflict, ConflictsWith: []string{"a@example.org"}, Paths: pair.Paths}},
		Pairs:   []volatile.Pair{pair},
	}
	changes, err := RecordVolatile(st, conflicting)
	if err != nil || len(changes) != 2 || changes[0].Before != "" ||
		changes[1].After != "left out, conflict: conflicts with a@example.org in drivers/infiniband/hw/mlx5/main.c" ||
		changes[0].After != "merged; conflicts pairwise with b@example.org in drivers/infiniband/hw/mlx5/main.c" {
		t.Fatalf("first rebuild: %+v %v", changes, err)
	}
	if changes, err := RecordVolatile(st, conflicting); err != nil || len(changes) != 0 {
		t.Fatalf("unchanged rebuild: %+v %v", changes, err)
	}
	clean := &volatile.Result{Kept: []volatile.Kept{{ID: a, Merge: "m"}, {ID: b, Merge: "n"}}}
	changes, err = RecordVolatile(st, clean)
	if err != nil || len(changes) != 2 || changes[1].ID != b || changes[1].After != "merged" || !strings.HasPrefix(changes[1].Before, "left out") {
		t.Fatalf("conflict gone: %+v %v", changes, err)
	}
	var events []tracker.Event
	st.View(func(tx *tracker.Tx) (err error) { events, err = tx.Events(b); return err })
	if n := countKind(events, EventVolatile); n != 2 {
		t.Errorf("%d volatile events for b, want 2", n)
	}
}

func countKind(events []tracker.Event, kind string) int {
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// TestReportListsVolatileNews: a report lists the volatile results that
// changed since the previous one: the new conflict, then, on the next
// report, that it went away; nothing when nothing changed.
func TestReportListsVolatileNews(t *testing.T) {
	st := newStore(t)
	a, b := addPull(t, st, "a@example.org", ""), addPull(t, st, "b@example.org", "")
	if err := st.Update(func(tx *tracker.Tx) error {
		return tx.SetCycle(tracker.Cycle{Known: true, Horizon: time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := RecordVolatile(st, conflictPair(a, b)); err != nil {
		t.Fatal(err)
	}
	r, err := MakeReport(st, time.Now(), true)
	if err != nil || len(r.Volatile) != 2 || r.Volatile[1].ID != b || r.Volatile[1].Before != "" ||
		!strings.HasPrefix(r.Volatile[1].After, "left out, conflict: conflicts with a@example.org") {
		t.Fatalf("first report: %+v, %v", r.Volatile, err)
	}
	if r, _ := MakeReport(st, time.Now(), true); len(r.Volatile) != 0 {
		t.Errorf("nothing changed, report lists %+v", r.Volatile)
	}
	if _, err := RecordVolatile(st, &volatile.Result{Kept: []volatile.Kept{{ID: a, Merge: "m"}, {ID: b, Merge: "n"}}}); err != nil {
		t.Fatal(err)
	}
	r, _ = MakeReport(st, time.Now(), true)
	if len(r.Volatile) != 2 || r.Volatile[1].After != "merged" || !strings.HasPrefix(r.Volatile[1].Before, "left out") {
		t.Errorf("conflict gone: %+v", r.Volatile)
	}
}
