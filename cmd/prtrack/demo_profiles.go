package main

import (
	"context"
	"fmt"

	"github.com/prtrack/prtrack/tracker"
)

// showWithReply shows a pull request, then the first reply drafted to it.
func (d *demoRun) showWithReply(id uint64) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := d.cmd("show", fmt.Sprint(id))(ctx); err != nil {
			return err
		}
		draft, err := d.firstDraft(id)
		if err != nil || draft == 0 {
			return err
		}
		fmt.Fprintln(d.io.Out)
		return d.cmd("replies", "show", fmt.Sprint(draft))(ctx)
	}
}

// firstDraft is the id of the first reply drafted to pull request id, or 0.
func (d *demoRun) firstDraft(id uint64) (uint64, error) {
	st, err := tracker.Open(d.world.DB, nil)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	var out uint64
	err = st.View(func(tx *tracker.Tx) error {
		drafts, err := tx.Drafts()
		for _, dr := range drafts {
			if dr.PRID == id && out == 0 {
				out = dr.ID
			}
		}
		return err
	})
	return out, err
}
