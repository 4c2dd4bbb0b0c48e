package review

import (
	"fmt"
	"slices"

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

// DropFilter selects the drafts Drop discards: by draft id, by pull
// request, by kind ("accepted", "unchecked", ...), or All. Set fields
// combine: a draft must match each.
type DropFilter struct {
	IDs  []uint64
	PR   uint64
	Kind string
	All  bool
}

func (f *DropFilter) empty() bool { return len(f.IDs) == 0 && f.PR == 0 && f.Kind == "" && !f.All }

func (f *DropFilter) match(d *tracker.Draft) bool {
	return (len(f.IDs) == 0 || slices.Contains(f.IDs, d.ID)) &&
		(f.PR == 0 || d.PRID == f.PR) && (f.Kind == "" || d.Kind == f.Kind)
}

// Drop discards the unsent drafts f selects, in one transaction, and
// returns their ids. A draft being or already sent keeps its state:
// that record is what stops it going out twice. Naming such a draft
// by id is an error, and so is an id that does not exist; nothing is
// dropped then.
func Drop(st *tracker.Store, f DropFilter) ([]uint64, error) {
	if f.empty() {
		return nil, fmt.Errorf("review: drop: say which drafts (ids, a pull request, a kind, or all)")
	}
	var dropped []uint64
	err := st.Update(func(tx *tracker.Tx) error {
		for _, id := range f.IDs {
			d, err := tx.Draft(id)
			if err != nil {
				return fmt.Errorf("review: drop: %w", err)
			}
			if d.State != tracker.DraftDraft {
				return fmt.Errorf("review: drop: draft %d is %s, not an unsent draft; it stays on record", id, d.State)
			}
		}
		drafts, err := tx.Drafts()
		if err != nil {
			return err
		}
		for _, d := range drafts {
			if d.State != tracker.DraftDraft || !f.match(d) {
				continue
			}
			if err := tx.SetDraftState(d.ID, tracker.DraftDropped, "dropped by the maintainer"); err != nil {
				return err
			}
			dropped = append(dropped, d.ID)
		}
		return nil
	})
	return dropped, err
}
