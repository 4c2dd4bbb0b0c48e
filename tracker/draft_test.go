package tracker

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleDraft(prID uint64, mid string) *Draft {
	return &Draft{
		PRID:      prID,
		Kind:      "verdict",
		MessageID: mid,
		Raw:       []byte("From: prtrack <prtrack@example.org>\r\nMessage-ID: <" + mid + ">\r\n\r\nLooks clean.\r\n"),
	}
}

func TestDraftRoundTrip(t *testing.T) {
	s := openTemp(t)
	var ids []uint64
	update(t, s, func(tx *Tx) error {
		if _, err := tx.AddPullRequest(samplePR("pr@x"), nil); err != nil {
			return err
		}
		for _, mid := range []string{"d1@prtrack", "d2@prtrack"} {
			id, err := tx.AddDraft(sampleDraft(1, mid))
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if !reflect.DeepEqual(ids, []uint64{1, 2}) {
		t.Fatalf("draft ids %v", ids)
	}
	update(t, s, func(tx *Tx) error {
		if err := tx.SetDraftState(2, DraftSending, ""); err != nil {
			return err
		}
		return tx.SetDraftState(2, DraftDraft, "smtp: 550 mailbox\nunavailable")
	})
	view(t, s, func(tx *Tx) error {
		d, err := tx.Draft(1)
		if err != nil {
			return err
		}
		want := sampleDraft(1, "d1@prtrack")
		if d.ID != 1 || d.State != DraftDraft || string(d.Raw) != string(want.Raw) || d.Kind != "verdict" ||
			!d.Created.Equal(d.Updated) || d.Created.IsZero() {
			t.Errorf("Draft(1) = %+v", d)
		}
		d2, err := tx.Draft(2)
		if err != nil {
			return err
		}
		if d2.State != DraftDraft || d2.Reason != "smtp: 550 mailbox unavailable" || !d2.Updated.After(d2.Created) {
			t.Errorf("Draft(2) = %+v", d2)
		}
		if id, ok := tx.DraftByMessageID("d2@prtrack"); !ok || id != 2 {
			t.Errorf("DraftByMessageID = %d, %v", id, ok)
		}
		all, err := tx.Drafts()
		if err != nil || len(all) != 2 || all[0].ID != 1 || all[1].ID != 2 {
			t.Errorf("Drafts() = %v, %v", all, err)
		}
		evs, err := tx.Events(1)
		if err != nil {
			return err
		}
		var got []string
		for _, ev := range evs[1:] {
			got = append(got, ev.Summary)
		}
		wantEv := []string{
			"draft 1 (verdict): draft",
			"draft 2 (verdict): draft",
			"draft 2 (verdict): draft -> sending",
			"draft 2 (verdict): sending -> draft: smtp: 550 mailbox unavailable",
		}
		if !reflect.DeepEqual(got, wantEv) {
			t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantEv, "\n"))
		}
		return nil
	})
}

func TestDraftRefuses(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		if _, err := tx.AddPullRequest(samplePR("pr@x"), nil); err != nil {
			return err
		}
		_, err := tx.AddDraft(sampleDraft(1, "d@prtrack"))
		return err
	})
	noRaw := sampleDraft(1, "n@prtrack")
	noRaw.Raw = nil
	badState := sampleDraft(1, "b@prtrack")
	badState.State = "queued"
	tests := []struct {
		name string
		fn   func(tx *Tx) error
		want error
	}{
		{"same message-id", func(tx *Tx) error { _, err := tx.AddDraft(sampleDraft(1, "d@prtrack")); return err }, ErrExists},
		{"missing pr", func(tx *Tx) error { _, err := tx.AddDraft(sampleDraft(9, "m@prtrack")); return err }, ErrNotFound},
		{"no raw", func(tx *Tx) error { _, err := tx.AddDraft(noRaw); return err }, ErrInvalid},
		{"sent back to draft", func(tx *Tx) error { return moveDraft(tx, DraftSending, DraftSent, DraftDraft) }, ErrInvalid},
		{"sending dropped", func(tx *Tx) error { return moveDraft(tx, DraftSending, DraftDropped) }, ErrInvalid},
		{"delivered resent", func(tx *Tx) error { return moveDraft(tx, DraftDelivered, DraftSending) }, ErrInvalid},
		{"bad state", func(tx *Tx) error { _, err := tx.AddDraft(badState); return err }, ErrInvalid},
		{"set bad state", func(tx *Tx) error { return tx.SetDraftState(1, "queued", "") }, ErrInvalid},
		{"set missing draft", func(tx *Tx) error { return tx.SetDraftState(5, DraftSent, "") }, ErrNotFound},
	}
	for _, tt := range tests {
		if err := s.Update(tt.fn); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Draft(7); !errors.Is(err, ErrNotFound) {
			t.Errorf("Draft(7): %v", err)
		}
		return nil
	})
}

func TestDraftTimesUTC(t *testing.T) {
	s := openTemp(t)
	created := time.Date(2025, 7, 8, 12, 0, 0, 0, time.FixedZone("", 2*3600))
	update(t, s, func(tx *Tx) error {
		if _, err := tx.AddPullRequest(samplePR("pr@x"), nil); err != nil {
			return err
		}
		d := sampleDraft(1, "d@prtrack")
		d.Created = created
		_, err := tx.AddDraft(d)
		return err
	})
	view(t, s, func(tx *Tx) error {
		d, err := tx.Draft(1)
		if err != nil {
			return err
		}
		if !d.Created.Equal(created) || d.Created.Location() != time.UTC {
			t.Errorf("Created = %v", d.Created)
		}
		return nil
	})
}

// moveDraft takes draft 1 through states, stopping at the first error.
func moveDraft(tx *Tx, states ...DraftState) error {
	for _, st := range states {
		if err := tx.SetDraftState(1, st, ""); err != nil {
			return err
		}
	}
	return nil
}
