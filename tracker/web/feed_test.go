package web

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"
)

// parsedFeed is what the tests read back of an Atom feed.
type parsedFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Entries []struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func parseFeed(t *testing.T, body string) parsedFeed {
	t.Helper()
	var f parsedFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, body)
	}
	return f
}

func TestSiteFeedHasTheStateChanges(t *testing.T) {
	_, srv := newTestSite(t, nil)
	f := parseFeed(t, getOK(t, srv, "/feed.atom"))
	var got []string
	for _, e := range f.Entries {
		id, kind, _ := strings.Cut(strings.TrimPrefix(e.Title, "#"), " ")
		kind, _, _ = strings.Cut(kind, ":")
		got = append(got, id+" "+kind)
		if e.Link.Href != "pr/"+id+".html" {
			t.Errorf("entry %q links to %q", e.Title, e.Link.Href)
		}
	}
	slices.Sort(got)
	want := []string{"1 clean", "1 new", "2 new", "2 rejected", "3 new", "4 new", "5 merged", "5 new",
		"6 new", "6 superseded", "7 clean", "7 new", "8 new"}
	if !slices.Equal(got, want) {
		t.Errorf("entries %v\nwant %v", got, want)
	}
	if f.Updated != f.Entries[0].Updated || f.ID == "" {
		t.Errorf("feed updated %s, newest entry %s, id %q", f.Updated, f.Entries[0].Updated, f.ID)
	}
	ids := map[string]bool{}
	for _, e := range f.Entries {
		if ids[e.ID] {
			t.Errorf("entry id %s twice", e.ID)
		}
		ids[e.ID] = true
	}
}

func TestPullFeed(t *testing.T) {
	_, srv := newTestSite(t, &Options{SiteURL: "https://rdma.example.org/status/"})
	f := parseFeed(t, getOK(t, srv, "/pr/6.atom"))
	if len(f.Entries) != 2 || !strings.HasPrefix(f.Entries[0].Title, "#6 superseded") || !strings.HasPrefix(f.Entries[1].Title, "#6 new") {
		t.Fatalf("entries %+v", f.Entries)
	}
	if got := f.Entries[0].Link.Href; got != "https://rdma.example.org/status/pr/6.html" {
		t.Errorf("link %q", got)
	}
}
