package web

import (
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// Change is a state change the feeds show: a pull request arrived
// (new), became clean, was rejected, merged or superseded.
type Change struct {
	ID        uint64    `json:"id"`
	Seq       uint64    `json:"seq"` // of the event recording it
	Kind      string    `json:"kind"`
	Time      time.Time `json:"time"`
	Why       string    `json:"why,omitempty"`
	Subject   string    `json:"subject"`
	MessageID string    `json:"message_id"`
	From      string    `json:"from"`
}

// fed are the states a change into makes a feed entry.
var fed = map[tracker.State]bool{
	tracker.StateClean: true, tracker.StateRejected: true, tracker.StateMerged: true, tracker.StateSuperseded: true,
}

// changesOf returns the feed's changes in the history of row.
func changesOf(row *Row, events []tracker.Event) []Change {
	var out []Change
	for _, ev := range events {
		c := Change{ID: row.ID, Seq: ev.Seq, Time: ev.Time, Subject: row.Subject, MessageID: row.MessageID, From: row.From}
		if ev.Kind == tracker.EventReceived {
			c.Kind = string(tracker.StateNew)
			out = append(out, c)
			continue
		}
		sc, ok := tracker.StateChangeOf(ev)
		if ok && sc.From != sc.To && fed[sc.To] {
			c.Kind, c.Why = string(sc.To), sc.Why
			out = append(out, c)
		}
	}
	return out
}
