package web

import (
	"net/url"
	"regexp"
	"slices"

	"github.com/prtrack/prtrack/tracker"
)

// Facet is one value of a filter the front page links to: a merge
// window, role, state or driver present in the data.
type Facet struct {
	Key, Value string
	Count      int
}

// facetKeys are the filters with a page each in a static export;
// senders and searches are left to the live server.
var facetKeys = []string{"window", "role", "state", "driver"}

// safeName is what a value must look like to become a file name.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// facets lists the values of each key present among rows, in order:
// windows soonest first, roles and states in their order, drivers by
// name. Values that cannot be file names are left out.
func facets(rows []*Row) []Facet {
	count := map[[2]string]int{}
	for _, r := range rows {
		for _, kv := range [][2]string{{"window", windowOf(r)}, {"role", string(r.Role)}, {"state", string(r.State)}, {"driver", r.Driver}} {
			if safeName.MatchString(kv[1]) {
				count[kv]++
			}
		}
	}
	var out []Facet
	for kv, n := range count {
		out = append(out, Facet{Key: kv[0], Value: kv[1], Count: n})
	}
	slices.SortFunc(out, compareFacets)
	return out
}

func compareFacets(a, b Facet) int {
	if a.Key != b.Key {
		return slices.Index(facetKeys, a.Key) - slices.Index(facetKeys, b.Key)
	}
	switch a.Key {
	case "window":
		return compareWindows(a.Value, b.Value)
	case "role":
		return slices.Index(tracker.Roles, tracker.Role(a.Value)) - slices.Index(tracker.Roles, tracker.Role(b.Value))
	case "state":
		return slices.Index(stateOrder, tracker.State(a.Value)) - slices.Index(stateOrder, tracker.State(b.Value))
	}
	if a.Value < b.Value {
		return -1
	}
	return 1
}

// Filter is the filter selecting the facet's pull requests.
func (f Facet) Filter() Filter {
	return ParseFilter(url.Values{f.Key: {f.Value}})
}

// facetPath is the facet's page in a static export, from the root.
func facetPath(f Facet) string { return "by/" + f.Key + "-" + f.Value + ".html" }

// facetLink is the link to the facet from the front page: a query
// live, a file in an export.
func facetLink(f Facet, live bool, root string) string {
	if live {
		return "?" + url.Values{f.Key: {f.Value}}.Encode()
	}
	return root + facetPath(f)
}
