package tracker

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse"
)

func samplePR(mid string) *PullRequestRecord {
	return &PullRequestRecord{
		MessageID: mid,
		Subject:   "[pull-request] mlx5-next updates 2025-07-08",
		From:      mailparse.Address{Name: "Leon Romanovsky", Email: "leon@kernel.org"},
		To:        []mailparse.Address{{Name: "Jason Gunthorpe", Email: "jgg@nvidia.com"}},
		Cc:        []mailparse.Address{{Email: "linux-rdma@vger.kernel.org"}, {Email: "netdev@vger.kernel.org"}},
		Date:      time.Date(2025, 7, 8, 12, 30, 0, 0, time.FixedZone("", 3*3600)),
		SourceKey: "mbox:/srv/linux-rdma.mbox",
		Where:     "linux-rdma.mbox: message 12 at byte 40960",
		Pull: mailparse.PullRequest{
			URL:         "git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux.git",
			Ref:         "mlx5-next",
			Base:        "19272b37aa4f83ca52bdf9c16d5d81bdd1354494",
			BaseSubject: "Linux 6.16-rc1",
			BaseDate:    "2025-06-08 13:44:43 -0700",
			Tip:         "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
			TipSubject:  "net/mlx5: Add support for new capability",
			Shortlog: []mailparse.ShortlogEntry{{
				Author: "Some Developer", Count: 1,
				Subjects: []string{"net/mlx5: Add support for new capability"},
			}},
			Diffstat: mailparse.Diffstat{
				Files:        []mailparse.DiffstatFile{{Path: "include/linux/mlx5/mlx5_ifc.h", Changes: 12, Plus: 12}},
				Summary:      "1 file changed, 12 insertions(+)",
				FilesChanged: 1, Insertions: 12,
			},
			Version: 1,
			Targets: []string{"mlx5-next"},
		},
	}
}

func TestPullRequestRoundTrip(t *testing.T) {
	s := openTemp(t)
	want := samplePR("pr1@example.org")
	raw := []byte("Message-ID: <pr1@example.org>\n\nThe following changes since commit ...\n")
	var id uint64
	update(t, s, func(tx *Tx) error {
		var err error
		id, err = tx.AddPullRequest(want, raw)
		return err
	})
	if id != 1 || want.ID != 1 {
		t.Fatalf("first id = %d (rec.ID %d), want 1", id, want.ID)
	}
	view(t, s, func(tx *Tx) error {
		got, err := tx.PullRequest(id)
		if err != nil {
			return err
		}
		if got.State != StateNew || !got.ReceivedAt.Equal(t0.Add(time.Second)) {
			t.Errorf("defaults: state %q received %v", got.State, got.ReceivedAt)
		}
		if got.Date.Location() != time.UTC || !got.Date.Equal(want.Date) {
			t.Errorf("Date = %v, want %v in UTC", got.Date, want.Date)
		}
		if !reflect.DeepEqual(got.Pull, want.Pull) || !reflect.DeepEqual(got.Cc, want.Cc) ||
			got.Where != want.Where || got.SourceKey != want.SourceKey || got.From != want.From {
			t.Errorf("PullRequest(%d) = %+v\nwant %+v", id, got, want)
		}
		gotRaw, err := tx.RawMessage(id)
		if err != nil || string(gotRaw) != string(raw) {
			t.Errorf("RawMessage = %q, %v", gotRaw, err)
		}
		if byMID, ok := tx.PullRequestByMessageID("pr1@example.org"); !ok || byMID != id {
			t.Errorf("PullRequestByMessageID = %d, %v", byMID, ok)
		}
		if th, ok := tx.ThreadOf("pr1@example.org"); !ok || th != id {
			t.Errorf("ThreadOf(own message) = %d, %v", th, ok)
		}
		evs, err := tx.Events(id)
		if err != nil || len(evs) != 1 || evs[0].Kind != EventReceived || evs[0].Summary != want.Subject {
			t.Errorf("Events = %+v, %v; want one received event", evs, err)
		}
		return nil
	})
}

func TestPullRequestsInIDOrder(t *testing.T) {
	s := openTemp(t)
	mids := []string{"a@x", "b@x", "c@x", "d@x", "e@x", "f@x", "g@x", "h@x", "i@x", "j@x"}
	update(t, s, func(tx *Tx) error {
		for i, mid := range mids {
			id, err := tx.AddPullRequest(samplePR(mid), nil)
			if err != nil {
				return err
			}
			if id != uint64(i+1) {
				t.Errorf("id %d for message %d", id, i+1)
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		prs, err := tx.PullRequests()
		if err != nil {
			return err
		}
		if len(prs) != len(mids) {
			t.Fatalf("%d records, want %d", len(prs), len(mids))
		}
		for i, rec := range prs {
			if rec.ID != uint64(i+1) || rec.MessageID != mids[i] {
				t.Errorf("record %d = id %d %s", i, rec.ID, rec.MessageID)
			}
		}
		return nil
	})
}

func TestAddPullRequestRefuses(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		id, err := tx.AddPullRequest(samplePR("pr@x"), nil)
		if err != nil {
			return err
		}
		return tx.AttachReply(id, Reply{MessageID: "reply@x"})
	})
	tests := []struct {
		name string
		rec  *PullRequestRecord
		want error
	}{
		{"same message", samplePR("pr@x"), ErrExists},
		{"message already a reply", samplePR("reply@x"), ErrExists},
		{"no message-id", samplePR(""), ErrInvalid},
		{"huge message-id", samplePR(string(make([]byte, MaxKeyLen+1))), ErrInvalid},
		{"unknown state", &PullRequestRecord{MessageID: "n@x", State: "pending"}, ErrInvalid},
	}
	for _, tt := range tests {
		err := s.Update(func(tx *Tx) error {
			_, err := tx.AddPullRequest(tt.rec, nil)
			return err
		})
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestSetState(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		id, err := tx.AddPullRequest(samplePR("pr@x"), nil)
		if err != nil {
			return err
		}
		for _, st := range []State{StateWaiting, StateWaiting, StateClean, StateMerged} {
			if err := tx.SetState(id, st); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		rec, err := tx.PullRequest(1)
		if err != nil {
			return err
		}
		if rec.State != StateMerged {
			t.Errorf("state %q, want merged", rec.State)
		}
		evs, err := tx.Events(1)
		if err != nil {
			return err
		}
		var got []string
		for _, ev := range evs[1:] {
			got = append(got, ev.Kind+": "+ev.Summary)
		}
		want := []string{"state: new -> waiting", "state: waiting -> clean", "state: clean -> merged"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("events %q, want %q", got, want)
		}
		return nil
	})
	for _, tt := range []struct {
		name string
		fn   func(tx *Tx) error
		want error
	}{
		{"unknown state", func(tx *Tx) error { return tx.SetState(1, "lost") }, ErrInvalid},
		{"missing pr", func(tx *Tx) error { return tx.SetState(99, StateClean) }, ErrNotFound},
	} {
		if err := s.Update(tt.fn); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestPullRequestNotFound(t *testing.T) {
	s := openTemp(t)
	view(t, s, func(tx *Tx) error {
		if _, err := tx.PullRequest(1); !errors.Is(err, ErrNotFound) {
			t.Errorf("PullRequest: %v", err)
		}
		if _, err := tx.RawMessage(1); !errors.Is(err, ErrNotFound) {
			t.Errorf("RawMessage: %v", err)
		}
		if _, ok := tx.PullRequestByMessageID("nope@x"); ok {
			t.Error("PullRequestByMessageID found a missing message")
		}
		return nil
	})
}
