package reply

import (
	"regexp"
	"strings"
)

// replyPrefixes matches the reply markers mail clients put in front of
// a subject, in any case and repeated: "Re:", "RE:", "Re[2]:", "AW:"
// (German), "SV:" (Nordic), "Antw:" (Dutch), "Odp:" (Polish).
var replyPrefixes = regexp.MustCompile(`^(?i:\s*(?:re|aw|sv|antw|odp)(?:\[\d+\])?\s*:)+\s*`)

// stripReplyPrefixes returns the subject without reply markers, its
// folding whitespace collapsed.
func stripReplyPrefixes(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return replyPrefixes.ReplaceAllString(s, "")
}

// replySubject returns "Re: " and the original subject, never
// "Re: Re:".
func replySubject(s string) string {
	s = oneLine(stripReplyPrefixes(s))
	if s == "" {
		return "Re: your pull request"
	}
	return "Re: " + s
}
