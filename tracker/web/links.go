package web

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultArchive is where a Message-ID is looked up by default.
const DefaultArchive = "https://lore.kernel.org/r/"

// archive makes links to the list archive.
type archive struct{ base *url.URL }

func newArchive(base string) (archive, error) {
	if base == "" {
		base = DefaultArchive
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return archive{}, fmt.Errorf("web: archive %q: want an http or https URL", base)
	}
	return archive{base: u}, nil
}

// link is the archive's page of a Message-ID.
func (a archive) link(msgid string) string {
	return a.base.String() + url.PathEscape(strings.Trim(msgid, "<>"))
}
