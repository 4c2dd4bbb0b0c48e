package reply

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeOutbox keeps drafts in memory, as the store would on disk.
type fakeOutbox struct {
	drafts  map[uint64]*Pending
	reasons map[uint64]string
	onList  map[string]bool
	history []string // "id:state" in order
}

func newFakeOutbox(mails ...*Mail) *fakeOutbox {
	b := &fakeOutbox{drafts: map[uint64]*Pending{}, reasons: map[uint64]string{}, onList: map[string]bool{}}
	for i, m := range mails {
		id := uint64(i + 1)
		b.drafts[id] = &Pending{ID: id, State: StateDraft, Mail: m}
	}
	return b
}

func (b *fakeOutbox) Pending() ([]Pending, error) {
	var out []Pending
	for id := uint64(1); id <= uint64(len(b.drafts)); id++ {
		if p := b.drafts[id]; p.State == StateDraft || p.State == StateSending {
			out = append(out, *p)
		}
	}
	return out, nil
}

func (b *fakeOutbox) SetState(id uint64, s State, reason string) error {
	p, ok := b.drafts[id]
	if !ok {
		return fmt.Errorf("no draft %d", id)
	}
	p.State, b.reasons[id] = s, reason
	b.history = append(b.history, fmt.Sprintf("%d:%s", id, s))
	return nil
}

func (b *fakeOutbox) SeenOnList(id string) (bool, error) { return b.onList[id], nil }

func (b *fakeOutbox) state(id uint64) State { return b.drafts[id].State }

// twoDrafts drafts two different replies.
func twoDrafts(t *testing.T) []*Mail {
	m, p := loadSample(t, "mlx5-next")
	a, err := Draft(Input{Message: m, Pull: p, Verdict: Accepted, Readiness: Clean}, maintainer, draftTime)
	if err != nil {
		t.Fatal(err)
	}
	m2, p2 := loadSample(t, "hns-v2")
	b, err := Draft(Input{Message: m2, Pull: p2, Verdict: Rejected, Findings: []Finding{uapiFinding}}, maintainer, draftTime)
	if err != nil {
		t.Fatal(err)
	}
	return []*Mail{a, b}
}

func actions(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%d:%s", r.ID, r.Action))
	}
	return out
}

func TestSendPending(t *testing.T) {
	s := startSink(t, plainServer, nil)
	box := newFakeOutbox(twoDrafts(t)...)
	rs, err := SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := actions(rs), []string{"1:sent", "2:sent"}; !slices.Equal(got, want) {
		t.Errorf("results = %v, want %v", got, want)
	}
	if want := []string{"1:sending", "1:sent", "2:sending", "2:sent"}; !slices.Equal(box.history, want) {
		t.Errorf("states = %v, want %v", box.history, want)
	}
	if n := len(s.received()); n != 2 {
		t.Errorf("server got %d mails, want 2", n)
	}
	// A second run has nothing to do and does not connect.
	rs, err = SendPending(context.Background(), box, SMTPConfig{}, SendOptions{})
	if err != nil || len(rs) != 0 {
		t.Errorf("second run = %v, %v; want nothing", rs, err)
	}
}

// TestSendPendingCrash stops a run between "sending" and the SMTP
// transaction, as a crash would, and checks what the next runs do.
func TestSendPendingCrash(t *testing.T) {
	s := startSink(t, plainServer, nil)
	mails := twoDrafts(t)
	box := newFakeOutbox(mails...)
	crash := func(id uint64) error {
		if id == 2 {
			return errStop
		}
		return nil
	}
	_, err := SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{AfterMarkSending: crash})
	if !errors.Is(err, errStop) {
		t.Fatalf("SendPending = %v, want the hook's error", err)
	}
	if box.state(1) != StateSent || box.state(2) != StateSending {
		t.Fatalf("states after the crash: %s, %s", box.state(1), box.state(2))
	}

	// Next run: not on the list, no --resend: held, nothing sent.
	rs, err := SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Action != ActionHeld || !errors.Is(rs[0].Err, ErrNeedResend) {
		t.Fatalf("results = %+v, want draft 2 held", rs)
	}
	if n := len(s.received()); n != 1 || box.state(2) != StateSending {
		t.Fatalf("server got %d mails and draft 2 is %s; want 1 and sending", n, box.state(2))
	}

	// With --resend it goes out once.
	rs, err = SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{Resend: true})
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

func TestSendPendingSeenOnList(t *testing.T) {
	mails := twoDrafts(t)
	box := newFakeOutbox(mails...)
	box.drafts[1].State = StateSending
	box.onList[mails[0].MessageID] = true
	s := startSink(t, plainServer, nil)
	rs, err := SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{Resend: true})
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

func TestSendPendingRefused(t *testing.T) {
	s := startSink(t, plainServer, nil)
	s.refuseRcpt = "lena@example.net" // only in draft 1's Cc
	box := newFakeOutbox(twoDrafts(t)...)
	rs, err := SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(rs); !slices.Equal(got, []string{"1:failed", "2:sent"}) {
		t.Errorf("results = %v", got)
	}
	if box.state(1) != StateDraft || box.reasons[1] == "" {
		t.Errorf("refused draft is %s (%q), want draft with a reason", box.state(1), box.reasons[1])
	}
}

func TestSendPendingNoServer(t *testing.T) {
	box := newFakeOutbox(twoDrafts(t)...)
	cfg := SMTPConfig{Server: "127.0.0.1", Port: closedPort(t), Timeout: time.Second}
	if _, err := SendPending(context.Background(), box, cfg, SendOptions{}); err == nil {
		t.Fatal("SendPending without a server succeeded")
	}
	if len(box.history) != 0 {
		t.Errorf("states changed without a connection: %v", box.history)
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestDialTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			<-time.After(5 * time.Second) // silent: never greets
			c.Close()
		}
	}()
	cfg := SMTPConfig{Server: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Timeout: 200 * time.Millisecond}
	done := make(chan error, 1)
	go func() { _, err := Dial(context.Background(), cfg); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Dial to a silent server succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Dial to a silent server did not give up")
	}
}

// A dry run lists what would go and touches nothing; over the batch
// limit nothing is sent until confirmed.
func TestSendPendingDryRunAndLimit(t *testing.T) {
	s := startSink(t, plainServer, nil)
	box := newFakeOutbox(twoDrafts(t)...)
	rs, err := SendPending(context.Background(), box, SMTPConfig{}, SendOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := actions(rs), []string{"1:would send", "2:would send"}; !slices.Equal(got, want) {
		t.Errorf("dry run = %v, want %v", got, want)
	}
	if len(box.history) != 0 || len(s.received()) != 0 {
		t.Fatalf("dry run changed states %v or sent %d mails", box.history, len(s.received()))
	}
	rs, err = SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{Limit: 1})
	if !errors.Is(err, ErrOverLimit) || len(rs) != 0 || len(box.history) != 0 || len(s.received()) != 0 {
		t.Fatalf("over the limit: %v, %v, states %v, %d mails", rs, err, box.history, len(s.received()))
	}
	rs, err = SendPending(context.Background(), box, sinkConfig(t, s), SendOptions{Limit: 1, Confirmed: true})
	if err != nil || len(rs) != 2 || len(s.received()) != 2 {
		t.Fatalf("confirmed: %v, %v, %d mails", rs, err, len(s.received()))
	}
}

// TestSendPendingStopsAtAuthRefusal: a server refusing the credentials
// is asked once, not once per draft, and every draft stays a draft.
func TestSendPendingStopsAtAuthRefusal(t *testing.T) {
	s := startSink(t, plainServer, nil)
	s.refuseAuth = true
	box := newFakeOutbox(twoDrafts(t)...)
	cfg := sinkConfig(t, s)
	cfg.User, cfg.Pass = "jordan", "wrong"
	_, err := SendPending(context.Background(), box, cfg, SendOptions{})
	if err == nil || !strings.Contains(err.Error(), "bad credentials") {
		t.Fatalf("SendPending = %v, want the refusal", err)
	}
	if n := len(s.auths()); n != 1 {
		t.Errorf("%d AUTH attempts, want 1", n)
	}
	if len(box.history) != 0 || box.state(1) != StateDraft || box.state(2) != StateDraft {
		t.Errorf("states moved: %v", box.history)
	}
}
