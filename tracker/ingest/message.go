package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply/outbox"
)

// message records one item. Problems with the message itself become
// skips; only store failures are returned.
func (r *run) message(tx *tracker.Tx, it *source.Item) error {
	q := mailparse.QuickScan(it.Raw)
	var parsed *mailparse.Message
	if q.MessageID == "" || q.HeaderBytes > r.maxHeader() {
		m, err := mailparse.Parse(it.Raw, r.opts.Parse)
		if err != nil {
			r.skip(it, q.MessageID, err.Error())
			return nil
		}
		parsed, q.MessageID = m, m.MessageID
	}
	if len(q.MessageID) > tracker.MaxKeyLen {
		r.skip(it, q.MessageID[:64]+"...", "Message-ID longer than the store accepts")
		return nil
	}
	if it.Deleted {
		return r.deletion(tx, it, q.MessageID)
	}
	hash := contentHash(it.Raw)
	if seen, ok := tx.Seen(q.MessageID); ok {
		if seen.Hash != hash {
			r.skip(it, q.MessageID, fmt.Sprintf("duplicate Message-ID with different content (first seen at %s)", seen.Where))
			return nil
		}
		r.delta.Duplicates++
		return nil
	}
	return r.newMessage(tx, it, q, parsed, hash)
}

func (r *run) newMessage(tx *tracker.Tx, it *source.Item, q mailparse.Quick, m *mailparse.Message, hash string) error {
	thread := r.threadOf(tx, q.Parents)
	var err error
	if m == nil && (q.Candidate || thread != 0) {
		if m, err = mailparse.Parse(it.Raw, r.opts.Parse); err != nil {
			r.skip(it, q.MessageID, err.Error())
			return nil
		}
	}
	info := tracker.SeenInfo{Hash: hash, SourceKey: r.key, Where: it.Where, PRID: thread}
	var pr *mailparse.PullRequest
	if m != nil && q.Candidate {
		pr = mailparse.Extract(m)
	}
	switch {
	case pr != nil:
		id, err := r.addPullRequest(tx, it, m, pr, q.Parents)
		if err != nil {
			return err
		}
		info.PRID = id
	case thread != 0:
		if err := r.attachReply(tx, thread, m); err != nil {
			return err
		}
	}
	if err := r.markDelivered(tx, q.MessageID); err != nil {
		return err
	}
	r.delta.New++
	return tx.MarkSeen(q.MessageID, info)
}

// threadOf returns the tracked pull request the message answers, if
// any: its In-Reply-To first, then the References from the newest.
func (r *run) threadOf(tx *tracker.Tx, parents []string) uint64 {
	for _, p := range parents {
		if id, ok := tx.ThreadOf(p); ok {
			return id
		}
	}
	return 0
}

func (r *run) addPullRequest(tx *tracker.Tx, it *source.Item, m *mailparse.Message, pr *mailparse.PullRequest, parents []string) (uint64, error) {
	rec := &tracker.PullRequestRecord{
		MessageID: m.MessageID, Subject: m.Subject, From: m.From, To: m.To, Cc: m.Cc,
		Date: m.Date, SourceKey: r.key, Where: it.Where, Pull: *pr, Parents: parents,
	}
	id, err := tx.AddPullRequest(rec, it.Raw)
	if err != nil {
		return 0, err
	}
	r.delta.PullRequests++
	r.delta.NewPRs = append(r.delta.NewPRs, id)
	return id, nil
}

func (r *run) attachReply(tx *tracker.Tx, prID uint64, m *mailparse.Message) error {
	reply := tracker.Reply{
		MessageID: m.MessageID, From: m.From, Date: m.Date, Subject: m.Subject,
		FirstLines: tracker.FirstLines(m.Body, tracker.MaxReplyLines), MergeCommit: m.MergeCommit,
	}
	if len(m.InReplyTo) > 0 {
		reply.InReplyTo = m.InReplyTo[0]
	}
	err := tx.AttachReply(prID, reply)
	if errors.Is(err, tracker.ErrExists) {
		return nil
	}
	if err == nil {
		r.delta.Replies++
	}
	return err
}

// markDelivered notes that a reply prtrack drafted reached the list.
func (r *run) markDelivered(tx *tracker.Tx, messageID string) error {
	changed, err := outbox.MarkDelivered(tx, messageID)
	if changed {
		r.delta.Delivered++
	}
	return err
}

// deletion records that the archive removed a message: a tracked pull
// request is marked deleted, never erased.
func (r *run) deletion(tx *tracker.Tx, it *source.Item, messageID string) error {
	id, ok := tx.PullRequestByMessageID(messageID)
	if !ok {
		return nil
	}
	r.delta.Deleted++
	if err := tx.AppendEvent(id, tracker.Event{Kind: tracker.EventDeleted, Summary: "removed from the archive at " + it.Where}); err != nil {
		return err
	}
	rec, err := tx.PullRequest(id)
	if err != nil || rec.State == tracker.StateMerged {
		return err // a merged pull request stays merged; the event says the rest
	}
	return tx.SetState(id, tracker.StateDeleted)
}

func (r *run) maxHeader() int {
	if r.opts.Parse != nil && r.opts.Parse.MaxHeaderBytes > 0 {
		return int(r.opts.Parse.MaxHeaderBytes)
	}
	return mailparse.DefaultMaxHeaderBytes
}

func (r *run) skip(it *source.Item, messageID, reason string) {
	r.delta.Skipped = append(r.delta.Skipped, Skip{Where: it.Where, MessageID: messageID, Reason: reason})
}

// contentHash identifies a message's content across sources: the body
// with line endings normalised, since archives and IMAP servers add or
// rewrite header fields of the same message.
func contentHash(raw []byte) string {
	body := raw
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		body = raw[i+2:]
	} else if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		body = raw[i+4:]
	}
	body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	body = bytes.TrimRight(body, "\n")
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
