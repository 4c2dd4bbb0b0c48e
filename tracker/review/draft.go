package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
)

// Drafter drafts verdict replies as the maintainer's identity.
type Drafter struct {
	Identity reply.Identity
	// CommitURL links a mainline commit in "merged" replies: "%s" is
	// replaced by the commit id (pr-tracker-bot's
	// "https://git.kernel.org/torvalds/c/%s"); empty for no link.
	CommitURL string
}

func (d *Drafter) mergeURL(commit string) string {
	if d.CommitURL == "" || commit == "" {
		return ""
	}
	return strings.ReplaceAll(d.CommitURL, "%s", commit)
}

// EventNoReply records that a reply was due but none was drafted.
const EventNoReply = "no-reply"

// noReplyDetail is the payload of a no-reply event.
type noReplyDetail struct {
	Key string `json:"key"`
}

// draftIfDue drafts a reply when what prtrack says about the pull
// request changed since its last reply (or since it last declined to
// reply).
func (d *Drafter) draftIfDue(tx *tracker.Tx, rec *tracker.PullRequestRecord, o *Outcome, now time.Time) error {
	raw, err := tx.RawMessage(rec.ID)
	if err != nil {
		return err
	}
	msg, err := mailparse.Parse(raw, nil)
	if err != nil {
		return fmt.Errorf("re-reading the pull request mail: %w", err)
	}
	if why := quietReason(o); why != "" {
		o.NoReply = why
		return nil
	}
	in := d.inputFor(msg, &rec.Pull, o)
	prev, err := lastKey(tx, rec.ID)
	if err != nil || !reply.Due(prev, &in) {
		return err
	}
	m, err := reply.Draft(in, d.Identity, now)
	if errors.Is(err, reply.ErrOptOut) || errors.Is(err, reply.ErrInvalid) {
		o.NoReply = err.Error()
		detail, _ := json.Marshal(noReplyDetail{Key: reply.Key(&in)})
		return tx.AppendEvent(rec.ID, tracker.Event{Kind: EventNoReply, Summary: "no reply drafted: " + err.Error(), Detail: detail})
	}
	if err != nil {
		return err
	}
	dr := &tracker.Draft{PRID: rec.ID, Kind: m.Kind, MessageID: m.MessageID, Raw: m.Raw, Key: m.Key}
	if _, err := tx.AddDraft(dr); err != nil {
		return err
	}
	o.Draft = dr
	return nil
}

// quietReason says why a check gets no reply at all, or "". The author
// hears about a failed fetch only before the first real verdict (a
// passing network failure must not send "could not check" and then
// "accepted" again), and never about prtrack's own trouble (trees not
// fetched yet, the walk limit), which is not theirs to fix. A deleted
// pull request gets no reply either.
func quietReason(o *Outcome) string {
	v := o.Verdict
	switch {
	case o.State == tracker.StateDeleted:
		return "the pull request was removed from the archive"
	case v.Status != gitcheck.Unchecked:
		return ""
	case !hasFinding(v, gitcheck.CodeFetchFailed):
		return "not checked on prtrack's side: " + v.Reason
	case o.Previous != tracker.StateNew:
		return "fetch failed after an earlier verdict; not telling the author about a passing failure"
	}
	return ""
}

func hasFinding(v *gitcheck.Verdict, code gitcheck.Code) bool {
	for _, f := range v.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// lastKey is the key of the newest reply drafted or declined for the
// pull request, read from its history. A later state change of an
// older draft (sending it, say) does not count; dropped drafts do, so a
// dropped reply is not drafted again until the verdict changes.
func lastKey(tx *tracker.Tx, prID uint64) (string, error) {
	events, err := tx.Events(prID)
	if err != nil {
		return "", err
	}
	var key string
	var newest uint64
	for _, ev := range events {
		switch ev.Kind {
		case tracker.EventDraft:
			var d tracker.DraftEventDetail
			if json.Unmarshal(ev.Detail, &d) == nil && d.Draft > newest {
				newest, key = d.Draft, d.Key
			}
		case EventNoReply:
			var d noReplyDetail
			if json.Unmarshal(ev.Detail, &d) == nil {
				key = d.Key
			}
		}
	}
	return key, nil
}

// inputFor turns a verdict into what the reply templates need.
func (d *Drafter) inputFor(msg *mailparse.Message, pull *mailparse.PullRequest, o *Outcome) reply.Input {
	v := o.Verdict
	in := reply.Input{Message: msg, Pull: pull, Verdict: reply.Verdict(v.Status)}
	if m := v.Merged; m != nil {
		in.Readiness = reply.Clean
		in.Merge = &reply.Merge{Tree: m.Tree, Commit: m.Commit, URL: d.mergeURL(m.Commit)}
		return in
	}
	switch v.Status {
	case gitcheck.Unchecked:
		in.Problem = problemOf(v)
	case gitcheck.Rejected:
		if p := fetchProblem(v); p != nil {
			// Nothing was reviewed: say what to fix to get a review.
			in.Verdict, in.Problem = reply.Unchecked, p
			return in
		}
		for _, f := range v.Findings {
			if f.Severity == gitcheck.Error {
				in.Findings = append(in.Findings, reply.Finding{Code: string(f.Code), Severity: string(f.Severity),
					Commit: f.Commit, Subject: f.Subject, Paths: f.Paths, Message: f.Message})
			}
		}
	case gitcheck.Accepted:
		in.Readiness = reply.Clean
		if v.Readiness != nil && v.Readiness.State == gitcheck.Waiting {
			in.Readiness = reply.Waiting
			for _, w := range v.Readiness.Waiting {
				in.Waiting = append(in.Waiting, reply.Tree{Name: w.Tree, Commits: w.Commits})
			}
		}
		if t := o.Target; t != nil && t.Late {
			in.Late = &reply.Late{CutOff: t.CutOff, Missed: t.Missed.String(), Target: t.Window.String()}
		}
	}
	return in
}

// problemOf explains an unchecked verdict with the finding that
// stopped the check, if any.
func problemOf(v *gitcheck.Verdict) *reply.Problem {
	p := &reply.Problem{Code: "fetch-failed", Detail: v.Reason}
	for _, f := range v.Findings {
		switch f.Code {
		case gitcheck.CodeFetchFailed, gitcheck.CodeRefMissing, gitcheck.CodeTipMismatch, gitcheck.CodeURLRefused:
			p.Code, p.Detail = string(f.Code), f.Message
			return p
		}
	}
	return p
}

// fetchProblem returns the problem of a rejection that happened before
// any commit was looked at (the URL refused, the ref missing), or nil.
func fetchProblem(v *gitcheck.Verdict) *reply.Problem {
	var p *reply.Problem
	for _, f := range v.Findings {
		if f.Severity != gitcheck.Error {
			continue
		}
		if f.Code != gitcheck.CodeRefMissing && f.Code != gitcheck.CodeURLRefused {
			return nil
		}
		if p == nil {
			p = &reply.Problem{Code: string(f.Code), Detail: f.Message}
		}
	}
	return p
}
