package reply

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/templates"
)

// DefaultMaxRecipients bounds To and Cc together when
// Identity.MaxRecipients is zero (real pull requests reach 60).
const DefaultMaxRecipients = 100

// Identity says who replies and to whom the replies are copied.
type Identity struct {
	From mailparse.Address // required
	// List is the list address put in Cc; empty for none.
	List string
	// NoCopyCc leaves the pull request's own Cc out of the reply.
	NoCopyCc bool
	// Domain is the right-hand side of generated Message-IDs; empty
	// means the domain of From.
	Domain string
	// MaxRecipients refuses replies to more addresses than this (a
	// hostile Cc list); zero means DefaultMaxRecipients.
	MaxRecipients int
	// Templates drafts the bodies; nil means the built-in ones.
	Templates *templates.Set
}

// Draft builds the reply to in.Message, sent as id at now. A pull
// request that opts out gets an *OptOutError (matching ErrOptOut);
// unusable input an error matching ErrInvalid.
func Draft(in Input, id Identity, now time.Time) (*Mail, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if kw := optOut(&in); kw != "" {
		return nil, &OptOutError{Keyword: kw}
	}
	body, err := renderBody(&in, &id)
	if err != nil {
		return nil, err
	}
	m, h, err := buildHeader(&in, &id, now)
	if err != nil {
		return nil, err
	}
	if m.Raw, err = writeMessage(h, body); err != nil {
		return nil, err
	}
	return m, nil
}

var noAck = regexp.MustCompile(`\b(?:prtrack|pr-tracker)-no-ack\b`)

// optOut returns the opt-out keyword the pull request uses, or "".
func optOut(in *Input) string {
	if kw := noAck.FindString(in.Message.Body); kw != "" {
		return kw
	}
	if in.Pull.NoAck {
		return "prtrack-no-ack"
	}
	return ""
}

// renderBody executes the template for in and lays the text out.
func renderBody(in *Input, id *Identity) ([]byte, error) {
	set := id.Templates
	if set == nil {
		var err error
		if set, err = builtinSet(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := set.Execute(&buf, in.Kind(), templateData(in, id)); err != nil {
		return nil, fmt.Errorf("reply: %w", err)
	}
	text := layout(buf.String())
	for line := range strings.SplitSeq(text, "\n") {
		if len(line) > maxLineBytes {
			return nil, invalidf("body line of %d bytes", len(line))
		}
	}
	return []byte(strings.ReplaceAll(text, "\n", "\r\n")), nil
}

// maxLineBytes is the longest line SMTP carries (RFC 5321 4.5.3.1.6).
const maxLineBytes = 998

// writeMessage writes the header and the 8-bit plain text body.
func writeMessage(h mail.Header, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return nil, fmt.Errorf("reply: write message: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return nil, fmt.Errorf("reply: write message: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("reply: write message: %w", err)
	}
	return buf.Bytes(), nil
}
