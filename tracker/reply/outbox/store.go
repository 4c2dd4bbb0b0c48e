package outbox

import (
	"fmt"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// Box is the tracker store's drafts as a Store: what Send sends, and
// where it records each state before going on.
type Box struct {
	Store *tracker.Store
	// Only, when set, limits sending to these draft ids; naming one
	// that does not exist is an error.
	Only map[uint64]bool
}

// NewBox is the store's drafts as a Store, limited to ids when any are
// given.
func NewBox(st *tracker.Store, ids []uint64) *Box {
	return &Box{Store: st, Only: idSet(ids)}
}

// idSet is the set of the draft ids a maintainer named, or nil for none.
func idSet(ids []uint64) map[uint64]bool {
	if len(ids) == 0 {
		return nil
	}
	set := make(map[uint64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

// onRecord checks that every draft of set exists.
func onRecord(tx *tracker.Tx, set map[uint64]bool) error {
	for id := range set {
		if _, err := tx.Draft(id); err != nil {
			return err
		}
	}
	return nil
}

// Pending lists the drafts in state draft or sending, oldest first.
func (o *Box) Pending() ([]Pending, error) {
	var out []Pending
	err := o.Store.View(func(tx *tracker.Tx) error {
		if err := onRecord(tx, o.Only); err != nil {
			return err
		}
		drafts, err := tx.Drafts()
		if err != nil {
			return err
		}
		for _, d := range drafts {
			if d.State != tracker.DraftDraft && d.State != tracker.DraftSending {
				continue
			}
			if o.Only != nil && !o.Only[d.ID] {
				continue
			}
			m, err := reply.ParseMail(d.Raw)
			if err != nil {
				return fmt.Errorf("draft %d: %w", d.ID, err)
			}
			m.Kind, m.Key = d.Kind, d.Key
			out = append(out, Pending{ID: d.ID, State: d.State, Mail: m})
		}
		return nil
	})
	return out, err
}

// SetState records a draft's new state in its own transaction, so it
// is on disk before Send goes on.
func (o *Box) SetState(id uint64, s tracker.DraftState, reason string) error {
	return o.Store.Update(func(tx *tracker.Tx) error {
		return tx.SetDraftState(id, s, reason)
	})
}

// SeenOnList reports whether the list archive, as ingested, shows the
// message.
func (o *Box) SeenOnList(messageID string) (bool, error) {
	var seen bool
	err := o.Store.View(func(tx *tracker.Tx) error {
		_, seen = tx.Seen(messageID)
		return nil
	})
	return seen, err
}
