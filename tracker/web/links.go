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

// safe returns raw when it is an http or https URL into the archive,
// the only URLs from mail made clickable; ok is false for any other,
// which the pages show as text.
func (a archive) safe(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != a.base.Scheme || u.Host != a.base.Host || u.User != nil {
		return "", false
	}
	if !strings.HasPrefix(u.Path, a.base.Path) {
		return "", false
	}
	return u.String(), true
}
