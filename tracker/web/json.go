package web

import (
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/review"
)

// PullJSON is one pull request with its thread and history, as
// "prtrack show --json" prints it and /api/pr/ID.json serves it.
type PullJSON struct {
	*review.PullView
	Replies []tracker.Reply `json:"replies"`
	Events  []tracker.Event `json:"events"`
	Drafts  []DraftLine     `json:"drafts"`
}

// DraftLine is one of prtrack's own replies in PullJSON.
type DraftLine struct {
	ID        uint64             `json:"id"`
	Kind      string             `json:"kind"`
	State     tracker.DraftState `json:"state"`
	MessageID string             `json:"message_id"`
}

// NewPullJSON builds the JSON object of a pull request.
func NewPullJSON(v *review.PullView, replies []tracker.Reply, events []tracker.Event, drafts []*tracker.Draft) PullJSON {
	out := PullJSON{PullView: v, Replies: replies, Events: events, Drafts: []DraftLine{}}
	if out.Replies == nil {
		out.Replies = []tracker.Reply{}
	}
	for _, d := range drafts {
		out.Drafts = append(out.Drafts, DraftLine{ID: d.ID, Kind: d.Kind, State: d.State, MessageID: d.MessageID})
	}
	return out
}

// JSON is p as PullJSON.
func (p *Pull) JSON() PullJSON { return NewPullJSON(p.PullView, p.Replies, p.Events, p.Drafts) }

// views returns the views of rows, for /api/pulls.json.
func views(rows []*Row) []*review.PullView {
	out := make([]*review.PullView, len(rows))
	for i, r := range rows {
		out[i] = r.PullView
	}
	return out
}
