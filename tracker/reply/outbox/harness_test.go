package outbox

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// harness is one implementation of Store under the conformance suite
// (suite_test.go): Box over a real bbolt store, and fakeStore.
type harness interface {
	Store
	// add stores m as a new draft in state draft and returns its id.
	add(t *testing.T, m *reply.Mail) uint64
	// state and reason read back what is recorded for draft id.
	state(t *testing.T, id uint64) tracker.DraftState
	reason(t *testing.T, id uint64) string
	// seen records that the list archive shows messageID.
	seen(t *testing.T, messageID string)
}

// implementations are the harnesses every suite case runs against.
var implementations = map[string]func(t *testing.T) harness{
	"store": newBoxHarness,
	"fake":  func(*testing.T) harness { return newFakeStore() },
}

// fakeStore keeps drafts in memory and enforces the same life as the
// store (tracker.DraftState.CanBecome).
type fakeStore struct {
	drafts  []*Pending
	reasons map[uint64]string
	onList  map[string]bool
}

func newFakeStore() *fakeStore {
	return &fakeStore{reasons: map[uint64]string{}, onList: map[string]bool{}}
}

func (f *fakeStore) Pending() ([]Pending, error) {
	var out []Pending
	for _, p := range f.drafts {
		if p.State == tracker.DraftDraft || p.State == tracker.DraftSending {
			out = append(out, *p)
		}
	}
	return out, nil
}

func (f *fakeStore) SetState(id uint64, s tracker.DraftState, reason string) error {
	if id == 0 || id > uint64(len(f.drafts)) {
		return fmt.Errorf("draft %d: %w", id, tracker.ErrNotFound)
	}
	p := f.drafts[id-1]
	if !p.State.CanBecome(s) {
		return fmt.Errorf("draft %d: %s -> %s is not allowed: %w", id, p.State, s, tracker.ErrInvalid)
	}
	p.State, f.reasons[id] = s, reason
	return nil
}

func (f *fakeStore) SeenOnList(id string) (bool, error) { return f.onList[id], nil }

func (f *fakeStore) add(_ *testing.T, m *reply.Mail) uint64 {
	f.drafts = append(f.drafts, &Pending{ID: uint64(len(f.drafts) + 1), State: tracker.DraftDraft, Mail: m})
	return uint64(len(f.drafts))
}

func (f *fakeStore) state(_ *testing.T, id uint64) tracker.DraftState { return f.drafts[id-1].State }
func (f *fakeStore) reason(_ *testing.T, id uint64) string            { return f.reasons[id] }
func (f *fakeStore) seen(_ *testing.T, id string)                     { f.onList[id] = true }

// boxHarness is Box over a fresh store with one pull request.
type boxHarness struct {
	*Box
	pr uint64
}

func newBoxHarness(t *testing.T) harness {
	st, err := tracker.Open(filepath.Join(t.TempDir(), "prtrack.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &boxHarness{Box: &Box{Store: st}}
	h.update(t, func(tx *tracker.Tx) (err error) {
		h.pr, err = tx.AddPullRequest(&tracker.PullRequestRecord{MessageID: "pr-1@example.com", Subject: "[GIT PULL] sample",
			From: mailparse.Address{Email: "saul@example.com"}}, []byte("Message-ID: <pr-1@example.com>\r\n\r\nbody\r\n"))
		return err
	})
	return h
}

func (h *boxHarness) update(t *testing.T, fn func(tx *tracker.Tx) error) {
	t.Helper()
	if err := h.Store.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func (h *boxHarness) draft(t *testing.T, id uint64) *tracker.Draft {
	t.Helper()
	var d *tracker.Draft
	if err := h.Store.View(func(tx *tracker.Tx) (err error) { d, err = tx.Draft(id); return err }); err != nil {
		t.Fatal(err)
	}
	return d
}

func (h *boxHarness) add(t *testing.T, m *reply.Mail) (id uint64) {
	h.update(t, func(tx *tracker.Tx) (err error) {
		id, err = tx.AddDraft(&tracker.Draft{PRID: h.pr, Kind: m.Kind, MessageID: m.MessageID, Raw: m.Raw})
		return err
	})
	return id
}

func (h *boxHarness) state(t *testing.T, id uint64) tracker.DraftState { return h.draft(t, id).State }
func (h *boxHarness) reason(t *testing.T, id uint64) string            { return h.draft(t, id).Reason }

func (h *boxHarness) seen(t *testing.T, messageID string) {
	h.update(t, func(tx *tracker.Tx) error { return tx.MarkSeen(messageID, tracker.SeenInfo{Hash: "x"}) })
}

// recorder is a Store that notes every state change that went through,
// as "id:state", for the suite to compare.
type recorder struct {
	harness
	history []string
}

func (r *recorder) SetState(id uint64, s tracker.DraftState, reason string) error {
	err := r.harness.SetState(id, s, reason)
	if err == nil {
		r.history = append(r.history, fmt.Sprintf("%d:%s", id, s))
	}
	return err
}

func (r *recorder) saw(t *testing.T, want ...string) {
	t.Helper()
	if !slices.Equal(r.history, want) {
		t.Errorf("states = %v, want %v", r.history, want)
	}
}
