package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// TestConformance runs every case of the outbox's exactly-once
// protocol against each Store implementation: what Send does must not
// depend on where the drafts are kept.
func TestConformance(t *testing.T) {
	cases := map[string]func(t *testing.T, h harness){
		"sends each draft once":           caseSendOnce,
		"crash between sending and SMTP":  caseCrash,
		"sending found on the list":       caseSeenOnList,
		"refused mail goes back to draft": caseRefused,
		"no server changes nothing":       caseNoServer,
		"dry run and batch limit":         caseDryRunAndLimit,
		"auth refusal stops once":         caseAuthRefusal,
		"illegal transitions":             caseIllegalMoves,
	}
	for impl, newHarness := range implementations {
		for name, run := range cases {
			t.Run(impl+"/"+name, func(t *testing.T) { run(t, newHarness(t)) })
		}
	}
}

// withDrafts adds mails to h as drafts and returns a recorder over it.
func withDrafts(t *testing.T, h harness, mails ...*reply.Mail) *recorder {
	for _, m := range mails {
		h.add(t, m)
	}
	return &recorder{harness: h}
}

func actions(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%d:%s", r.ID, r.Action))
	}
	return out
}

func caseSendOnce(t *testing.T, h harness) {
	s := startSink(t, plainServer, nil)
	box := withDrafts(t, h, twoDrafts(t)...)
	rs, err := Send(context.Background(), box, sinkConfig(t, s), SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := actions(rs), []string{"1:sent", "2:sent"}; !slices.Equal(got, want) {
		t.Errorf("results = %v, want %v", got, want)
	}
	box.saw(t, "1:sending", "1:sent", "2:sending", "2:sent")
	if n := len(s.received()); n != 2 {
		t.Errorf("server got %d mails, want 2", n)
	}
	// A second run has nothing to do and does not connect.
	rs, err = Send(context.Background(), box, SMTPConfig{}, SendOptions{})
	if err != nil || len(rs) != 0 {
		t.Errorf("second run = %v, %v; want nothing", rs, err)
	}
}

// caseCrash stops a run between "sending" and the SMTP transaction,
// as a crash would, and checks what the next runs do.
func caseCrash(t *testing.T, h harness) {
	s := startSink(t, plainServer, nil)
	mails := twoDrafts(t)
	box := withDrafts(t, h, mails...)
	crash := func(id uint64) error {
		if id == 2 {
			return errStop
		}
		return nil
	}
	_, err := Send(context.Background(), box, sinkConfig(t, s), SendOptions{AfterMarkSending: crash})
	if !errors.Is(err, errStop) {
		t.Fatalf("Send = %v, want the hook's error", err)
	}
	if h.state(t, 1) != tracker.DraftSent || h.state(t, 2) != tracker.DraftSending {
		t.Fatalf("states after the crash: %s, %s", h.state(t, 1), h.state(t, 2))
	}
	// Next run: not on the list, no --resend: held, nothing sent.
	rs, err := Send(context.Background(), box, sinkConfig(t, s), SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Action != ActionHeld || !errors.Is(rs[0].Err, ErrNeedResend) {
		t.Fatalf("results = %+v, want draft 2 held", rs)
	}
	if n := len(s.received()); n != 1 || h.state(t, 2) != tracker.DraftSending {
		t.Fatalf("server got %d mails and draft 2 is %s; want 1 and sending", n, h.state(t, 2))
	}
	// With --resend it goes out once.
	rs, err = Send(context.Background(), box, sinkConfig(t, s), SendOptions{Resend: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rs); !slices.Equal(got, []string{"2:sent"}) {
		t.Errorf("results = %v, want [2:sent]", got)
	}
	got := s.received()
	if len(got) != 2 || string(got[1].Data) != string(mails[1].Raw) {
		t.Errorf("server got %d mails, want the two drafts once each", len(got))
	}
}

func caseSeenOnList(t *testing.T, h harness) {
	mails := twoDrafts(t)
	box := withDrafts(t, h, mails...)
	if err := h.SetState(1, tracker.DraftSending, "a run that stopped"); err != nil {
		t.Fatal(err)
	}
	h.seen(t, mails[0].MessageID)
	s := startSink(t, plainServer, nil)
	rs, err := Send(context.Background(), box, sinkConfig(t, s), SendOptions{Resend: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rs); !slices.Equal(got, []string{"1:delivered", "2:sent"}) {
		t.Errorf("results = %v", got)
	}
	if got := s.received(); len(got) != 1 || string(got[0].Data) != string(mails[1].Raw) {
		t.Errorf("server got %d mails, want only draft 2", len(got))
	}
}

func caseRefused(t *testing.T, h harness) {
	s := startSink(t, plainServer, nil)
	s.refuseRcpt = "lena@example.net" // only in draft 1's Cc
	box := withDrafts(t, h, twoDrafts(t)...)
	rs, err := Send(context.Background(), box, sinkConfig(t, s), SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rs); !slices.Equal(got, []string{"1:failed", "2:sent"}) {
		t.Errorf("results = %v", got)
	}
	if h.state(t, 1) != tracker.DraftDraft || h.reason(t, 1) == "" {
		t.Errorf("refused draft is %s (%q), want draft with a reason", h.state(t, 1), h.reason(t, 1))
	}
}

func caseNoServer(t *testing.T, h harness) {
	box := withDrafts(t, h, twoDrafts(t)...)
	cfg := SMTPConfig{Server: "127.0.0.1", Port: closedPort(t), Timeout: time.Second}
	if _, err := Send(context.Background(), box, cfg, SendOptions{}); err == nil {
		t.Fatal("Send without a server succeeded")
	}
	box.saw(t)
}

// A dry run lists what would go and touches nothing; over the batch
// limit nothing is sent until confirmed.
func caseDryRunAndLimit(t *testing.T, h harness) {
	s := startSink(t, plainServer, nil)
	box := withDrafts(t, h, twoDrafts(t)...)
	rs, err := Send(context.Background(), box, SMTPConfig{}, SendOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := actions(rs), []string{"1:would send", "2:would send"}; !slices.Equal(got, want) {
		t.Errorf("dry run = %v, want %v", got, want)
	}
	if len(box.history) != 0 || len(s.received()) != 0 {
		t.Fatalf("dry run changed states %v or sent %d mails", box.history, len(s.received()))
	}
	rs, err = Send(context.Background(), box, sinkConfig(t, s), SendOptions{Limit: 1})
	if !errors.Is(err, ErrOverLimit) || len(rs) != 0 || len(box.history) != 0 || len(s.received()) != 0 {
		t.Fatalf("over the limit: %v, %v, states %v, %d mails", rs, err, box.history, len(s.received()))
	}
	rs, err = Send(context.Background(), box, sinkConfig(t, s), SendOptions{Limit: 1, Confirmed: true})
	if err != nil || len(rs) != 2 || len(s.received()) != 2 {
		t.Fatalf("confirmed: %v, %v, %d mails", rs, err, len(s.received()))
	}
}

// caseAuthRefusal: a server refusing the credentials is asked once,
// not once per draft, and every draft stays a draft.
func caseAuthRefusal(t *testing.T, h harness) {
	s := startSink(t, plainServer, nil)
	s.refuseAuth = true
	box := withDrafts(t, h, twoDrafts(t)...)
	cfg := sinkConfig(t, s)
	cfg.User, cfg.Pass = "jordan", "wrong"
	_, err := Send(context.Background(), box, cfg, SendOptions{})
	if err == nil || !strings.Contains(err.Error(), "bad credentials") {
		t.Fatalf("Send = %v, want the refusal", err)
	}
	if n := len(s.auths()); n != 1 {
		t.Errorf("%d AUTH attempts, want 1", n)
	}
	box.saw(t)
	if h.state(t, 1) != tracker.DraftDraft || h.state(t, 2) != tracker.DraftDraft {
		t.Errorf("states moved: %s, %s", h.state(t, 1), h.state(t, 2))
	}
}

// caseIllegalMoves: a sent reply never becomes a draft again (it would
// go out twice), a dropped one is never sent, and an unsent draft is
// not sent without passing through sending.
func caseIllegalMoves(t *testing.T, h harness) {
	withDrafts(t, h, twoDrafts(t)...)
	for _, step := range []struct {
		id       uint64
		to       tracker.DraftState
		allowed  bool
		describe string
	}{
		{1, tracker.DraftSent, false, "draft -> sent skips sending"},
		{1, tracker.DraftSending, true, "draft -> sending"},
		{1, tracker.DraftSent, true, "sending -> sent"},
		{1, tracker.DraftDraft, false, "sent -> draft"},
		{1, tracker.DraftSending, false, "sent -> sending"},
		{1, tracker.DraftDropped, false, "sent -> dropped"},
		{1, tracker.DraftDelivered, true, "sent -> delivered"},
		{1, tracker.DraftDraft, false, "delivered -> draft"},
		{2, tracker.DraftDropped, true, "draft -> dropped"},
		{2, tracker.DraftSending, false, "dropped -> sending"},
		{2, tracker.DraftDraft, false, "dropped -> draft"},
	} {
		err := h.SetState(step.id, step.to, step.describe)
		if step.allowed && err != nil {
			t.Errorf("%s: %v", step.describe, err)
		}
		if !step.allowed && !errors.Is(err, tracker.ErrInvalid) {
			t.Errorf("%s = %v, want an error matching tracker.ErrInvalid", step.describe, err)
		}
	}
	if h.state(t, 1) != tracker.DraftDelivered || h.state(t, 2) != tracker.DraftDropped {
		t.Errorf("states = %s, %s; want delivered, dropped", h.state(t, 1), h.state(t, 2))
	}
}
