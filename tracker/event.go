package tracker

import (
	"encoding/json"
	"fmt"
	"time"
)

// Kinds of events. Other kinds may be recorded; these are the ones
// the store itself writes or knows callers write.
const (
	EventReceived = "received" // the pull request arrived
	EventState    = "state"    // its state changed
	EventVerdict  = "verdict"  // it was checked against the rules
	EventReply    = "reply"    // a reply joined its thread
	EventDraft    = "draft"    // an outgoing reply was drafted or changed state
	EventMerged   = "merged"   // it was merged
	EventDeleted  = "deleted"  // its message was removed from the archive
)

// Event is one entry in the history of a pull request. Events are
// append-only and come back in the order they were appended.
type Event struct {
	// Seq orders the events; AppendEvent assigns it.
	Seq  uint64    `json:"seq"`
	Kind string    `json:"kind"`
	Time time.Time `json:"time"`
	// Summary is one line for people; AppendEvent folds it onto one
	// line and shortens it.
	Summary string `json:"summary"`
	// Detail is optional structured data in JSON, such as the findings
	// of a verdict.
	Detail json.RawMessage `json:"detail,omitempty"`
}

// AppendEvent adds ev to the history of pull request id. A zero Time
// means now; Seq is assigned. Detail, when set, must be valid JSON.
func (t *Tx) AppendEvent(id uint64, ev Event) error {
	if err := t.writable("append event"); err != nil {
		return err
	}
	if ev.Kind == "" || len(ev.Kind) > 64 {
		return fmt.Errorf("tracker: event kind %q: %w", ev.Kind, ErrInvalid)
	}
	if len(ev.Detail) > 0 && !json.Valid(ev.Detail) {
		return fmt.Errorf("tracker: event detail is not JSON: %w", ErrInvalid)
	}
	if t.bucket(bucketPRs).Get(u64Key(id)) == nil {
		return fmt.Errorf("tracker: append event: pull request %d: %w", id, ErrNotFound)
	}
	events := t.bucket(bucketEvents)
	seq, err := events.NextSequence()
	if err != nil {
		return wrap("append event", err)
	}
	key := pairKey(id, seq)
	if events.Get(key) != nil {
		return fmt.Errorf("tracker: event %d of pull request %d: %w", seq, id, ErrExists)
	}
	ev.Seq = seq
	ev.Time = t.stamp(ev.Time)
	ev.Summary = oneLine(ev.Summary, maxSummaryLen)
	if err := putJSON(events, key, ev); err != nil {
		return wrap("append event", err)
	}
	return nil
}

// Events returns the history of pull request id, oldest first.
func (t *Tx) Events(id uint64) ([]Event, error) {
	var evs []Event
	err := forEachOf(t.bucket(bucketEvents), id, func(v []byte) error {
		var ev Event
		if err := json.Unmarshal(v, &ev); err != nil {
			return wrap(fmt.Sprintf("event of pull request %d", id), err)
		}
		evs = append(evs, ev)
		return nil
	})
	return evs, err
}
