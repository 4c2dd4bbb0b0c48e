package mailparse

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	subjectVersion = regexp.MustCompile(`(?i)(?:^|[\s\[\(,])v(\d{1,3})(?:$|[\s\]\),:])`)
	subjectTarget  = regexp.MustCompile(`(?i)(?:^|[^\w-])(net-next|rdma-next|for-next|for-rc|fixes)(?:$|[^\w-])`)
)

// SubjectVersion returns the revision a subject names ("v2", "V2",
// "[GIT PULL v3]", "(v2)"), or 1 when it names none. "v6.2-rc1" is a
// kernel version, not a revision.
func SubjectVersion(subject string) int {
	m := subjectVersion.FindStringSubmatch(subject)
	if m == nil {
		return 1
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// SubjectTargets returns the tree hints in a subject, lower-cased and
// without duplicates, in the order they appear.
func SubjectTargets(subject string) []string {
	var out []string
	seen := map[string]bool{}
	// Matches may share a delimiter ("net-next,rdma-next"), so scan
	// from each match's end minus one.
	for s := subject; ; {
		loc := subjectTarget.FindStringSubmatchIndex(s)
		if loc == nil {
			return out
		}
		t := strings.ToLower(s[loc[2]:loc[3]])
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
		s = s[loc[3]:]
	}
}
