package review

import (
	"context"
	"testing"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
)

// senders records the sender each check was asked about.
type senders []string

func (s *senders) CheckWith(_ context.Context, id string, pr *mailparse.PullRequest, _ string) (*gitcheck.Verdict, error) {
	*s = append(*s, pr.Sender)
	return &gitcheck.Verdict{ID: id, Status: gitcheck.Accepted}, nil
}

func TestRunPassesSender(t *testing.T) {
	st := newStore(t)
	defer st.Close()
	id := addPull(t, st, "sender@example.org", "")
	var got senders
	if _, err := Run(context.Background(), st, &got, []uint64{id}, nil); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "dev@example.org" {
		t.Errorf("senders %q, want the From address", got)
	}
}
