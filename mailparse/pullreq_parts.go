package mailparse

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	scpLike      = regexp.MustCompile(`^(?:[\w.+-]+@)?[\w.-]+:[^\s]+$`)
	shortlogHead = regexp.MustCompile(`^(\S.*?) \((\d+)\):$`)
	diffstatFile = regexp.MustCompile(`^\s+(\S.*?)\s+\|\s+(\d+) ?(\+*)(-*)$`)
	diffstatBin  = regexp.MustCompile(`^\s+(\S.*?)\s+\|\s+Bin\b`)
	wrappedGraph = regexp.MustCompile(`^\+*-+$|^\++$`)
	diffstatSum  = regexp.MustCompile(`^\s*(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?`)
)

// looksLikeURL accepts what git accepts as a repository location:
// scheme://..., scp-style [user@]host:path, or a path.
func looksLikeURL(s string) bool {
	return strings.Contains(s, "://") || scpLike.MatchString(s) || strings.HasPrefix(s, "/")
}

// parseURL reads "  <url> [<ref>]" starting at lines[from], undoing a
// backslash continuation or a mail client's wrap of the ref. It returns
// the url, the ref and the index of the first line after them.
func parseURL(lines []string, from int) (url, ref string, next int) {
	i := skipBlank(lines, from, 3)
	if i >= len(lines) || fetchLine.MatchString(lines[i]) {
		return "", "", i
	}
	parts := strings.Fields(lines[i])
	i++
	if n := len(parts); n > 0 && strings.HasSuffix(parts[n-1], `\`) {
		parts[n-1] = strings.TrimSuffix(parts[n-1], `\`)
		if parts[n-1] == "" {
			parts = parts[:n-1]
		}
		if j := skipBlank(lines, i, 1); j < len(lines) {
			parts = append(parts, strings.Fields(lines[j])...)
			i = j + 1
		}
	} else if i < len(lines) && continuesURL(lines[i]) {
		parts = joinWrapped(parts, strings.Fields(lines[i]))
		i++
	}
	if len(parts) == 0 || !looksLikeURL(parts[0]) {
		return "", "", i
	}
	if len(parts) > 1 {
		ref = parts[1]
	}
	return parts[0], ref, i
}

// continuesURL reports whether a line right after the URL line carries
// the rest of a wrapped URL or ref.
func continuesURL(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && !fetchLine.MatchString(line) && !separatorLine.MatchString(t) &&
		!shortlogHead.MatchString(t) && len(strings.Fields(t)) <= 2
}

// joinWrapped joins the fields of a URL line with those of the line a
// mail client wrapped onto. A lone URL is followed by its ref (or the
// rest of the URL and the ref); a URL and a partial ref continue the ref.
func joinWrapped(first, next []string) []string {
	switch {
	case len(first) == 1 && len(next) == 2:
		return []string{first[0] + next[0], next[1]}
	case len(first) == 1 && len(next) == 1:
		if strings.HasSuffix(first[0], "/") && !looksLikeURL(next[0]) && strings.HasSuffix(next[0], ".git") {
			return []string{first[0] + next[0]}
		}
		return []string{first[0], next[0]}
	case len(first) == 2 && len(next) == 1:
		return []string{first[0], first[1] + next[0]}
	}
	return first
}

func skipBlank(lines []string, i, max int) int {
	for n := 0; i < len(lines) && n <= max && strings.TrimSpace(lines[i]) == ""; n++ {
		i++
	}
	return i
}

// parseTip reads the "for you to fetch changes up to <tip>:" part. The
// pre-1.7.9 format has none. It returns the index where the rest starts.
func parseTip(pr *PullRequest, lines []string, from int) int {
	i := skipBlank(lines, from, 3)
	if i >= len(lines) || !fetchLine.MatchString(lines[i]) {
		pr.OldFormat = true
		return i
	}
	tip, next := commitAfter(lines, i, fetchLine)
	pr.Tip = tip
	i = skipBlank(lines, next, 2)
	j := i
	for j < len(lines) && strings.TrimSpace(lines[j]) != "" && !separatorLine.MatchString(lines[j]) {
		j++
	}
	if j > i {
		pr.TipSubject, pr.TipDate = subjectAndDate(lines[i:j])
	}
	return j
}

// parseTail reads the tag message, shortlog, diffstat and any patch.
func parseTail(pr *PullRequest, lines []string) {
	i := skipBlank(lines, 0, 2)
	if i < len(lines) && separatorLine.MatchString(lines[i]) {
		i++
		if end := nextSeparator(lines, i); end >= 0 {
			pr.TagMessage = strings.TrimSpace(strings.Join(lines[i:end], "\n"))
			i = end + 1
		}
	}
	i = parseShortlog(pr, lines, i)
	i = parseDiffstat(pr, lines, i)
	for ; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "diff --git ") {
			pr.HasPatch = true
			return
		}
	}
}

// nextSeparator finds the separator closing a tag message, which comes
// before any shortlog or diffstat.
func nextSeparator(lines []string, from int) int {
	for i := from; i < len(lines); i++ {
		switch {
		case separatorLine.MatchString(lines[i]):
			return i
		case diffstatSum.MatchString(lines[i]), strings.HasPrefix(lines[i], "diff --git "):
			return -1
		}
	}
	return -1
}

func parseShortlog(pr *PullRequest, lines []string, i int) int {
	var cur *ShortlogEntry
	for ; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			cur = nil
		case shortlogHead.MatchString(l):
			m := shortlogHead.FindStringSubmatch(l)
			n, _ := strconv.Atoi(m[2])
			pr.Shortlog = append(pr.Shortlog, ShortlogEntry{Author: m[1], Count: n})
			cur = &pr.Shortlog[len(pr.Shortlog)-1]
		case cur != nil && strings.HasPrefix(l, " ") && !isDiffstatLine(l):
			cur.Subjects = append(cur.Subjects, t)
		case len(pr.Shortlog) == 0 && !isDiffstatLine(l):
			// Text before the shortlog (a cover note) is skipped.
		default:
			return i
		}
	}
	return i
}

func isDiffstatLine(l string) bool {
	return diffstatFile.MatchString(l) || diffstatBin.MatchString(l) || diffstatSum.MatchString(l)
}

func parseDiffstat(pr *PullRequest, lines []string, i int) int {
	i = skipBlank(lines, i, 2)
	for ; i < len(lines); i++ {
		l := lines[i]
		if n := len(pr.Diffstat.Files); n > 0 && wrappedGraph.MatchString(l) {
			// A mail client wrapped a long +/- graph onto this line.
			pr.Diffstat.Files[n-1].Plus += strings.Count(l, "+")
			pr.Diffstat.Files[n-1].Minus += strings.Count(l, "-")
			continue
		}
		if m := diffstatFile.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[2])
			pr.Diffstat.Files = append(pr.Diffstat.Files, DiffstatFile{Path: m[1], Changes: n, Plus: len(m[3]), Minus: len(m[4])})
			continue
		}
		if m := diffstatBin.FindStringSubmatch(l); m != nil {
			pr.Diffstat.Files = append(pr.Diffstat.Files, DiffstatFile{Path: m[1], Binary: true})
			continue
		}
		if m := diffstatSum.FindStringSubmatch(l); m != nil {
			pr.Diffstat.Summary = strings.TrimSpace(l)
			pr.Diffstat.FilesChanged, _ = strconv.Atoi(m[1])
			pr.Diffstat.Insertions, _ = strconv.Atoi(m[2])
			pr.Diffstat.Deletions, _ = strconv.Atoi(m[3])
			return i + 1
		}
		if len(pr.Diffstat.Files) > 0 || strings.TrimSpace(l) != "" {
			return i
		}
	}
	return i
}
