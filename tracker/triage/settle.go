package triage

import (
	"regexp"
	"strings"

	"github.com/prtrack/prtrack/tracker"
)

// Bots whose notices settle a pull request.
const (
	prTrackerBot = "pr-tracker-bot@kernel.org"
	patchworkBot = "patchwork-bot" // patchwork-bot+netdevbpf@kernel.org and kin
)

// Settlement is how a thread says a pull request ended.
type Settlement struct {
	State  tracker.State // merged, pulled or rejected
	Reply  string        // Message-ID of the reply that says so
	By     string        // its sender
	Commit string        // the merge commit, when the reply names it
	Line   string        // the line that says so
}

// Why is the one-line reason recorded with the state.
func (s *Settlement) Why() string {
	return s.By + ": " + s.Line + " <" + s.Reply + ">"
}

var (
	// mergedNotice is pr-tracker-bot's line.
	mergedNotice = regexp.MustCompile(`(?i)has been merged into torvalds/linux(\.git)?`)
	// commitLink is the merge commit link of the notice.
	commitLink = regexp.MustCompile(`/c/([0-9a-f]{40})\b`)
	// appliedNotice is patchwork-bot's "This pull request was applied
	// to netdev/net-next.git (main)".
	appliedNotice = regexp.MustCompile(`(?i)^this (pull request|series|patch) was applied to `)
	// pulledLine is a maintainer's acknowledgement, at the start of
	// what they wrote: "Pulled, thanks", "Thanks, pulled.", "Applied
	// to for-next", "Merged, thanks!", "I've ended up pulling this",
	// "Pulled into net-next, thanks.".
	pulledLine = regexp.MustCompile(`(?i)^(?:(?:thanks|thank you|ok|okay|great|perfect|indeed|done)[,.!]*\s+)?` +
		`(?:(?:i(?:'ve| have| am|'m)?|it's all|pr|pull request)\s+(?:now\s+|ended up\s+|just\s+)?)?` +
		`(?:pulled|applied|merged|pulling|taken)\b`)
	// refusalLine is a maintainer declining: "Please don't.", "So
	// anyway, I won't be pulling this.", "I'm not putting my name on
	// the merge".
	refusalLine = regexp.MustCompile(`(?i)^please (?:just )?don't\b|\bwon't be pulling\b|\bnot putting my name on\b`)
	// retraction takes a notice back: "Or not, looks like you didn't
	// adjust to Greg's changes", "the bot was just confused".
	retraction = regexp.MustCompile(`(?i)^or not\b|\bbot\b.*\b(confused|wrong|mistaken)\b`)
	// sentenceEnd splits a line into sentences.
	sentenceEnd = regexp.MustCompile(`[.!;]\s+`)
)

// Settle reads the thread of rec (replies ordered by date) and returns
// how it ended, or nil when it tells nothing. pr-tracker-bot's notice
// means merged; so does the upstream maintainer saying he pulled it.
// patchwork-bot's "applied" notice, and a maintainer's or an
// addressee's acknowledgement in direct reply to the pull request,
// mean pulled; their refusal ("Please don't.") means rejected. The
// latest word counts until one says merged; a retraction ("Or not,
// ...", "the bot was just confused") takes the last one back. Nobody
// else's words count, and the sender's own never do.
func (c *Config) Settle(rec *tracker.PullRequestRecord, replies []tracker.Reply) *Settlement {
	var best *Settlement
	for i := range replies {
		r := &replies[i]
		s := c.settlement(rec, r)
		switch {
		case s == nil:
			if best != nil && c.retracts(rec, r) {
				best = nil
			}
		case best == nil || best.State != tracker.StateMerged:
			best = s // the latest word counts, until it is merged
		}
	}
	return best
}

func (c *Config) settlement(rec *tracker.PullRequestRecord, r *tracker.Reply) *Settlement {
	from := strings.ToLower(r.From.Email)
	s := &Settlement{Reply: r.MessageID, By: r.From.Email, Commit: r.MergeCommit}
	switch {
	case from == prTrackerBot:
		line, ok := firstMatch(r.FirstLines, mergedNotice)
		if !ok && r.MergeCommit == "" {
			return nil
		}
		s.State, s.Line = tracker.StateMerged, line
		if s.Commit == "" {
			s.Commit = commitIn(r.FirstLines)
		}
		return s
	case strings.HasPrefix(from, patchworkBot):
		line, ok := firstMatch(r.FirstLines, appliedNotice)
		if !ok {
			return nil
		}
		s.State, s.Line = tracker.StatePulled, line
		return s
	}
	if sameAddr(from, rec.From.Email) || !c.canSettle(rec, from) || !answers(rec, r) {
		return nil
	}
	if line, ok := sentenceMatch(r.FirstLines, refusalLine); ok {
		s.State, s.Line = tracker.StateRejected, line
		return s
	}
	line, ok := sentenceMatch(r.FirstLines, pulledLine)
	if !ok {
		return nil
	}
	s.State, s.Line = tracker.StatePulled, line
	if c.IsUpstream(from) {
		s.State = tracker.StateMerged
	}
	return s
}

// canSettle reports whether addr may say a pull request was pulled:
// a subsystem maintainer, the upstream maintainer, or one of those the
// pull request asked to pull (its To).
func (c *Config) canSettle(rec *tracker.PullRequestRecord, addr string) bool {
	return c.IsMaintainer(addr) || c.IsUpstream(addr) || anyAddr(rec.To, func(a string) bool { return sameAddr(a, addr) })
}

// answers reports whether r answers the pull request itself (directly,
// or under its subject further down, as after a ping), not one of the
// patches of its thread.
func answers(rec *tracker.PullRequestRecord, r *tracker.Reply) bool {
	return r.InReplyTo == "" || r.InReplyTo == rec.MessageID ||
		rec.Subject != "" && NormalSubject(r.Subject) == NormalSubject(rec.Subject)
}

func (c *Config) retracts(rec *tracker.PullRequestRecord, r *tracker.Reply) bool {
	if !c.canSettle(rec, r.From.Email) && !sameAddr(r.From.Email, rec.From.Email) {
		return false
	}
	_, ok := sentenceMatch(r.FirstLines, retraction)
	return ok
}

// sentenceMatch finds a sentence of the lines written that re matches
// and returns its line; a question ("Applied?") is none.
func sentenceMatch(lines []string, re *regexp.Regexp) (string, bool) {
	for _, l := range lines {
		for _, sent := range sentenceEnd.Split(l, -1) {
			if re.MatchString(sent) && !strings.Contains(sent, "?") {
				return l, true
			}
		}
	}
	return "", false
}

func firstMatch(lines []string, re *regexp.Regexp) (string, bool) {
	for _, l := range lines {
		if re.MatchString(l) {
			return l, true
		}
	}
	return "", false
}

func commitIn(lines []string) string {
	for _, l := range lines {
		if m := commitLink.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}
