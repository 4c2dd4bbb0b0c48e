package web

import (
	"fmt"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// front is the body of the front page.
type front struct {
	Cycle   tracker.Cycle
	CutOff  *CutOff
	Filter  Filter
	Windows []WindowGroup
	Count   int
	Roles   []tracker.Role
	States  []tracker.State
	Facets  []Facet
}

// rowsData is what the "rows" template gets.
type rowsData struct {
	Rows []*Row
	Root string
	Now  time.Time
}

func rowsOf(rows []*Row, root string, now time.Time) rowsData {
	return rowsData{Rows: rows, Root: root, Now: now}
}

// frontPage renders the front page of snap under f as of now; root
// leads from the page to the site's root.
func (s *Site) frontPage(snap *Snapshot, f Filter, now time.Time, live bool, root string) ([]byte, error) {
	rows := f.Select(snap.Rows)
	body := &front{Cycle: snap.Cycle, Filter: f, Windows: group(rows, snap.Cycle.Next), Count: len(rows),
		Roles: tracker.Roles, States: tracker.States, Facets: facets(snap.Rows)}
	if c, ok := estimateCutOff(snap.Cycle, s.cutoff, now); ok {
		body.CutOff = &c
	}
	return s.render("front.tmpl", page{Title: s.title, Root: root, Live: live, Now: now, Body: body})
}

// pullPage renders the page of p as of now.
func (s *Site) pullPage(p *Pull, now time.Time) ([]byte, error) {
	title := fmt.Sprintf("#%d %s · %s", p.ID, p.Subject, s.title)
	return s.render("pull.tmpl", page{Title: title, Root: "../", Now: now, Body: p})
}

// siteFeed renders /feed.atom.
func (s *Site) siteFeed(snap *Snapshot) ([]byte, error) {
	spec := feedSpec{id: "feed", title: s.title + ": state changes", self: "feed.atom", alt: "index.html"}
	return s.feed(spec, snap.Changes, snap.Updated)
}

// pullFeed renders the feed of one pull request.
func (s *Site) pullFeed(p *Pull) ([]byte, error) {
	spec := feedSpec{id: fmt.Sprintf("pr/%d", p.ID), title: fmt.Sprintf("%s: #%d %s", s.title, p.ID, p.Subject),
		self: pullFeedPath(p.ID), alt: pullPath(p.ID)}
	var updated time.Time
	if n := len(p.Events); n > 0 {
		updated = p.Events[n-1].Time
	}
	return s.feed(spec, p.Changes, updated)
}
