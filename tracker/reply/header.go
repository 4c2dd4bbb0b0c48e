package reply

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/prtrack/prtrack/mailparse"
)

// maxReferences bounds the References of a reply: the first and the
// most recent ones are kept, as RFC 5322 section 3.6.4 allows.
const maxReferences = 20

// Header fields that let other tools recognise prtrack's replies, in
// the spirit of pr-tracker-bot's X-PR-Tracked-*.
const (
	HeaderVerdict          = "X-Prtrack-Verdict"
	HeaderKind             = "X-Prtrack-Kind"
	HeaderTrackedMessageID = "X-Prtrack-Tracked-Message-Id"
	HeaderTrackedRemote    = "X-Prtrack-Tracked-Remote"
	HeaderTrackedCommitID  = "X-Prtrack-Tracked-Commit-Id"
	HeaderMergeTree        = "X-Prtrack-Merge-Tree"
	HeaderMergeCommitID    = "X-Prtrack-Merge-Commit-Id"
)

// buildHeader returns the reply's header and the Mail describing it,
// without its Raw bytes.
func buildHeader(in *Input, id *Identity, now time.Time) (*Mail, mail.Header, error) {
	to, cc, err := recipients(in, id)
	if err != nil {
		return nil, mail.Header{}, err
	}
	mid, err := messageID(in, id, now)
	if err != nil {
		return nil, mail.Header{}, err
	}
	orig := in.Message.MessageID
	var h mail.Header
	h.SetAddressList("From", []*mail.Address{mailAddr(id.From)})
	h.SetAddressList("To", []*mail.Address{mailAddr(to)})
	if len(cc) > 0 {
		h.SetAddressList("Cc", addrList(cc))
	}
	h.SetSubject(replySubject(in.Message.Subject))
	h.SetDate(now)
	h.SetMessageID(mid)
	h.SetMsgIDList("In-Reply-To", []string{orig})
	h.SetMsgIDList("References", references(in.Message.References, orig))
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "8bit")
	h.Set("Auto-Submitted", "auto-generated")
	h.Set("MIME-Version", "1.0")
	setTracking(&h, in)
	m := &Mail{
		MessageID: mid,
		InReplyTo: orig,
		Kind:      in.Kind(),
		Key:       Key(in),
		From:      id.From.Email,
		Rcpt:      envelope(to, cc),
	}
	return m, ordered(h), nil
}

// fieldOrder is the order header fields are written in.
var fieldOrder = []string{
	"From", "To", "Cc", "Subject", "Date", "Message-Id", "In-Reply-To",
	"References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
	"Auto-Submitted", HeaderVerdict, HeaderKind, HeaderTrackedMessageID,
	HeaderTrackedRemote, HeaderTrackedCommitID, HeaderMergeTree,
	HeaderMergeCommitID,
}

// ordered returns h with its fields in fieldOrder. go-message writes
// fields in the reverse of the order they were added.
func ordered(h mail.Header) mail.Header {
	var out mail.Header
	for i := len(fieldOrder) - 1; i >= 0; i-- {
		if k := fieldOrder[i]; h.Has(k) {
			out.Set(k, h.Get(k))
		}
	}
	return out
}

// setTracking adds the X-Prtrack-* fields.
func setTracking(h *mail.Header, in *Input) {
	h.SetText(HeaderVerdict, string(in.Verdict))
	h.SetText(HeaderKind, in.Kind())
	h.Set(HeaderTrackedMessageID, "<"+in.Message.MessageID+">")
	h.SetText(HeaderTrackedRemote, remote(in.Pull.URL, in.Pull.Ref))
	if tip := oneLine(in.Pull.Tip); tip != "" {
		h.SetText(HeaderTrackedCommitID, tip)
	}
	if in.Merge != nil {
		h.SetText(HeaderMergeTree, oneLine(in.Merge.Tree))
		h.SetText(HeaderMergeCommitID, oneLine(in.Merge.Commit))
	}
}

// references is the original's References plus its Message-ID, with
// invalid or repeated IDs dropped and the list bounded.
func references(refs []string, orig string) []string {
	var out []string
	seen := map[string]bool{orig: true}
	for _, r := range refs {
		if validMsgID(r) && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	if len(out) > maxReferences-1 {
		out = append(out[:1], out[len(out)-(maxReferences-2):]...)
	}
	return append(out, orig)
}

// messageID returns a new Message-ID under id's domain. It is derived
// from the pull request, the reply's key and now, so the same draft
// made at the same instant gets the same ID.
func messageID(in *Input, id *Identity, now time.Time) (string, error) {
	domain := id.Domain
	if domain == "" {
		_, domain, _ = strings.Cut(id.From.Email, "@")
	}
	if domain == "" || strings.ContainsAny(domain, "@<> \t\r\n") {
		return "", invalidf("no usable Message-ID domain %q", domain)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d", in.Message.MessageID, Key(in), now.UnixNano()))
	return fmt.Sprintf("prtrack.%s.%x@%s", now.UTC().Format("20060102150405"), sum[:8], domain), nil
}

// validMsgID reports whether id can be written as <id> in a header.
func validMsgID(id string) bool {
	return id != "" && len(id) <= maxLineBytes/2 && !strings.ContainsFunc(id, func(r rune) bool {
		return r <= ' ' || r == '<' || r == '>' || r == 0x7f
	})
}

func mailAddr(a mailparse.Address) *mail.Address {
	return &mail.Address{Name: oneLine(a.Name), Address: a.Email}
}

func addrList(as []mailparse.Address) []*mail.Address {
	out := make([]*mail.Address, len(as))
	for i, a := range as {
		out[i] = mailAddr(a)
	}
	return out
}
