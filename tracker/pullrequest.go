package tracker

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/prtrack/prtrack/mailparse"
)

// State is where a pull request stands.
type State string

// The states of a pull request.
const (
	StateNew        State = "new"        // received, not yet checked
	StateUnchecked  State = "unchecked"  // a check was tried and could not run
	StateAccepted   State = "accepted"   // checked and found acceptable
	StateRejected   State = "rejected"   // breaks the rules
	StateWaiting    State = "waiting"    // based on commits not yet in Linus's tree
	StateClean      State = "clean"      // its base is all in Linus's tree
	StatePulled     State = "pulled"     // pulled into a maintainer's tree, not yet in Linus's
	StateMerged     State = "merged"     // in Linus's master
	StateSuperseded State = "superseded" // a later pull request replaces it
	StateClosed     State = "closed"     // closed by the maintainer
	StateDeleted    State = "deleted"    // removed from the archive
)

// States lists every state, in lifecycle order.
var States = []State{StateNew, StateUnchecked, StateAccepted, StateRejected, StateWaiting,
	StateClean, StatePulled, StateMerged, StateSuperseded, StateClosed, StateDeleted}

func (s State) valid() bool { return slices.Contains(States, s) }

// ParseState returns the state named s.
func ParseState(s string) (State, error) {
	if st := State(s); st.valid() {
		return st, nil
	}
	return "", fmt.Errorf("tracker: unknown state %q: %w", s, ErrInvalid)
}

// Settled reports whether nothing more is expected of a pull request
// in state s: merged, superseded, closed or deleted.
func (s State) Settled() bool {
	switch s {
	case StateMerged, StateSuperseded, StateClosed, StateDeleted:
		return true
	}
	return false
}

// PullRequestRecord is a stored pull request: the mail that carried it
// and what its request-pull block says. The raw message is kept apart
// (see Tx.RawMessage), and so are events and replies.
type PullRequestRecord struct {
	ID        uint64              `json:"id"`
	MessageID string              `json:"message_id"`
	Subject   string              `json:"subject"`
	From      mailparse.Address   `json:"from"`
	To        []mailparse.Address `json:"to,omitempty"`
	Cc        []mailparse.Address `json:"cc,omitempty"`
	// Date is the Date header (zero when missing); ReceivedAt is when
	// prtrack recorded the message.
	Date       time.Time `json:"date"`
	ReceivedAt time.Time `json:"received_at"`
	SourceKey  string    `json:"source"`
	Where      string    `json:"where"`

	// Parents are the Message-IDs the mail answers (In-Reply-To, then
	// References newest first): a pull request sent in reply to an
	// older one supersedes it.
	Parents []string `json:"parents,omitempty"`

	Pull  mailparse.PullRequest `json:"pull"`
	State State                 `json:"state"`
	// Role says whose pull request it is; RoleBy is RoleByMaintainer
	// when a maintainer set it by command (then prtrack never changes
	// it), RoleByRules otherwise. An empty Role is not yet classified.
	Role   Role   `json:"role,omitempty"`
	RoleBy string `json:"role_by,omitempty"`
	// Window is the merge window it targets ("v6.15"), when known.
	Window string `json:"window,omitempty"`
	// SupersededBy is the pull request that replaced this one, and
	// Supersedes those it replaced.
	SupersededBy uint64   `json:"superseded_by,omitempty"`
	Supersedes   []uint64 `json:"supersedes,omitempty"`
	// MergeCommit is the commit that brought it into Linus's master
	// (or the tree that pulled it), when known.
	MergeCommit string `json:"merge_commit,omitempty"`
	// StateReason says why the state was last set: the reply that
	// settled it, the maintainer's reason for closing it.
	StateReason string `json:"state_reason,omitempty"`
	// KeepOpen is set when a maintainer reopened it: the thread and
	// later versions no longer settle it.
	KeepOpen bool `json:"keep_open,omitempty"`
}

// AddPullRequest stores a new pull request with its raw message and
// returns its id, the next small integer. It also records the
// Message-ID as the start of the pull request's thread and appends a
// "received" event. rec.ID is set; an empty State means StateNew and a
// zero ReceivedAt means now. A Message-ID already recorded as a pull
// request or as part of a thread gives ErrExists.
func (t *Tx) AddPullRequest(rec *PullRequestRecord, raw []byte) (uint64, error) {
	if err := t.writable("add pull request"); err != nil {
		return 0, err
	}
	if err := t.checkNewPullRequest(rec); err != nil {
		return 0, err
	}
	prs := t.bucket(bucketPRs)
	id, err := prs.NextSequence()
	if err != nil {
		return 0, wrap("add pull request", err)
	}
	rec.ID = id
	rec.Date = rec.Date.UTC()
	rec.ReceivedAt = t.stamp(rec.ReceivedAt)
	if rec.State == "" {
		rec.State = StateNew
	}
	key, mid := u64Key(id), []byte(rec.MessageID)
	if err := t.putPullRequest(rec); err != nil {
		return 0, err
	}
	if err := t.bucket(bucketPRRaw).Put(key, raw); err != nil {
		return 0, wrap("add pull request", err)
	}
	if err := t.bucket(bucketPRMsgID).Put(mid, key); err != nil {
		return 0, wrap("add pull request", err)
	}
	if err := t.bucket(bucketThread).Put(mid, key); err != nil {
		return 0, wrap("add pull request", err)
	}
	ev := Event{Kind: EventReceived, Time: rec.ReceivedAt, Summary: rec.Subject}
	if err := t.AppendEvent(id, ev); err != nil {
		return 0, err
	}
	return id, nil
}

func (t *Tx) checkNewPullRequest(rec *PullRequestRecord) error {
	if err := checkKey("message-id", rec.MessageID); err != nil {
		return err
	}
	if rec.State != "" && !rec.State.valid() {
		return fmt.Errorf("tracker: unknown state %q: %w", rec.State, ErrInvalid)
	}
	if _, ok := t.ThreadOf(rec.MessageID); ok {
		return fmt.Errorf("tracker: message %s: %w", rec.MessageID, ErrExists)
	}
	return nil
}

func (t *Tx) putPullRequest(rec *PullRequestRecord) error {
	if err := putJSON(t.bucket(bucketPRs), u64Key(rec.ID), rec); err != nil {
		return wrap(fmt.Sprintf("store pull request %d", rec.ID), err)
	}
	return nil
}

// PullRequest returns the pull request with the given id, or an error
// matching ErrNotFound.
func (t *Tx) PullRequest(id uint64) (*PullRequestRecord, error) {
	rec := new(PullRequestRecord)
	ok, err := getJSON(t.bucket(bucketPRs), u64Key(id), rec)
	if err != nil {
		return nil, wrap(fmt.Sprintf("pull request %d", id), err)
	}
	if !ok {
		return nil, fmt.Errorf("tracker: pull request %d: %w", id, ErrNotFound)
	}
	return rec, nil
}

// PullRequestByMessageID returns the id of the pull request carried by
// the message messageID.
func (t *Tx) PullRequestByMessageID(messageID string) (uint64, bool) {
	return decodeU64(t.bucket(bucketPRMsgID).Get([]byte(messageID)))
}

// PullRequests returns every pull request in id order.
func (t *Tx) PullRequests() ([]*PullRequestRecord, error) {
	var recs []*PullRequestRecord
	err := t.bucket(bucketPRs).ForEach(func(k, v []byte) error {
		rec := new(PullRequestRecord)
		if err := json.Unmarshal(v, rec); err != nil {
			return wrap(fmt.Sprintf("pull request %x", k), err)
		}
		recs = append(recs, rec)
		return nil
	})
	return recs, err
}

// RawMessage returns the message that carried pull request id.
func (t *Tx) RawMessage(id uint64) ([]byte, error) {
	raw := t.bucket(bucketPRRaw).Get(u64Key(id))
	if raw == nil {
		return nil, fmt.Errorf("tracker: raw message of pull request %d: %w", id, ErrNotFound)
	}
	return clone(raw), nil
}

// SetState changes the state of pull request id and appends a "state"
// event saying so. Setting the state it already has does nothing.
func (t *Tx) SetState(id uint64, state State) error {
	return t.SetStateWhy(id, state, "")
}

// SetStateWhy is SetState with the reason recorded on the pull request
// and in the event.
func (t *Tx) SetStateWhy(id uint64, state State, why string) error {
	if err := t.writable("set state"); err != nil {
		return err
	}
	if !state.valid() {
		return fmt.Errorf("tracker: unknown state %q: %w", state, ErrInvalid)
	}
	rec, err := t.PullRequest(id)
	if err != nil {
		return err
	}
	if rec.State == state {
		return nil
	}
	ev, err := stateEvent(StateChange{From: rec.State, To: state, Why: why})
	if err != nil {
		return err
	}
	rec.State, rec.StateReason = state, oneLine(why, maxSummaryLen)
	if err := t.putPullRequest(rec); err != nil {
		return err
	}
	return t.AppendEvent(id, ev)
}

// ThreadOf returns the pull request whose thread holds the message
// messageID: the pull request's own message or an attached reply.
func (t *Tx) ThreadOf(messageID string) (uint64, bool) {
	return decodeU64(t.bucket(bucketThread).Get([]byte(messageID)))
}

// UpdatePullRequest stores fields of pull request id that prtrack
// works out after it was received: fn changes rec in place. The
// identity of the record (id, Message-ID), its state and its role
// have their own setters and may not be changed here.
func (t *Tx) UpdatePullRequest(id uint64, fn func(rec *PullRequestRecord)) error {
	if err := t.writable("update pull request"); err != nil {
		return err
	}
	rec, err := t.PullRequest(id)
	if err != nil {
		return err
	}
	msgID, state, role, by := rec.MessageID, rec.State, rec.Role, rec.RoleBy
	fn(rec)
	if rec.ID != id || rec.MessageID != msgID || rec.State != state || rec.Role != role || rec.RoleBy != by {
		return fmt.Errorf("tracker: update pull request %d: identity, state and role have their own setters: %w", id, ErrInvalid)
	}
	return t.putPullRequest(rec)
}
