package tracker

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEventsAppendOnlyAndOrdered(t *testing.T) {
	s := openTemp(t)
	detail := json.RawMessage(`{"findings":[{"rule":"uapi","path":"include/uapi/rdma/ib_user_verbs.h"}]}`)
	update(t, s, func(tx *Tx) error {
		for _, mid := range []string{"a@x", "b@x"} {
			if _, err := tx.AddPullRequest(samplePR(mid), nil); err != nil {
				return err
			}
		}
		return nil
	})
	// Interleave events of two pull requests over several
	// transactions: each keeps its own, in order, and earlier ones are
	// never rewritten.
	kinds := []string{EventVerdict, EventReply, EventMerged}
	for i, kind := range kinds {
		update(t, s, func(tx *Tx) error {
			ev := Event{Kind: kind, Summary: "step " + kind}
			if i == 0 {
				ev.Detail = detail
				ev.Time = time.Date(2025, 7, 9, 0, 0, 0, 0, time.FixedZone("", 3600))
			}
			if err := tx.AppendEvent(1, ev); err != nil {
				return err
			}
			return tx.AppendEvent(2, Event{Kind: EventDeleted, Summary: "other"})
		})
	}
	view(t, s, func(tx *Tx) error {
		evs, err := tx.Events(1)
		if err != nil {
			return err
		}
		if len(evs) != 4 || evs[0].Kind != EventReceived {
			t.Fatalf("Events(1) = %+v", evs)
		}
		for i, kind := range kinds {
			ev := evs[i+1]
			if ev.Kind != kind || ev.Summary != "step "+kind {
				t.Errorf("event %d = %+v, want %s", i+1, ev, kind)
			}
			if ev.Seq <= evs[i].Seq || ev.Time.Location() != time.UTC {
				t.Errorf("event %d: seq %d after %d, time %v", i+1, ev.Seq, evs[i].Seq, ev.Time)
			}
		}
		if string(evs[1].Detail) != string(detail) {
			t.Errorf("detail = %s", evs[1].Detail)
		}
		if !evs[1].Time.Equal(time.Date(2025, 7, 8, 23, 0, 0, 0, time.UTC)) {
			t.Errorf("given time stored as %v", evs[1].Time)
		}
		other, err := tx.Events(2)
		if err != nil || len(other) != 4 {
			t.Errorf("Events(2) = %d events, %v", len(other), err)
		}
		return nil
	})
}

func TestAppendEventSanitises(t *testing.T) {
	s := openTemp(t)
	long := strings.Repeat("é", maxSummaryLen)
	update(t, s, func(tx *Tx) error {
		if _, err := tx.AddPullRequest(samplePR("a@x"), nil); err != nil {
			return err
		}
		if err := tx.AppendEvent(1, Event{Kind: EventVerdict, Summary: "two\nlines\r\n  here"}); err != nil {
			return err
		}
		return tx.AppendEvent(1, Event{Kind: EventVerdict, Summary: long})
	})
	view(t, s, func(tx *Tx) error {
		evs, err := tx.Events(1)
		if err != nil {
			return err
		}
		if evs[1].Summary != "two lines here" {
			t.Errorf("summary %q", evs[1].Summary)
		}
		if got := evs[2].Summary; len(got) > maxSummaryLen || !strings.HasPrefix(long, got) || len(got) < maxSummaryLen-1 {
			t.Errorf("long summary cut to %d bytes", len(got))
		}
		return nil
	})
}

func TestAppendEventRefuses(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		_, err := tx.AddPullRequest(samplePR("a@x"), nil)
		return err
	})
	tests := []struct {
		name string
		id   uint64
		ev   Event
		want error
	}{
		{"no kind", 1, Event{Summary: "x"}, ErrInvalid},
		{"bad detail", 1, Event{Kind: EventVerdict, Detail: json.RawMessage(`{"a":`)}, ErrInvalid},
		{"missing pr", 2, Event{Kind: EventVerdict}, ErrNotFound},
	}
	for _, tt := range tests {
		err := s.Update(func(tx *Tx) error { return tx.AppendEvent(tt.id, tt.ev) })
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}
