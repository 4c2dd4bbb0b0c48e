package review

import (
	"fmt"
	"slices"
	"testing"

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
			if err := st.Update(func(tx *tracker.Tx) error { return record(tx, o) }); err != nil {
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
