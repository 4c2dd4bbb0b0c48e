package web

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
	"github.com/prtrack/prtrack/tracker/triage"
)

// Pull is everything the page of one pull request shows.
type Pull struct {
	*Row
	Rec      *tracker.PullRequestRecord
	Events   []tracker.Event
	Verdicts []Verdict
	Replies  []tracker.Reply
	Drafts   []*tracker.Draft // prtrack's own replies
	Related  []Related
	Changes  []Change // newest first
}

// Verdict is one verdict in the history of a pull request.
type Verdict struct {
	tracker.Event
	*review.Detail
}

// Related is a pull request that replaced this one or that it replaced.
type Related struct {
	ID         uint64
	Subject    string
	Supersedes bool // this one replaces it
}

// LoadPull reads pull request id in one read transaction; ok is false
// when there is none.
func LoadPull(st *tracker.Store, id uint64) (p *Pull, ok bool, err error) {
	err = st.View(func(tx *tracker.Tx) error {
		if _, e := tx.PullRequest(id); errors.Is(e, tracker.ErrNotFound) {
			return nil
		} else if e != nil {
			return e
		}
		drafts, e := draftsByPR(tx)
		if e != nil {
			return e
		}
		cy, _, e := tx.Cycle()
		if e != nil {
			return e
		}
		p, e = loadPull(tx, id, triage.Horizon{Known: cy.Known, Since: cy.Horizon}, drafts[id])
		return e
	})
	if err != nil {
		return nil, false, fmt.Errorf("web: read pull request %d: %w", id, err)
	}
	return p, p != nil, nil
}

func loadPull(tx *tracker.Tx, id uint64, h triage.Horizon, drafts []*tracker.Draft) (*Pull, error) {
	rec, err := tx.PullRequest(id)
	if err != nil {
		return nil, err
	}
	row, events, err := newRow(tx, rec, h)
	if err != nil {
		return nil, err
	}
	p := &Pull{Row: row, Rec: rec, Events: events, Drafts: drafts, Verdicts: verdicts(events)}
	if p.Replies, err = tx.Replies(id); err != nil {
		return nil, err
	}
	if p.Related, err = related(tx, rec); err != nil {
		return nil, err
	}
	p.Changes = changesOf(row, events)
	for i, j := 0, len(p.Changes)-1; i < j; i, j = i+1, j-1 {
		p.Changes[i], p.Changes[j] = p.Changes[j], p.Changes[i]
	}
	return p, nil
}

// verdicts reads every verdict event, oldest first.
func verdicts(events []tracker.Event) []Verdict {
	var out []Verdict
	for _, ev := range events {
		if ev.Kind != tracker.EventVerdict {
			continue
		}
		var d review.Detail
		if json.Unmarshal(ev.Detail, &d) == nil && d.Verdict != nil {
			out = append(out, Verdict{Event: ev, Detail: &d})
		}
	}
	return out
}

func related(tx *tracker.Tx, rec *tracker.PullRequestRecord) ([]Related, error) {
	var out []Related
	if rec.SupersededBy != 0 {
		r, err := tx.PullRequest(rec.SupersededBy)
		if err != nil {
			return nil, err
		}
		out = append(out, Related{ID: r.ID, Subject: r.Subject})
	}
	for _, id := range rec.Supersedes {
		r, err := tx.PullRequest(id)
		if err != nil {
			return nil, err
		}
		out = append(out, Related{ID: r.ID, Subject: r.Subject, Supersedes: true})
	}
	return out, nil
}

// draftsByPR returns prtrack's replies by pull request, without their
// raw message.
func draftsByPR(tx *tracker.Tx) (map[uint64][]*tracker.Draft, error) {
	all, err := tx.Drafts()
	if err != nil {
		return nil, err
	}
	out := map[uint64][]*tracker.Draft{}
	for _, d := range all {
		d.Raw = nil
		out[d.PRID] = append(out[d.PRID], d)
	}
	return out, nil
}
