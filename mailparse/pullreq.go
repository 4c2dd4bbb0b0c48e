package mailparse

import (
	"regexp"
	"strings"
)

// Extract finds the first unquoted git request-pull block in the decoded
// text of m and returns what it says, or nil when there is none. The
// subject only adds hints (version, targets); detection keys on the
// body. Extract is a pure function.
func Extract(m *Message) *PullRequest {
	pr := ExtractText(m.Body)
	if pr == nil {
		return nil
	}
	pr.Version = SubjectVersion(m.Subject)
	pr.Targets = SubjectTargets(m.Subject)
	return pr
}

// ExtractText is Extract over a decoded body alone: Version is 1 and
// Targets empty.
func ExtractText(body string) *PullRequest {
	lines := splitLines(body)
	for i := range lines {
		if !availableLine.MatchString(lines[i]) {
			continue
		}
		if pr := parseBlock(lines, i); pr != nil {
			pr.NoAck = noAck.MatchString(body)
			return pr
		}
	}
	return nil
}

var (
	// The anchor line; it must not be quoted ("> are available ...").
	availableLine = regexp.MustCompile(`^\s{0,4}are available in the [Gg]it repository at:?\s*$`)
	sinceLine     = regexp.MustCompile(`^\s{0,4}The following changes since commit\b`)
	fetchLine     = regexp.MustCompile(`^\s{0,4}for you to fetch changes up to\b`)
	separatorLine = regexp.MustCompile(`^-{20,}\s*$`)
	noAck         = regexp.MustCompile(`(?m)\b(?:prtrack|pr-tracker)-no-ack\b`)
	hexRun        = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	subjectDate   = regexp.MustCompile(`^(.*?)\s*\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4})\)\s*$`)
	oldBaseAuthor = regexp.MustCompile(`^\s+\S.* \(1\):\s*$`)
)

// splitLines splits text into lines with trailing white space removed.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ") // no-break spaces from HTML-minded clients
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return lines
}

// parseBlock parses the block around the anchor at lines[at].
func parseBlock(lines []string, at int) *PullRequest {
	start := findSince(lines, at)
	if start < 0 {
		return nil
	}
	base, next := commitAfter(lines, start, sinceLine)
	if base == "" {
		return nil
	}
	pr := &PullRequest{Base: base, Version: 1}
	parseBaseSubject(pr, lines[next:at])
	url, ref, after := parseURL(lines, at+1)
	if url == "" {
		return nil
	}
	pr.URL, pr.Ref = url, ref
	rest := parseTip(pr, lines, after)
	parseTail(pr, lines[rest:])
	return pr
}

// findSince looks back from the anchor for the "The following changes
// since commit" line, which must be close by and unquoted.
func findSince(lines []string, at int) int {
	for i := at - 1; i >= 0 && i >= at-12; i-- {
		if sinceLine.MatchString(lines[i]) {
			return i
		}
	}
	return -1
}

// commitAfter reads the 40-hex commit that follows the phrase matched by
// re on lines[i], allowing a mail client to have wrapped or split it over
// the next lines. It returns the commit and the index of the line after
// the one holding its closing colon.
func commitAfter(lines []string, i int, re *regexp.Regexp) (string, int) {
	text := re.ReplaceAllString(lines[i], "")
	var b strings.Builder
	for j := i; j < len(lines) && j < i+4; j++ {
		if j > i {
			text = lines[j]
		}
		colon := strings.IndexByte(text, ':')
		if colon >= 0 {
			text = text[:colon]
		}
		b.WriteString(strings.Join(strings.Fields(text), ""))
		if colon >= 0 {
			if c := b.String(); hexRun.MatchString(c) {
				return strings.ToLower(c), j + 1
			}
			return "", j + 1
		}
		if b.Len() > 40 {
			return "", j + 1
		}
	}
	return "", i + 1
}

// parseBaseSubject reads "  subject (date)" between the base commit and
// the anchor, or the one-entry shortlog of the pre-1.7.9 format.
func parseBaseSubject(pr *PullRequest, lines []string) {
	text := nonBlank(lines)
	if len(text) == 0 {
		return
	}
	if oldBaseAuthor.MatchString(text[0]) && len(text) > 1 {
		pr.OldFormat = true
		pr.BaseSubject = strings.TrimSpace(text[1])
		return
	}
	pr.BaseSubject, pr.BaseDate = subjectAndDate(text)
}

func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// subjectAndDate joins the lines of a wrapped "subject (date)" entry.
func subjectAndDate(lines []string) (string, string) {
	joined := ""
	for i, l := range lines {
		if i > 2 {
			break
		}
		l = strings.TrimSpace(l)
		// A wrap inside the date ("(2019-" + "04-30 ...") joins without
		// a space; a wrap between words joins with one.
		for _, sep := range []string{"", " "} {
			if m := subjectDate.FindStringSubmatch(joined + sep + l); m != nil {
				return m[1], m[2]
			}
		}
		joined = strings.TrimSpace(joined + " " + l)
	}
	return strings.TrimSpace(lines[0]), ""
}
