package mailparse

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

func fillHeader(m *Message, h gomail.Header) []string {
	var problems []string
	note := func(field string, err error) {
		if err != nil {
			problems = append(problems, field+": "+err.Error())
		}
	}
	var err error
	m.MessageID, err = messageID(h)
	note("Message-ID", err)
	subj, err := h.Subject()
	note("Subject", err)
	m.Subject = validUTF8(strings.TrimSpace(subj))
	m.From, err = firstAddress(h, "From")
	note("From", err)
	m.To, err = addresses(h, "To")
	note("To", err)
	m.Cc, err = addresses(h, "Cc")
	note("Cc", err)
	m.DateRaw = strings.TrimSpace(h.Get("Date"))
	m.Date, err = parseDate(m.DateRaw)
	note("Date", err)
	m.InReplyTo = msgIDs(h, "In-Reply-To")
	m.References = msgIDs(h, "References")
	m.MergeCommit = hexID(h.Get("X-PR-Merge-Commit-Id"))
	return problems
}

func messageID(h gomail.Header) (string, error) {
	id, err := h.MessageID()
	if err == nil && id != "" {
		return validUTF8(id), nil
	}
	raw := strings.TrimSpace(h.Get("Message-Id"))
	if raw == "" {
		return "", nil
	}
	if ids := angleIDs([]byte(raw)); len(ids) > 0 {
		return ids[0], nil
	}
	if f := strings.Fields(raw); len(f) > 0 {
		return validUTF8(strings.Trim(f[0], "<>")), err
	}
	return "", err
}

// msgIDs parses In-Reply-To or References. Real values are often not
// RFC 5322 lists ("Message from Foo <a@b> of ..."), so on failure every
// <...> in the raw value is taken.
func msgIDs(h gomail.Header, key string) []string {
	ids, err := h.MsgIDList(key)
	if err == nil {
		for i := range ids {
			ids[i] = validUTF8(ids[i])
		}
		return ids
	}
	return angleIDs([]byte(h.Get(key)))
}

func firstAddress(h gomail.Header, key string) (Address, error) {
	list, err := addresses(h, key)
	if len(list) == 0 {
		return Address{}, err
	}
	return list[0], err
}

func addresses(h gomail.Header, key string) ([]Address, error) {
	raw := h.Get(key)
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	list, err := h.AddressList(key)
	if err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: validUTF8(a.Name), Email: validUTF8(a.Address)})
		}
		return out, nil
	}
	return looseAddresses(validUTF8(raw)), err
}

var looseAddr = regexp.MustCompile(`(?:"?([^",<]*?)"?\s*)?<([^<>\s]+@[^<>\s]+)>|([^\s,<>"]+@[^\s,<>"]+)`)

// looseAddresses salvages addresses from a header that does not parse.
func looseAddresses(raw string) []Address {
	var out []Address
	for _, m := range looseAddr.FindAllStringSubmatch(raw, -1) {
		if m[2] != "" {
			out = append(out, Address{Name: strings.TrimSpace(m[1]), Email: m[2]})
		} else {
			out = append(out, Address{Email: m[3]})
		}
	}
	return out
}

var extraDateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon Jan 2 15:04:05 2006 -0700",
	time.RFC3339,
}

// parseDate parses a Date header, tolerating common deviations. It
// returns the zero time and an error when nothing fits.
func parseDate(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := mail.ParseDate(v)
	if err == nil {
		return t, nil
	}
	for _, layout := range extraDateLayouts {
		if t, lerr := time.Parse(layout, v); lerr == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// hexID returns v when it is a 40-hex commit id (lower-cased), else "".
func hexID(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if len(v) != 40 || strings.Trim(v, "0123456789abcdef") != "" {
		return ""
	}
	return v
}
