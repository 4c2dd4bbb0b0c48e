package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/reply"
	"github.com/prtrack/prtrack/tracker/triage"
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
func (d *Drafter) draftIfDue(tx *tracker.Tx, rec *tracker.PullRequestRecord, o *Outcome, opts *Options) error {
	now := opts.now()
	if why := opts.silence(rec, now); why != "" {
		o.NoReply = why
		return nil
	}
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

// silence says why a pull request gets no reply whatever its verdict,
// or "": only incoming pull requests sent after the horizon, in mail at
// most MaxAge old, are answered.
func (o *Options) silence(rec *tracker.PullRequestRecord, now time.Time) string {
	sent := triage.SentAt(rec)
	switch {
	case rec.Role != tracker.RoleIncoming:
		return fmt.Sprintf("not an incoming pull request (role %s): never answered", roleName(rec.Role))
	case !o.Horizon.Known:
		return "history: the current cycle is not known yet (Linus's tags not fetched, no track.since)"
	case o.Horizon.History(rec):
		return fmt.Sprintf("history: sent %s, before the horizon %s", sent.Format(time.DateOnly), o.Horizon.Since.Format(time.DateOnly))
	case now.Sub(sent) > o.maxAge():
		return fmt.Sprintf("the mail is %d days old, older than reply.maxAge (%s)", int(now.Sub(sent).Hours()/24), o.maxAge())
	}
	return ""
}

func roleName(r tracker.Role) string {
	if r == "" {
		return "not classified"
	}
	return string(r)
}

// quietReason says why a check gets no reply at all, or "". The author
// hears about a failed fetch only before the first real verdict (a
// passing network failure must not send "could not check" and then
// "accepted" again), only when the server answered something they can
// fix (no such repository, a password wanted, the ref missing), and
// never about prtrack's own trouble (trees not fetched yet, the walk
// limit, no network, a host missing from the allow-list), which is not
// theirs to fix. A settled pull request gets no reply either.
func quietReason(o *Outcome) string {
	v := o.Verdict
	switch {
	case o.State == tracker.StateDeleted:
		return "the pull request was removed from the archive"
	case o.State.Settled() && v.Merged == nil:
		return "the pull request is " + string(o.State)
	case o.Previous == tracker.StatePulled && o.State != tracker.StateMerged:
		return "already pulled by the maintainer: the next reply is when it is in Linus's tree"
	case hasFinding(v, gitcheck.CodeURLRefused):
		return "the URL is not one prtrack fetches (scheme or host not allowed): for the maintainer to look at"
	case v.Status != gitcheck.Unchecked && fetchProblem(v) == nil:
		return ""
	case v.Status == gitcheck.Unchecked && !hasFinding(v, gitcheck.CodeFetchFailed):
		return "not checked on prtrack's side: " + v.Reason
	case v.Status == gitcheck.Unchecked && !v.Failure.SendersProblem():
		return "no answer from the server (" + string(v.Failure) + "): tried again later, nobody told"
	case o.Previous != tracker.StateNew:
		return "could not check after an earlier attempt; not telling the author twice"
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

// lastKey is the key of the newest verdict reply drafted or declined
// for the pull request, read from its history (conflict replies do not
// count: they say nothing about the verdict). A later state change of an
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
			if json.Unmarshal(ev.Detail, &d) == nil && d.Draft > newest && !isConflictKey(d.Key) {
				newest, key = d.Draft, d.Key
			}
		case EventNoReply:
			var d noReplyDetail
			if json.Unmarshal(ev.Detail, &d) == nil && !isConflictKey(d.Key) {
				key = d.Key
			}
		}
	}
	return key, nil
}

// senderNotes are the warnings an accepted pull request's sender hears
// about: who maintains what it touches, and its tag's signature. Other
// warnings (a diffstat that disagrees) are for the maintainer only.
var senderNotes = []gitcheck.Code{gitcheck.CodeSenderNotMaintainer, gitcheck.CodeSignature}

func notesFor(v *gitcheck.Verdict, profile string, pull *mailparse.PullRequest) []reply.Finding {
	var out []reply.Finding
	for _, f := range v.Findings {
		if f.Severity == gitcheck.Warning && slices.Contains(senderNotes, f.Code) {
			out = append(out, reply.Finding{Code: string(f.Code), Severity: string(f.Severity), Commit: f.Commit,
				Subject: f.Subject, Paths: f.Paths, Message: f.Message, Advice: adviceFor(f, profile, pull)})
		}
	}
	return out
}

// inputFor turns a verdict into what the reply templates need.
func (d *Drafter) inputFor(msg *mailparse.Message, pull *mailparse.PullRequest, o *Outcome) reply.Input {
	v := o.Verdict
	in := reply.Input{Message: msg, Pull: pull, Verdict: reply.Verdict(v.Status), Rules: rulesOf(o.Profile)}
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
					Commit: f.Commit, Subject: f.Subject, Paths: f.Paths, Message: f.Message, Advice: adviceFor(f, o.Profile, pull)})
			}
		}
	case gitcheck.Accepted:
		in.Notes = notesFor(v, o.Profile, pull)
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

// problemOf explains an unchecked verdict in words for the sender:
// never prtrack's internal error text.
func problemOf(v *gitcheck.Verdict) *reply.Problem {
	p := &reply.Problem{Code: string(gitcheck.CodeFetchFailed)}
	switch v.Failure {
	case gitcheck.FailureNotFound:
		p.Detail = "the server says there is no such repository."
	case gitcheck.FailureAuth:
		p.Detail = "the server asks for a password: the repository is not public."
	case gitcheck.FailureTooLarge:
		p.Detail = "fetching it sent far more data than a pull request needs."
	default:
		p.Detail = "the repository could not be fetched."
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
			p = &reply.Problem{Code: string(f.Code), Detail: plainProblem(f.Code)}
		}
	}
	return p
}

// plainProblem says what went wrong in the sender's terms.
func plainProblem(code gitcheck.Code) string {
	if code == gitcheck.CodeRefMissing {
		return "the repository does not have the ref the mail names."
	}
	return "prtrack does not fetch from that address."
}
