package outbox

import (
	"fmt"
	"slices"

	"github.com/prtrack/prtrack/tracker"
)

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
		return nil, fmt.Errorf("outbox: drop: say which drafts (ids, a pull request, a kind, or all)")
	}
	var dropped []uint64
	err := st.Update(func(tx *tracker.Tx) error {
		for _, id := range f.IDs {
			d, err := tx.Draft(id)
			if err != nil {
				return fmt.Errorf("outbox: drop: %w", err)
			}
			if d.State != tracker.DraftDraft {
				return fmt.Errorf("outbox: drop: draft %d is %s, not an unsent draft; it stays on record", id, d.State)
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
