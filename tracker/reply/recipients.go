package reply

import (
	"strings"

	"github.com/prtrack/prtrack/mailparse"
)

// recipients returns To (the pull request's sender) and Cc (the list,
// then the pull request's Cc unless id says not to). Addresses come
// only from the pull request's header and id, never from its body.
// Duplicates, the sender and id's own address are left out of Cc.
func recipients(in *Input, id *Identity) (mailparse.Address, []mailparse.Address, error) {
	if !validAddr(id.From.Email) {
		return mailparse.Address{}, nil, invalidf("no usable From address %q in the identity", id.From.Email)
	}
	to := in.Message.From
	seen := map[string]bool{
		strings.ToLower(to.Email):      true,
		strings.ToLower(id.From.Email): true,
	}
	var cc []mailparse.Address
	add := func(a mailparse.Address) {
		key := strings.ToLower(a.Email)
		if validAddr(a.Email) && !seen[key] {
			seen[key] = true
			cc = append(cc, a)
		}
	}
	if id.List != "" {
		if !validAddr(id.List) {
			return mailparse.Address{}, nil, invalidf("no usable list address %q", id.List)
		}
		add(mailparse.Address{Email: id.List})
	}
	if !id.NoCopyCc {
		for _, a := range in.Message.Cc {
			add(a)
		}
	}
	limit := id.MaxRecipients
	if limit <= 0 {
		limit = DefaultMaxRecipients
	}
	if 1+len(cc) > limit {
		return mailparse.Address{}, nil, invalidf("%d recipients, more than %d", 1+len(cc), limit)
	}
	return to, cc, nil
}

// envelope lists the SMTP recipients: To then Cc.
func envelope(to mailparse.Address, cc []mailparse.Address) []string {
	out := []string{to.Email}
	for _, a := range cc {
		out = append(out, a.Email)
	}
	return out
}

// validAddr reports whether s looks like local@domain and can go in an
// SMTP command as it is.
func validAddr(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && len(s) <= 254 &&
		!strings.ContainsAny(domain, "@") &&
		!strings.ContainsFunc(s, func(r rune) bool {
			return r <= ' ' || r == '<' || r == '>' || r == 0x7f || r == ',' || r == ';'
		})
}
