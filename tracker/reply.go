package tracker

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prtrack/prtrack/mailparse"
)

// MaxReplyLines bounds Reply.FirstLines, and maxReplyLineLen each line.
const (
	MaxReplyLines   = 10
	maxReplyLineLen = 200
)

// Reply is a message in the thread of a pull request.
type Reply struct {
	MessageID string            `json:"message_id"`
	InReplyTo string            `json:"in_reply_to,omitempty"`
	From      mailparse.Address `json:"from"`
	Date      time.Time         `json:"date"` // zero when missing
	Subject   string            `json:"subject"`
	// FirstLines are the first lines the author wrote, quotes left
	// out (see FirstLines).
	FirstLines []string `json:"first_lines,omitempty"`
	// MergeCommit is the merge a pr-tracker-bot notice announces
	// (its X-PR-Merge-Commit-Id header).
	MergeCommit string `json:"merge_commit,omitempty"`
}

// AttachReply records r in the thread of pull request prID, so that
// ThreadOf finds the pull request from r.MessageID, and appends a
// "reply" event. FirstLines is cut to MaxReplyLines. A Message-ID
// already in a thread gives ErrExists.
func (t *Tx) AttachReply(prID uint64, r Reply) error {
	if err := t.writable("attach reply"); err != nil {
		return err
	}
	if err := checkKey("message-id", r.MessageID); err != nil {
		return err
	}
	if t.bucket(bucketPRs).Get(u64Key(prID)) == nil {
		return fmt.Errorf("tracker: attach reply: pull request %d: %w", prID, ErrNotFound)
	}
	if _, ok := t.ThreadOf(r.MessageID); ok {
		return fmt.Errorf("tracker: message %s: %w", r.MessageID, ErrExists)
	}
	r.Date = r.Date.UTC()
	r.FirstLines = limitLines(r.FirstLines)
	replies := t.bucket(bucketReplies)
	seq, err := replies.NextSequence()
	if err != nil {
		return wrap("attach reply", err)
	}
	if err := putJSON(replies, pairKey(prID, seq), r); err != nil {
		return wrap("attach reply", err)
	}
	if err := t.bucket(bucketThread).Put([]byte(r.MessageID), u64Key(prID)); err != nil {
		return wrap("attach reply", err)
	}
	summary := fmt.Sprintf("%s: %s", r.From, r.Subject)
	return t.AppendEvent(prID, Event{Kind: EventReply, Summary: summary})
}

func limitLines(lines []string) []string {
	if len(lines) > MaxReplyLines {
		lines = lines[:MaxReplyLines]
	}
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, oneLine(l, maxReplyLineLen))
	}
	return out
}

// Replies returns the replies to pull request prID ordered by Date;
// replies with the same Date keep the order they arrived in, and those
// without a Date come last.
func (t *Tx) Replies(prID uint64) ([]Reply, error) {
	var rs []Reply
	err := forEachOf(t.bucket(bucketReplies), prID, func(v []byte) error {
		var r Reply
		if err := json.Unmarshal(v, &r); err != nil {
			return wrap(fmt.Sprintf("reply to pull request %d", prID), err)
		}
		rs = append(rs, r)
		return nil
	})
	slices.SortStableFunc(rs, compareReplyDates)
	return rs, err
}

func compareReplyDates(a, b Reply) int {
	switch {
	case a.Date.IsZero() || b.Date.IsZero():
		return boolCmp(a.Date.IsZero(), b.Date.IsZero())
	default:
		return a.Date.Compare(b.Date)
	}
}

// boolCmp orders false before true.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// FirstLines returns up to max lines of a reply body that its author
// wrote: blank lines, quoted lines ("> ...") and the attribution line
// introducing a quote ("On ..., X wrote:") are skipped, and the
// signature ("-- ") ends the text.
func FirstLines(body string, max int) []string {
	lines := strings.Split(body, "\n")
	var out []string
	for i := 0; i < len(lines) && len(out) < max; i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if l == "--" {
			break
		}
		s := strings.TrimSpace(l)
		if s == "" || strings.HasPrefix(s, ">") || isAttribution(s, lines[i+1:]) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// isAttribution reports whether line introduces a quote: it ends in
// "wrote:" and the next non-blank line is quoted.
func isAttribution(line string, rest []string) bool {
	if !strings.HasSuffix(line, "wrote:") {
		return false
	}
	for _, l := range rest {
		if s := strings.TrimSpace(l); s != "" {
			return strings.HasPrefix(s, ">")
		}
	}
	return false
}
