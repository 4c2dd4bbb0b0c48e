package maintainers

import (
	"fmt"
	"regexp"
	"strings"
)

// Pattern is one F:, X: or N: pattern.
type Pattern struct {
	Raw  string // as written
	Line int
	// Dir is true for a pattern ending in "/" (or marked by MarkDirs):
	// it covers the directory recursively.
	Dir bool

	re      *regexp.Regexp
	prefix  string // literal start of an F: or X: pattern, checked first
	regex   bool   // N:, matched anywhere and ranked 0
	slashes int
}

// regexMeta are the characters of a glob that get_maintainer.pl leaves
// with their regular-expression meaning, plus "*" and "?".
const regexMeta = `*?[](){}+|^$\`

// newGlob compiles an F: or X: pattern as get_maintainer.pl does.
func newGlob(raw string, line int) (Pattern, error) {
	p := Pattern{Raw: raw, Line: line, Dir: strings.HasSuffix(raw, "/"), slashes: strings.Count(raw, "/"), prefix: raw}
	if i := strings.IndexAny(raw, regexMeta); i >= 0 {
		p.prefix = raw[:i]
	}
	r := strings.NewReplacer(".", `\.`, "*", ".*", "?", ".")
	re, err := regexp.Compile("^" + r.Replace(raw))
	if err != nil {
		return p, fmt.Errorf("bad pattern %q: %w", raw, err)
	}
	p.re = re
	return p, nil
}

// newRegex compiles an N: pattern, a Perl regular expression matched
// with the /x flag.
func newRegex(raw string, line int) (Pattern, error) {
	re, err := regexp.Compile(stripExtended(raw))
	if err != nil {
		return Pattern{}, fmt.Errorf("bad regex %q: %w", raw, err)
	}
	return Pattern{Raw: raw, Line: line, re: re, regex: true}, nil
}

// stripExtended removes what Perl's /x flag ignores: unescaped
// whitespace outside character classes, and "#" comments.
func stripExtended(s string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			c = s[i]
			if c != ' ' && c != '\t' { // RE2 has no escaped space
				b.WriteByte('\\')
			}
		case inClass && c == ']':
			inClass = false
		case inClass:
		case c == '[':
			inClass = true
		case c == ' ' || c == '\t':
			continue
		case c == '#':
			return b.String()
		}
		b.WriteByte(c)
	}
	return b.String()
}

// match reports whether the pattern matches path.
func (p *Pattern) match(path string) bool {
	if !strings.HasPrefix(path, p.prefix) || !p.re.MatchString(path) {
		return false
	}
	return p.regex || p.Dir || strings.Count(path, "/") == p.slashes
}

// depth ranks a match as get_maintainer.pl does: the pattern's slashes,
// one more for a pattern that is not a directory, -1 for a pattern
// starting with "*", 0 for N:.
func (p *Pattern) depth() int {
	switch {
	case p.regex:
		return 0
	case strings.HasPrefix(p.Raw, "*"):
		return -1
	case p.Dir:
		return p.slashes
	}
	return p.slashes + 1
}

// markDir makes a pattern naming a directory cover it recursively.
func (p *Pattern) markDir() {
	if p.Dir {
		return
	}
	n, _ := newGlob(p.Raw+"/", p.Line)
	n.Raw = p.Raw
	*p = n
}
