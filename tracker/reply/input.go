package reply

import (
	"slices"
	"strings"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/templates"
)

// Verdict is the checker's verdict on a pull request.
type Verdict string

// Verdicts.
const (
	Accepted  Verdict = "accepted"
	Rejected  Verdict = "rejected"
	Unchecked Verdict = "unchecked"
)

// Readiness says whether an accepted pull request can go to Linus now.
type Readiness string

// Readiness states.
const (
	Clean   Readiness = "clean"   // every shared commit is in Linus's tree
	Waiting Readiness = "waiting" // some are only in other trees
)

// The details a reply can report; see package templates.
type (
	Finding  = templates.Finding
	Tree     = templates.Tree
	Late     = templates.Late
	Problem  = templates.Problem
	Merge    = templates.Merge
	Conflict = templates.Conflict
	Commit   = templates.Commit
)

// Input is what a reply is drafted from: the pull request as read from
// the list and what is known about it.
type Input struct {
	Message *mailparse.Message     // the pull request mail
	Pull    *mailparse.PullRequest // its request-pull block

	Verdict   Verdict
	Rules     string    // the rules it was judged by (templates.Data.Rules)
	Readiness Readiness // for accepted pull requests
	Findings  []Finding // for rejected ones
	Notes     []Finding // warnings on accepted ones
	Waiting   []Tree    // for waiting ones: the trees and counts
	Late      *Late     // set when it arrived after the rc6 cut-off
	Problem   *Problem  // for unchecked ones: why
	Merge     *Merge    // set once it has been merged
	// Conflict, when set, makes the reply the volatile for-next's
	// notice of a conflict with another pending pull request.
	Conflict *Conflict
}

// Kind returns the template the reply uses: conflict, merged,
// unchecked, rejected, late, waiting or accepted, first match in that
// order.
func (in *Input) Kind() string {
	switch {
	case in.Conflict != nil:
		return templates.KindConflict
	case in.Merge != nil:
		return templates.KindMerged
	case in.Verdict == Unchecked:
		return templates.KindUnchecked
	case in.Verdict == Rejected:
		return templates.KindRejected
	case in.Late != nil:
		return templates.KindLate
	case in.Readiness == Waiting:
		return templates.KindWaiting
	}
	return templates.KindAccepted
}

// Key sums up what a reply would say: the kind, verdict, readiness,
// tip and trees waited on; for a conflict, the other pull request and
// the paths. A new reply is due when it changes.
func Key(in *Input) string {
	if c := in.Conflict; c != nil {
		paths := slices.Sorted(slices.Values(c.Paths))
		return strings.Join([]string{templates.KindConflict, c.WithMessageID, strings.Join(paths, ",")}, " ")
	}
	parts := []string{in.Kind(), string(in.Verdict), string(in.Readiness)}
	if in.Pull != nil {
		parts = append(parts, in.Pull.Tip)
	}
	var trees []string
	for _, t := range in.Waiting {
		trees = append(trees, t.Name)
	}
	slices.Sort(trees)
	parts = append(parts, strings.Join(trees, ","))
	if in.Merge != nil {
		parts = append(parts, in.Merge.Commit)
	}
	return strings.Join(parts, " ")
}

// Due reports whether a reply should be drafted for in, given the Key
// of the last reply drafted for the same pull request ("" for none).
// Runs that find nothing new draft nothing.
func Due(previousKey string, in *Input) bool {
	return Key(in) != previousKey
}

func (in *Input) validate() error {
	switch in.Verdict {
	case Accepted, Rejected, Unchecked:
	default:
		return invalidf("unknown verdict %q", in.Verdict)
	}
	switch {
	case in.Message == nil || in.Pull == nil:
		return invalidf("no pull request mail")
	case in.Message.Synthetic || !validMsgID(in.Message.MessageID):
		return invalidf("pull request has no usable Message-ID to reply to")
	case !validAddr(in.Message.From.Email):
		return invalidf("pull request has no usable From address")
	case in.Verdict == Unchecked && in.Problem == nil:
		return invalidf("unchecked verdict without a problem")
	}
	return nil
}
