package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path"
	"strings"
	"time"
)

// maxEntries bounds a feed: the newest changes only.
const maxEntries = 200

// idBase prefixes the feeds' ids (RFC 4151 tag URIs): stable for a
// database, whoever publishes it.
const idBase = "tag:prtrack.invalid,2024:"

// Atom documents (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  *atomPerson `xml:"author,omitempty"`
	Link    atomLink    `xml:"link"`
	Summary string      `xml:"summary"`
}

// feedSpec says where a feed is and how its entries link.
type feedSpec struct {
	id    string // after idBase
	title string
	self  string // the feed's path from the site's root
	alt   string // the page the feed is of, from the root
}

// feed renders changes (newest first) as an Atom feed. Its updated time
// is the newest change's, or else updated, so that it only changes
// with the data.
func (s *Site) feed(spec feedSpec, changes []Change, updated time.Time) ([]byte, error) {
	if len(changes) > maxEntries {
		changes = changes[:maxEntries]
	}
	if len(changes) > 0 {
		updated = changes[0].Time
	}
	f := atomFeed{Title: spec.title, ID: idBase + spec.id, Updated: atomTime(updated), Author: atomPerson{Name: "prtrack"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.link(spec.self, spec.self)},
			{Rel: "alternate", Type: "text/html", Href: s.link(spec.self, spec.alt)}}}
	for _, c := range changes {
		f.Entries = append(f.Entries, s.entry(spec, c))
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("web: feed %s: %w", spec.self, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func (s *Site) entry(spec feedSpec, c Change) atomEntry {
	e := atomEntry{Title: fmt.Sprintf("#%d %s: %s", c.ID, c.Kind, c.Subject),
		ID: fmt.Sprintf("%spr/%d/event/%d", idBase, c.ID, c.Seq), Updated: atomTime(c.Time),
		Link: atomLink{Rel: "alternate", Type: "text/html", Href: s.link(spec.self, pullPath(c.ID))}, Summary: summaryOf(c)}
	if c.From != "" {
		e.Author = &atomPerson{Name: c.From}
	}
	return e
}

func summaryOf(c Change) string {
	s := fmt.Sprintf("#%d (%s, <%s>) is %s", c.ID, c.From, c.MessageID, c.Kind)
	if c.Why != "" {
		s += ": " + c.Why
	}
	return s
}

// link is the link from the file at path from to the file at path to
// (both from the site's root): absolute when the site's URL is known,
// relative otherwise.
func (s *Site) link(from, to string) string {
	if s.siteURL != "" {
		return strings.TrimSuffix(s.siteURL, "/") + "/" + to
	}
	dir := path.Dir(from)
	if dir == "." {
		return to
	}
	if rel, ok := strings.CutPrefix(to, dir+"/"); ok {
		return rel
	}
	return strings.Repeat("../", strings.Count(dir, "/")+1) + to
}

// Paths of the pages from the site's root.
func pullPath(id uint64) string     { return fmt.Sprintf("pr/%d.html", id) }
func pullFeedPath(id uint64) string { return fmt.Sprintf("pr/%d.atom", id) }
func pullJSONPath(id uint64) string { return fmt.Sprintf("api/pr/%d.json", id) }

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
