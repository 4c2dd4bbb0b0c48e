package tracker

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse"
)

func TestRepliesAndThreads(t *testing.T) {
	s := openTemp(t)
	day := func(d int) time.Time { return time.Date(2025, 7, d, 9, 0, 0, 0, time.UTC) }
	replies := []Reply{
		{MessageID: "r2@x", InReplyTo: "pr@x", Date: day(10), Subject: "Re: pull", From: mailparse.Address{Email: "jgg@nvidia.com"}},
		{MessageID: "r1@x", InReplyTo: "pr@x", Date: day(9), Subject: "Re: pull", FirstLines: []string{"Pulled to rdma for-next, thanks."}},
		{MessageID: "r3@x", InReplyTo: "r1@x", Subject: "Re: pull (no date)"},
		{MessageID: "r4@x", InReplyTo: "r2@x", Date: day(10), Subject: "Re: pull (same date, later)"},
	}
	update(t, s, func(tx *Tx) error {
		if _, err := tx.AddPullRequest(samplePR("pr@x"), nil); err != nil {
			return err
		}
		if _, err := tx.AddPullRequest(samplePR("other@x"), nil); err != nil {
			return err
		}
		return tx.AttachReply(2, Reply{MessageID: "elsewhere@x", Date: day(1)})
	})
	for _, r := range replies {
		update(t, s, func(tx *Tx) error {
			// A reply to a reply is found through the thread.
			prID, ok := tx.ThreadOf(r.InReplyTo)
			if !ok {
				t.Fatalf("ThreadOf(%s) not found", r.InReplyTo)
			}
			return tx.AttachReply(prID, r)
		})
	}
	view(t, s, func(tx *Tx) error {
		got, err := tx.Replies(1)
		if err != nil {
			return err
		}
		var order []string
		for _, r := range got {
			order = append(order, r.MessageID)
		}
		if want := []string{"r1@x", "r2@x", "r4@x", "r3@x"}; !reflect.DeepEqual(order, want) {
			t.Errorf("Replies order %v, want %v", order, want)
		}
		if !reflect.DeepEqual(got[0], replies[1]) {
			t.Errorf("round trip: %+v\nwant %+v", got[0], replies[1])
		}
		for _, mid := range order {
			if id, ok := tx.ThreadOf(mid); !ok || id != 1 {
				t.Errorf("ThreadOf(%s) = %d, %v", mid, id, ok)
			}
		}
		evs, err := tx.Events(1)
		if err != nil {
			return err
		}
		if len(evs) != 5 || evs[1].Kind != EventReply || evs[1].Summary != "jgg@nvidia.com: Re: pull" {
			t.Errorf("events %+v", evs)
		}
		return nil
	})
}

func TestAttachReplyLimitsLines(t *testing.T) {
	s := openTemp(t)
	lines := make([]string, MaxReplyLines+5)
	for i := range lines {
		lines[i] = strings.Repeat("x", 500)
	}
	update(t, s, func(tx *Tx) error {
		if _, err := tx.AddPullRequest(samplePR("pr@x"), nil); err != nil {
			return err
		}
		return tx.AttachReply(1, Reply{MessageID: "r@x", FirstLines: lines})
	})
	view(t, s, func(tx *Tx) error {
		rs, err := tx.Replies(1)
		if err != nil {
			return err
		}
		if n := len(rs[0].FirstLines); n != MaxReplyLines {
			t.Errorf("%d lines kept", n)
		}
		if n := len(rs[0].FirstLines[0]); n != maxReplyLineLen {
			t.Errorf("line cut to %d bytes", n)
		}
		return nil
	})
}

func TestAttachReplyRefuses(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		if _, err := tx.AddPullRequest(samplePR("pr@x"), nil); err != nil {
			return err
		}
		return tx.AttachReply(1, Reply{MessageID: "r@x"})
	})
	tests := []struct {
		name string
		pr   uint64
		r    Reply
		want error
	}{
		{"again", 1, Reply{MessageID: "r@x"}, ErrExists},
		{"the pull request itself", 1, Reply{MessageID: "pr@x"}, ErrExists},
		{"no message-id", 1, Reply{}, ErrInvalid},
		{"missing pr", 5, Reply{MessageID: "new@x"}, ErrNotFound},
	}
	for _, tt := range tests {
		err := s.Update(func(tx *Tx) error { return tx.AttachReply(tt.pr, tt.r) })
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestFirstLines(t *testing.T) {
	tests := []struct {
		name, body string
		max        int
		want       []string
	}{
		{
			name: "interleaved",
			body: "On Tue, Jul 08, 2025 at 10:00:00AM +0300, Leon Romanovsky wrote:\n" +
				"> Hi Jason,\n>\n> Please pull\n\nThanks, pulled.\n\n> more quote\nJason\n",
			max:  5,
			want: []string{"Thanks, pulled.", "Jason"},
		},
		{
			name: "signature ends",
			body: "Merged, thanks!\n\n-- \nDeet-doot-dot, I am a bot.\nhttps://korg.docs.kernel.org/prtracker.html\n",
			max:  5,
			want: []string{"Merged, thanks!"},
		},
		{
			name: "wrote: not before a quote",
			body: "Someone wrote:\nthat this is fine.\n",
			max:  5,
			want: []string{"Someone wrote:", "that this is fine."},
		},
		{
			name: "max",
			body: "a\r\nb\r\nc\r\n",
			max:  2,
			want: []string{"a", "b"},
		},
	}
	for _, tt := range tests {
		if got := FirstLines(tt.body, tt.max); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: FirstLines = %q, want %q", tt.name, got, tt.want)
		}
	}
}
