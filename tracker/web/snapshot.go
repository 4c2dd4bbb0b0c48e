package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
	"github.com/prtrack/prtrack/tracker/triage"
)

// Row is one pull request as the pages list it: its view and what its
// newest verdict and volatile event say.
type Row struct {
	*review.PullView
	Driver   string                 `json:"driver,omitempty"`
	Findings int                    `json:"findings"`
	Volatile *review.VolatileDetail `json:"volatile,omitempty"`
}

// Snapshot is the database as one read transaction saw it.
type Snapshot struct {
	Cycle tracker.Cycle
	// Rows are every pull request, ranked as "prtrack list" ranks them.
	Rows []*Row
	// Changes are the state changes the feeds show, newest first.
	Changes []Change
	// Updated is the time of the newest event: when the data last
	// changed.
	Updated time.Time
	byID    map[uint64]*Row
}

// Row returns pull request id, or nil.
func (s *Snapshot) Row(id uint64) *Row { return s.byID[id] }

// Load reads a snapshot of st in one read transaction.
func Load(st *tracker.Store) (*Snapshot, error) {
	var s *Snapshot
	err := st.View(func(tx *tracker.Tx) error {
		var err error
		s, err = loadSnapshot(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("web: read database: %w", err)
	}
	return s, nil
}

func loadSnapshot(tx *tracker.Tx) (*Snapshot, error) {
	cy, _, err := tx.Cycle()
	if err != nil {
		return nil, err
	}
	recs, err := tx.PullRequests()
	if err != nil {
		return nil, err
	}
	s := &Snapshot{Cycle: cy, byID: make(map[uint64]*Row, len(recs))}
	h := triage.Horizon{Known: cy.Known, Since: cy.Horizon}
	for _, rec := range recs {
		if err := s.add(tx, rec, h); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(s.Rows, func(a, b *Row) int { return review.Rank(a.PullView, b.PullView) })
	slices.SortStableFunc(s.Changes, func(a, b Change) int { return b.Time.Compare(a.Time) })
	return s, nil
}

func (s *Snapshot) add(tx *tracker.Tx, rec *tracker.PullRequestRecord, h triage.Horizon) error {
	row, events, err := newRow(tx, rec, h)
	if err != nil {
		return err
	}
	s.Rows = append(s.Rows, row)
	s.byID[rec.ID] = row
	for _, ev := range events {
		if ev.Time.After(s.Updated) {
			s.Updated = ev.Time
		}
	}
	s.Changes = append(s.Changes, changesOf(row, events)...)
	return nil
}

// newRow builds the row of rec and returns the history it read.
func newRow(tx *tracker.Tx, rec *tracker.PullRequestRecord, h triage.Horizon) (*Row, []tracker.Event, error) {
	events, err := tx.Events(rec.ID)
	if err != nil {
		return nil, nil, err
	}
	row := &Row{PullView: review.ViewFrom(rec, events, h), Volatile: lastVolatile(events)}
	if d := review.LastDetail(events); d != nil {
		row.Driver, row.Findings = d.Verdict.Driver, len(d.Verdict.Findings)
	}
	return row, events, nil
}

// lastVolatile reads the newest volatile event, or nil.
func lastVolatile(events []tracker.Event) *review.VolatileDetail {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind != review.EventVolatile {
			continue
		}
		var d review.VolatileDetail
		if json.Unmarshal(events[i].Detail, &d) == nil {
			return &d
		}
	}
	return nil
}
