package review

import (
	"slices"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/tracker"
)

// TestPendingBacksOffOverLimit: a pull request whose fetch went over the
// byte limit is not fetched again by every run, and the wait doubles.
func TestPendingBacksOffOverLimit(t *testing.T) {
	st := newStore(t)
	id := addPull(t, st, "big@example.org", "")
	over := &gitcheck.Verdict{Status: gitcheck.Unchecked, OverLimit: true,
		Reason: "fetch failed: fetch exceeds the byte limit of 256 bytes"}
	checkOnce(t, st, id, over, nil)
	now := time.Now()
	if ids, _ := PendingAt(st, now); len(ids) != 0 {
		t.Fatalf("over the limit a moment ago, yet pending: %v", ids)
	}
	if ids, _ := PendingAt(st, now.Add(backoffBase+time.Minute)); !slices.Equal(ids, []uint64{id}) {
		t.Fatalf("after the back-off, pending = %v", ids)
	}
	checkOnce(t, st, id, over, nil)
	var b Backoff
	st.View(func(tx *tracker.Tx) error {
		evs, _ := tx.Events(id)
		b, _ = BackedOff(evs)
		return nil
	})
	if b.Failures != 2 || time.Until(b.Until) <= backoffBase || b.Reason != over.Reason {
		t.Fatalf("second back-off %+v", b)
	}
	checkOnce(t, st, id, &gitcheck.Verdict{Status: gitcheck.Unchecked, Reason: "fetch failed: refused"}, nil)
	if ids, _ := PendingAt(st, time.Now()); !slices.Equal(ids, []uint64{id}) {
		t.Fatalf("a later failure of another kind ends the back-off; pending = %v", ids)
	}
}
