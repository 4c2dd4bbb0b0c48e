package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/templates"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// DraftConflicts drafts, for each side of each pair of pending pull
// requests in res that conflict, a reply in that pull request's thread
// naming the other one, the paths and each side's commits
// (volatile.conflictReply). Each conflict is drafted once: its Key
// (the other pull request and the paths) is in the history, so a
// rebuild that finds it again, or finds it again after it went away,
// drafts nothing. Pull requests that are settled or history, or that
// would not be answered at all (Options.silence), get no reply. The
// drafts wait in the outbox like every reply: "prtrack replies" sends
// them. Nothing is drafted without Options.Drafter.
func DraftConflicts(st *tracker.Store, res *volatile.Result, opts *Options) ([]*tracker.Draft, error) {
	if opts.Drafter == nil {
		return nil, nil
	}
	var out []*tracker.Draft
	err := st.Update(func(tx *tracker.Tx) error {
		for _, p := range res.Pairs {
			if p.Error != "" || len(p.Paths) == 0 {
				continue
			}
			for _, side := range [][2]uint64{{p.AID, p.BID}, {p.BID, p.AID}} {
				d, err := opts.Drafter.draftConflict(tx, side[0], side[1], p, opts)
				if err != nil {
					return err
				}
				if d != nil {
					out = append(out, d)
				}
			}
		}
		return nil
	})
	return out, err
}

// draftConflict drafts the reply to self about its conflict with other,
// or returns nil when none is due.
func (d *Drafter) draftConflict(tx *tracker.Tx, self, other uint64, p volatile.Pair, opts *Options) (*tracker.Draft, error) {
	rec, err := tx.PullRequest(self)
	if err != nil {
		return nil, err
	}
	now := opts.now()
	if rec.State.Settled() || opts.silence(rec, now) != "" {
		return nil, nil
	}
	with, err := tx.PullRequest(other)
	if err != nil {
		return nil, err
	}
	raw, err := tx.RawMessage(self)
	if err != nil {
		return nil, err
	}
	msg, err := mailparse.Parse(raw, nil)
	if err != nil {
		return nil, fmt.Errorf("re-reading the pull request mail: %w", err)
	}
	in := reply.Input{Message: msg, Pull: &rec.Pull, Verdict: reply.Accepted, Readiness: reply.Clean,
		Conflict: conflictOf(with, p, self, other)}
	said, err := conflictKeys(tx, self)
	if err != nil || said[reply.Key(&in)] {
		return nil, err
	}
	m, err := reply.Draft(in, d.Identity, now)
	if errors.Is(err, reply.ErrOptOut) || errors.Is(err, reply.ErrInvalid) {
		detail, _ := json.Marshal(noReplyDetail{Key: reply.Key(&in)})
		return nil, tx.AppendEvent(self, tracker.Event{Kind: EventNoReply, Summary: "no conflict reply drafted: " + err.Error(), Detail: detail})
	}
	if err != nil {
		return nil, err
	}
	dr := &tracker.Draft{PRID: self, Kind: m.Kind, MessageID: m.MessageID, Raw: m.Raw, Key: m.Key}
	if _, err := tx.AddDraft(dr); err != nil {
		return nil, err
	}
	return dr, nil
}

// conflictOf is what the reply to self says about its conflict with
// the pull request with.
func conflictOf(with *tracker.PullRequestRecord, p volatile.Pair, self, other uint64) *reply.Conflict {
	c := &reply.Conflict{With: with.Subject, WithAuthor: with.From.Name, WithMessageID: with.MessageID, Paths: p.Paths}
	if c.WithAuthor == "" {
		c.WithAuthor = with.From.Email
	}
	for _, s := range p.Sides {
		switch s.ID {
		case self:
			c.Commits = commitsOf(s)
		case other:
			c.WithCommits = commitsOf(s)
		}
	}
	return c
}

func commitsOf(s volatile.Side) []reply.Commit {
	var out []reply.Commit
	for _, c := range s.Commits {
		out = append(out, reply.Commit{SHA: c.SHA, Subject: c.Subject})
	}
	return out
}

// conflictKeys are the keys of the conflict replies drafted (sent,
// dropped or not) or declined for the pull request.
func conflictKeys(tx *tracker.Tx, prID uint64) (map[string]bool, error) {
	events, err := tx.Events(prID)
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	for _, ev := range events {
		var key string
		switch ev.Kind {
		case tracker.EventDraft:
			var d tracker.DraftEventDetail
			if json.Unmarshal(ev.Detail, &d) == nil {
				key = d.Key
			}
		case EventNoReply:
			var d noReplyDetail
			if json.Unmarshal(ev.Detail, &d) == nil {
				key = d.Key
			}
		}
		if isConflictKey(key) {
			keys[key] = true
		}
	}
	return keys, nil
}

// isConflictKey reports whether a reply key is a conflict reply's,
// which says nothing about the verdict.
func isConflictKey(key string) bool {
	return strings.HasPrefix(key, templates.KindConflict+" ")
}
