package maintainers

import (
	"mime"
	"net/mail"
	"strings"
)

var addressParser = mail.AddressParser{WordDecoder: &mime.WordDecoder{}}

// parsePerson reads an M:, R: or L: value: an RFC 5322 mailbox with
// quoted or encoded names where net/mail accepts it, otherwise the
// "Name <address>" shape MAINTAINERS uses, otherwise the first word
// with an "@" in it.
func parsePerson(v string) Person {
	p := Person{Raw: v}
	if a, err := addressParser.Parse(v); err == nil {
		p.Name, p.Email = a.Name, a.Address
		return p
	}
	if open := strings.LastIndexByte(v, '<'); open >= 0 {
		if end := strings.IndexByte(v[open:], '>'); end > 0 {
			p.Email = strings.TrimSpace(v[open+1 : open+end])
			p.Name = strings.Trim(strings.TrimSpace(v[:open]), `"`)
			return p
		}
	}
	for _, w := range strings.Fields(v) {
		if strings.Contains(w, "@") {
			p.Email = strings.Trim(w, "<>(),")
			return p
		}
	}
	p.Name = v
	return p
}
