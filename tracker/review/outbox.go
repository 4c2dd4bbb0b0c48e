package review

import (
	"fmt"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// Outbox is the store's drafts as a reply.Outbox: what SendPending
// sends, and where it records each state before going on.
type Outbox struct {
	Store *tracker.Store
	// Only, when set, limits sending to these draft ids.
	Only map[uint64]bool
}

// Pending lists the drafts in state draft or sending, oldest first.
func (o *Outbox) Pending() ([]reply.Pending, error) {
	var out []reply.Pending
	err := o.Store.View(func(tx *tracker.Tx) error {
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
			out = append(out, reply.Pending{ID: d.ID, State: reply.State(d.State), Mail: m})
		}
		return nil
	})
	return out, err
}

// SetState records a draft's new state in its own transaction, so it
// is on disk before SendPending goes on.
func (o *Outbox) SetState(id uint64, s reply.State, reason string) error {
	return o.Store.Update(func(tx *tracker.Tx) error {
		return tx.SetDraftState(id, string(s), reason)
	})
}

// SeenOnList reports whether the list archive, as ingested, shows the
// message.
func (o *Outbox) SeenOnList(messageID string) (bool, error) {
	var seen bool
	err := o.Store.View(func(tx *tracker.Tx) error {
		_, seen = tx.Seen(messageID)
		return nil
	})
	return seen, err
}
