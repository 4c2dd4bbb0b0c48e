package tracker

import (
	"encoding/json"
	"fmt"
	"time"
)

// DraftState is where an outgoing draft is in its life. The store
// enforces draftMoves: an illegal transition is an error.
type DraftState string

// States of an outgoing draft.
const (
	DraftDraft     DraftState = "draft"     // written, not yet sent
	DraftSending   DraftState = "sending"   // handed to the mail server, outcome unknown
	DraftSent      DraftState = "sent"      // accepted by the mail server
	DraftDelivered DraftState = "delivered" // seen back on the list
	DraftDropped   DraftState = "dropped"   // abandoned, see Reason
)

// draftMoves is the life of a draft: what each state may become. A
// sending draft goes back to draft only when the server refused it
// (nothing went out), or stays sending on a deliberate resend; a sent
// one is only ever confirmed delivered. Whatever the state, seeing the
// reply on the list makes it delivered: the archive is the truth.
var draftMoves = map[DraftState][]DraftState{
	DraftDraft:   {DraftSending, DraftDropped, DraftDelivered},
	DraftSending: {DraftSending, DraftSent, DraftDraft, DraftDelivered},
	DraftSent:    {DraftDelivered},
	DraftDropped: {DraftDelivered},
}

// CanBecome reports whether a draft in state s may move to state to.
func (s DraftState) CanBecome(to DraftState) bool {
	for _, s := range draftMoves[s] {
		if s == to {
			return true
		}
	}
	return false
}

// Valid reports whether s is one of the draft states.
func (s DraftState) Valid() bool {
	switch s {
	case DraftDraft, DraftSending, DraftSent, DraftDelivered, DraftDropped:
		return true
	}
	return false
}

// Draft is an outgoing reply to a pull request.
type Draft struct {
	ID   uint64 `json:"id"`
	PRID uint64 `json:"pr_id"`
	// Kind says what the reply is for, such as "verdict" or "merged".
	Kind      string `json:"kind"`
	MessageID string `json:"message_id"`
	// Raw is the complete RFC 5322 message.
	Raw     []byte     `json:"raw"`
	State   DraftState `json:"state"`
	Created time.Time  `json:"created"`
	Updated time.Time  `json:"updated"`
	// Reason explains the last state change, such as the error that
	// dropped the draft.
	Reason string `json:"reason,omitempty"`
	// Key identifies what the reply says (verdict, readiness, tip...),
	// so that a new reply is drafted only when that changes.
	Key string `json:"key,omitempty"`
}

// AddDraft stores a new draft for pull request d.PRID and returns its
// id; d.ID is set. An empty State means DraftDraft, a zero Created
// means now and a zero Updated means Created. It appends a "draft" event to the pull request. A Message-ID
// already used by a draft gives ErrExists.
func (t *Tx) AddDraft(d *Draft) (uint64, error) {
	if err := t.writable("add draft"); err != nil {
		return 0, err
	}
	if err := t.checkNewDraft(d); err != nil {
		return 0, err
	}
	drafts := t.bucket(bucketDrafts)
	id, err := drafts.NextSequence()
	if err != nil {
		return 0, wrap("add draft", err)
	}
	d.ID = id
	if d.State == "" {
		d.State = DraftDraft
	}
	d.Created = t.stamp(d.Created)
	if d.Updated.IsZero() {
		d.Updated = d.Created
	}
	d.Updated = d.Updated.UTC()
	if err := t.putDraft(d); err != nil {
		return 0, err
	}
	if err := t.bucket(bucketDraftMsg).Put([]byte(d.MessageID), u64Key(id)); err != nil {
		return 0, wrap("add draft", err)
	}
	return id, t.draftEvent(d, fmt.Sprintf("draft %d (%s): %s", id, d.Kind, d.State))
}

func (t *Tx) checkNewDraft(d *Draft) error {
	if err := checkKey("message-id", d.MessageID); err != nil {
		return err
	}
	if d.State != "" && !d.State.Valid() {
		return fmt.Errorf("tracker: unknown draft state %q: %w", d.State, ErrInvalid)
	}
	if len(d.Raw) == 0 {
		return fmt.Errorf("tracker: draft without a message: %w", ErrInvalid)
	}
	if t.bucket(bucketPRs).Get(u64Key(d.PRID)) == nil {
		return fmt.Errorf("tracker: add draft: pull request %d: %w", d.PRID, ErrNotFound)
	}
	if _, ok := t.DraftByMessageID(d.MessageID); ok {
		return fmt.Errorf("tracker: draft %s: %w", d.MessageID, ErrExists)
	}
	return nil
}

func (t *Tx) putDraft(d *Draft) error {
	if err := putJSON(t.bucket(bucketDrafts), u64Key(d.ID), d); err != nil {
		return wrap(fmt.Sprintf("store draft %d", d.ID), err)
	}
	return nil
}

func (t *Tx) draftEvent(d *Draft, summary string) error {
	if d.Reason != "" {
		summary += ": " + d.Reason
	}
	detail, err := json.Marshal(DraftEventDetail{Draft: d.ID, Key: d.Key, State: d.State})
	if err != nil {
		return wrap("draft event", err)
	}
	return t.AppendEvent(d.PRID, Event{Kind: EventDraft, Time: d.Updated, Summary: summary, Detail: detail})
}

// DraftEventDetail is the Detail of a "draft" event, so that a pull
// request's own history tells what was last said to it without reading
// every draft.
type DraftEventDetail struct {
	Draft uint64     `json:"draft"`
	Key   string     `json:"key,omitempty"`
	State DraftState `json:"state"`
}

// Draft returns the draft with the given id, or an error matching
// ErrNotFound.
func (t *Tx) Draft(id uint64) (*Draft, error) {
	d := new(Draft)
	ok, err := getJSON(t.bucket(bucketDrafts), u64Key(id), d)
	if err != nil {
		return nil, wrap(fmt.Sprintf("draft %d", id), err)
	}
	if !ok {
		return nil, fmt.Errorf("tracker: draft %d: %w", id, ErrNotFound)
	}
	return d, nil
}

// DraftByMessageID returns the id of the draft whose message has the
// Message-ID messageID.
func (t *Tx) DraftByMessageID(messageID string) (uint64, bool) {
	return decodeU64(t.bucket(bucketDraftMsg).Get([]byte(messageID)))
}

// Drafts returns every draft in id order.
func (t *Tx) Drafts() ([]*Draft, error) {
	var ds []*Draft
	err := t.bucket(bucketDrafts).ForEach(func(k, v []byte) error {
		d := new(Draft)
		if err := json.Unmarshal(v, d); err != nil {
			return wrap(fmt.Sprintf("draft %x", k), err)
		}
		ds = append(ds, d)
		return nil
	})
	return ds, err
}

// SetDraftState moves draft id to state, noting why, and appends a
// "draft" event to its pull request.
func (t *Tx) SetDraftState(id uint64, state DraftState, reason string) error {
	if err := t.writable("set draft state"); err != nil {
		return err
	}
	if !state.Valid() {
		return fmt.Errorf("tracker: unknown draft state %q: %w", state, ErrInvalid)
	}
	d, err := t.Draft(id)
	if err != nil {
		return err
	}
	if !d.State.CanBecome(state) {
		return fmt.Errorf("tracker: draft %d: %s -> %s is not allowed: %w", id, d.State, state, ErrInvalid)
	}
	summary := fmt.Sprintf("draft %d (%s): %s -> %s", id, d.Kind, d.State, state)
	d.State, d.Reason, d.Updated = state, oneLine(reason, maxSummaryLen), t.stamp(time.Time{})
	if err := t.putDraft(d); err != nil {
		return err
	}
	return t.draftEvent(d, summary)
}
