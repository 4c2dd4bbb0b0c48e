package reply

import (
	"bytes"
	"fmt"

	"github.com/emersion/go-message/mail"
)

// Mail is a drafted reply, ready to send.
type Mail struct {
	MessageID string // without angle brackets
	InReplyTo string // the pull request's Message-ID
	Kind      string // the template used: accepted, rejected, ...
	Key       string // see Key; empty for a Mail read back by ParseMail
	From      string // envelope sender
	Rcpt      []string
	Raw       []byte // the RFC 5322 message, CRLF line ends
}

// ParseMail reads back a Mail from its Raw bytes (as a store keeps
// them): Message-ID, In-Reply-To, kind, sender and recipients come
// from the header.
func ParseMail(raw []byte) (*Mail, error) {
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("reply: parse draft: %w", err)
	}
	h := r.Header
	m := &Mail{Raw: raw, Kind: h.Get(HeaderKind)}
	if m.MessageID, err = h.MessageID(); err != nil || m.MessageID == "" {
		return nil, fmt.Errorf("reply: parse draft: no Message-ID")
	}
	if irt, err := h.MsgIDList("In-Reply-To"); err == nil && len(irt) > 0 {
		m.InReplyTo = irt[0]
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 {
		return nil, fmt.Errorf("reply: parse draft %s: want one From address", m.MessageID)
	}
	m.From = from[0].Address
	for _, key := range []string{"To", "Cc"} {
		as, err := h.AddressList(key)
		if err != nil {
			return nil, fmt.Errorf("reply: parse draft %s: %s: %w", m.MessageID, key, err)
		}
		for _, a := range as {
			m.Rcpt = append(m.Rcpt, a.Address)
		}
	}
	if len(m.Rcpt) == 0 {
		return nil, fmt.Errorf("reply: parse draft %s: no recipients", m.MessageID)
	}
	return m, nil
}
