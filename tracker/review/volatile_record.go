package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker"
)

// EventVolatile is the kind of the event recording a pull request's
// trial-merge result in the volatile for-next.
const EventVolatile = "volatile"

// VolatileDetail is the JSON payload of a volatile event.
type VolatileDetail struct {
	// Status is "merged", "already in" or why it was left out
	// (volatile.ReasonConflict, ...).
	Status        string         `json:"status"`
	Tip           string         `json:"tip,omitempty"`
	ConflictsWith []string       `json:"conflicts_with,omitempty"`
	Paths         []string       `json:"paths,omitempty"`
	Pairs         []VolatilePair `json:"pairs,omitempty"`
	Error         string         `json:"error,omitempty"`
}

// VolatilePair is a pending pull request this one conflicts with.
type VolatilePair struct {
	With  string   `json:"with"` // Message-ID
	Paths []string `json:"paths"`
}

// VolatileChange is a pull request whose trial-merge result changed
// since the last rebuild; Before is "" the first time.
type VolatileChange struct {
	ID     uint64 `json:"id"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// RecordVolatile appends a volatile event to the history of each pull
// request in res whose result differs from the one recorded last (a new
// conflict, or one that went away), and returns those changes. Results
// that did not change are not recorded again.
func RecordVolatile(st *tracker.Store, res *volatile.Result) ([]VolatileChange, error) {
	details := volatileDetails(res)
	ids := make([]uint64, 0, len(details))
	for id := range details {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []VolatileChange
	err := st.Update(func(tx *tracker.Tx) error {
		for _, id := range ids {
			c, err := recordVolatile(tx, id, details[id])
			if err != nil {
				return err
			}
			if c != nil {
				out = append(out, *c)
			}
		}
		return nil
	})
	return out, err
}

func recordVolatile(tx *tracker.Tx, id uint64, d *VolatileDetail) (*VolatileChange, error) {
	events, err := tx.Events(id)
	if err != nil {
		return nil, err
	}
	before := lastVolatile(events)
	if before != nil && before.key() == d.key() {
		return nil, nil
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	if err := tx.AppendEvent(id, tracker.Event{Kind: EventVolatile, Summary: d.summary(), Detail: raw}); err != nil {
		return nil, err
	}
	c := &VolatileChange{ID: id, After: d.summary()}
	if before != nil {
		c.Before = before.summary()
	}
	return c, nil
}

// lastVolatile reads back the newest volatile event, or nil.
func lastVolatile(events []tracker.Event) *VolatileDetail {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind != EventVolatile {
			continue
		}
		var d VolatileDetail
		if err := json.Unmarshal(events[i].Detail, &d); err == nil {
			return &d
		}
	}
	return nil
}

// key is what makes two results the same: not the tip or an error's
// wording.
func (d *VolatileDetail) key() string {
	k := d.Status + "|" + strings.Join(d.ConflictsWith, ",") + "|" + strings.Join(d.Paths, ",")
	for _, p := range d.Pairs {
		k += "|" + p.With + ":" + strings.Join(p.Paths, ",")
	}
	return k
}

func (d *VolatileDetail) summary() string {
	s := d.Status
	if len(d.ConflictsWith) > 0 {
		s += fmt.Sprintf(": conflicts with %s in %s", strings.Join(d.ConflictsWith, ", "), strings.Join(d.Paths, ", "))
	}
	for _, p := range d.Pairs {
		s += fmt.Sprintf("; conflicts pairwise with %s in %s", p.With, strings.Join(p.Paths, ", "))
	}
	return s
}

// volatileDetails is each pull request's result, by id.
func volatileDetails(res *volatile.Result) map[uint64]*VolatileDetail {
	out := map[uint64]*VolatileDetail{}
	for _, k := range res.Kept {
		status := "merged"
		if k.Merge == "" {
			status = "already in"
		}
		out[k.ID] = &VolatileDetail{Status: status, Tip: k.Tip}
	}
	for _, l := range res.LeftOut {
		out[l.ID] = &VolatileDetail{Status: "left out, " + l.Reason, Tip: l.Tip, ConflictsWith: l.ConflictsWith, Paths: l.Paths, Error: l.Error}
	}
	for _, p := range res.Pairs {
		if p.Error != "" {
			continue
		}
		for _, side := range [][2]uint64{{p.AID, p.BID}, {p.BID, p.AID}} {
			if d, other := out[side[0]], pairName(p, side[1]); d != nil && !slices.Contains(d.ConflictsWith, other) {
				d.Pairs = append(d.Pairs, VolatilePair{With: other, Paths: p.Paths})
			}
		}
	}
	return out
}

func pairName(p volatile.Pair, id uint64) string {
	if id == p.AID {
		return p.A
	}
	return p.B
}

// VolatileNews is a change of one pull request's volatile result, as a
// report lists it.
type VolatileNews struct {
	ID      uint64    `json:"id"`
	Subject string    `json:"subject"`
	Before  string    `json:"before"` // "" the first time
	After   string    `json:"after"`
	Time    time.Time `json:"time"`
}

// volatileNewsAfter returns the changes of v's volatile result recorded
// after t, with the result before each.
func volatileNewsAfter(v *PullView, events []tracker.Event, t time.Time) []VolatileNews {
	var out []VolatileNews
	before := ""
	for _, ev := range events {
		if ev.Kind != EventVolatile {
			continue
		}
		if ev.Time.After(t) {
			out = append(out, VolatileNews{ID: v.ID, Subject: v.Subject, Before: before, After: ev.Summary, Time: ev.Time})
		}
		before = ev.Summary
	}
	return out
}
