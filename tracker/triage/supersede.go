package triage

import (
	"regexp"
	"slices"
	"strings"

	"github.com/prtrack/prtrack/tracker"
)

var (
	// subjectNoise is what differs between versions of one pull
	// request's subject: reply and version markers, dates, brackets.
	subjectPrefix  = regexp.MustCompile(`(?i)^\s*((re|fwd?)\s*:\s*)+`)
	subjectVersion = regexp.MustCompile(`(?i)\b(v|version\s*)\d+\b|\bresend\b|\brepost\b`)
	subjectDate    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b|\b\d+/\d+\b`) // and patch counters, "00/14"
	subjectPunct   = regexp.MustCompile(`[\[\]():,]+`)
	subjectSpace   = regexp.MustCompile(`\s+`)
)

// NormalSubject is a subject with version markers, dates and
// punctuation removed and case folded: what stays the same between the
// versions of one pull request.
func NormalSubject(s string) string {
	s = subjectPrefix.ReplaceAllString(s, "")
	s = subjectVersion.ReplaceAllString(s, " ")
	s = subjectDate.ReplaceAllString(s, " ")
	s = subjectPunct.ReplaceAllString(s, " ")
	return strings.TrimSpace(subjectSpace.ReplaceAllString(strings.ToLower(s), " "))
}

// Supersedes reports whether newer replaces older: it was sent later
// in the same role, and either answers older's mail (a re-send, by
// anyone), or comes from the same person for the same work with a
// later version (v2 of the same subject, or of the same repository and
// ref). Same subject alone is not enough: the maintainers' weekly
// "Please pull rdma.git" and mlx5-next's dated pulls repeat it for new
// work each time.
func Supersedes(older, newer *tracker.PullRequestRecord) bool {
	if older.ID == newer.ID || older.Role != newer.Role {
		return false
	}
	if !SentAt(older).Before(SentAt(newer)) && !(SentAt(older).Equal(SentAt(newer)) && older.ID < newer.ID) {
		return false
	}
	if slices.Contains(newer.Parents, older.MessageID) {
		return true
	}
	if !samePerson(older, newer) || !laterVersion(older, newer) {
		return false
	}
	sameRepo := older.Pull.URL == newer.Pull.URL && older.Pull.Ref == newer.Pull.Ref
	return sameRepo || NormalSubject(older.Subject) == NormalSubject(newer.Subject)
}

// laterVersion reports whether newer says it is a later version of
// older: a higher revision, or an explicit one ("[GIT PULL v1]", a
// re-send numbered when the first was not) where older had none.
func laterVersion(older, newer *tracker.PullRequestRecord) bool {
	if newer.Pull.Version != older.Pull.Version {
		return newer.Pull.Version > older.Pull.Version
	}
	return explicitVersion.MatchString(newer.Subject) && !explicitVersion.MatchString(older.Subject)
}

var explicitVersion = regexp.MustCompile(`(?i)\bv\d+\b|\bresend\b`)

// samePerson compares senders by address, or by name: the same people
// write from several addresses (saeedm@mellanox.com, saeedm@nvidia.com,
// saeed@kernel.org).
func samePerson(a, b *tracker.PullRequestRecord) bool {
	return sameAddr(a.From.Email, b.From.Email) ||
		a.From.Name != "" && strings.EqualFold(strings.TrimSpace(a.From.Name), strings.TrimSpace(b.From.Name))
}
