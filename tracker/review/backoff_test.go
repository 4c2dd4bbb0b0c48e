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
	opts := replying()
	checkOnce(t, st, id, over, opts)
	now := time.Now()
	at := func(t time.Time) *Options { o := replying(); o.Now = func() time.Time { return t }; return o }
	if ids, _ := Pending(st, at(now)); len(ids) != 0 {
		t.Fatalf("over the limit a moment ago, yet pending: %v", ids)
	}
	if ids, _ := Pending(st, at(now.Add(backoffBase+time.Minute))); !slices.Equal(ids, []uint64{id}) {
		t.Fatalf("after the back-off, pending = %v", ids)
	}
	checkOnce(t, st, id, over, opts)
	var b Backoff
	st.View(func(tx *tracker.Tx) error {
		evs, _ := tx.Events(id)
		b, _ = BackedOff(evs)
		return nil
	})
	if b.Failures != 2 || time.Until(b.Until) <= backoffBase || b.Reason != over.Reason {
		t.Fatalf("second back-off %+v", b)
	}
	// Any failure keeps backing off; a real verdict ends it.
	checkOnce(t, st, id, &gitcheck.Verdict{Status: gitcheck.Unchecked, Reason: "fetch failed: refused"}, opts)
	if ids, _ := Pending(st, at(time.Now())); len(ids) != 0 {
		t.Fatalf("a third failure is due at once; pending = %v", ids)
	}
	checkOnce(t, st, id, clean, opts)
	if ids, _ := Pending(st, at(time.Now())); !slices.Equal(ids, []uint64{id}) {
		t.Fatalf("after a real verdict the back-off is over; pending = %v", ids)
	}
}
