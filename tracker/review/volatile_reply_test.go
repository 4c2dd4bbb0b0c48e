package review

import (
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/triage"
)

// conflictPair is a volatile result in which a and b conflict pairwise.
func conflictPair(a, b uint64) *volatile.Result {
	paths := []string{"drivers/infiniband/hw/mlx5/main.c"}
	return &volatile.Result{
		Kept: []volatile.Kept{{ID: a, MessageID: "a@example.org", Merge: "m"}},
		LeftOut: []volatile.LeftOut{{ID: b, MessageID: "b@example.org", Reason: volatile.ReasonConflict,
			ConflictsWith: []string{"a@example.org"}, Paths: paths}},
		Pairs: []volatile.Pair{{A: "a@example.org", B: "b@example.org", AID: a, BID: b, Paths: paths, Sides: []volatile.Side{
			{Name: "a@example.org", ID: a, Commits: []volatile.Commit{{SHA: "0123456789ab", Subject: "RDMA/mlx5: add counters"}}},
			{Name: "b@example.org", ID: b, Commits: []volatile.Commit{{SHA: "ba9876543210", Subject: "RDMA/mlx5: rework the probe"}}},
		}}},
	}
}

func drafts(t *testing.T, st *tracker.Store, kind string) []*tracker.Draft {
	t.Helper()
	var out []*tracker.Draft
	err := st.View(func(tx *tracker.Tx) error {
		all, err := tx.Drafts()
		for _, d := range all {
			if d.Kind == kind {
				out = append(out, d)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDraftConflicts: one reply per side, in its own thread, naming the
// other pull request, the path and both sides' commits; a rebuild that
// finds the same conflict drafts nothing, and neither does one where it
// went away or one where it came back.
func TestDraftConflicts(t *testing.T) {
	st := newStore(t)
	a, b := addPull(t, st, "a@example.org", ""), addPull(t, st, "b@example.org", "")
	opts := replying()
	res := conflictPair(a, b)
	got, err := DraftConflicts(st, res, opts)
	if err != nil || len(got) != 2 || got[0].PRID != a || got[1].PRID != b {
		t.Fatalf("drafts %+v, %v", got, err)
	}
	body := string(got[0].Raw)
	for _, want := range []string{"In-Reply-To: <a@example.org>", "X-Prtrack-Kind: conflict", "<b@example.org>",
		"drivers/infiniband/hw/mlx5/main.c", `0123456789ab ("RDMA/mlx5: add counters")`, `ba9876543210 ("RDMA/mlx5: rework the probe")`} {
		if !strings.Contains(body, want) {
			t.Errorf("reply to a lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(string(got[1].Raw), "<a@example.org>\r\n\r\nI trial-merge") {
		t.Errorf("reply to b does not name a:\n%s", got[1].Raw)
	}
	if again, err := DraftConflicts(st, res, opts); err != nil || len(again) != 0 {
		t.Errorf("unchanged rebuild drafted %+v, %v", again, err)
	}
	if gone, err := DraftConflicts(st, &volatile.Result{Kept: []volatile.Kept{{ID: a}, {ID: b}}}, opts); err != nil || len(gone) != 0 {
		t.Errorf("conflict gone: drafted %+v, %v", gone, err)
	}
	if back, err := DraftConflicts(st, res, opts); err != nil || len(back) != 0 {
		t.Errorf("conflict back: drafted %+v, %v", back, err)
	}
	if n := len(drafts(t, st, "conflict")); n != 2 {
		t.Errorf("%d conflict drafts, want 2", n)
	}
}

// TestConflictReplyLeavesVerdictRepliesAlone: a conflict reply does not
// make the verdict reply due again.
func TestConflictReplyLeavesVerdictRepliesAlone(t *testing.T) {
	st := newStore(t)
	a := addPull(t, st, "a@example.org", "")
	var before string
	st.View(func(tx *tracker.Tx) (err error) { before, err = lastKey(tx, a); return err })
	b := addPull(t, st, "b@example.org", "")
	if _, err := DraftConflicts(st, conflictPair(a, b), replying()); err != nil {
		t.Fatal(err)
	}
	var after string
	st.View(func(tx *tracker.Tx) (err error) { after, err = lastKey(tx, a); return err })
	if after != before {
		t.Errorf("verdict key %q after the conflict reply, was %q", after, before)
	}
}

// TestDraftConflictsNeverForSettledOrHistory: a settled pull request,
// one before the horizon, and any without a drafter get nothing.
func TestDraftConflictsNeverForSettledOrHistory(t *testing.T) {
	st := newStore(t)
	a, b := addPull(t, st, "a@example.org", ""), addPull(t, st, "b@example.org", "")
	if err := st.Update(func(tx *tracker.Tx) error { return tx.SetState(a, tracker.StateSuperseded) }); err != nil {
		t.Fatal(err)
	}
	got, err := DraftConflicts(st, conflictPair(a, b), replying())
	if err != nil || len(got) != 1 || got[0].PRID != b {
		t.Errorf("settled a: drafts %+v, %v", got, err)
	}
	st2 := newStore(t)
	a, b = addPull(t, st2, "a@example.org", ""), addPull(t, st2, "b@example.org", "")
	history := replying()
	history.Horizon = triage.Horizon{Known: true, Since: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	if got, err := DraftConflicts(st2, conflictPair(a, b), history); err != nil || len(got) != 0 {
		t.Errorf("history: drafts %+v, %v", got, err)
	}
	if got, err := DraftConflicts(st2, conflictPair(a, b), &Options{}); err != nil || len(got) != 0 {
		t.Errorf("no drafter: drafts %+v, %v", got, err)
	}
}
