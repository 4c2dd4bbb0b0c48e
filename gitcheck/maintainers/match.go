package maintainers

import (
	"slices"
	"strings"
)

// Match is a section covering a path, with the rank get_maintainer.pl
// gives it: the depth of its last matching pattern (slashes, one more
// for a file pattern, 0 for N:, -1 for patterns starting with "*", such
// as THE REST's).
type Match struct {
	Section *Section
	Depth   int
}

// Sections returns the sections covering path, most specific first.
func (f *File) Sections(path string) []*Section {
	m := f.Matches(path)
	out := make([]*Section, len(m))
	for i := range m {
		out[i] = m[i].Section
	}
	return out
}

// Matches returns the sections covering path with their ranks, highest
// first; ties keep the order of the file.
func (f *File) Matches(path string) []Match {
	path = cleanPath(path)
	var out []Match
	for _, s := range f.Entries {
		if d, ok := s.covers(path); ok {
			out = append(out, Match{Section: s, Depth: d})
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int { return b.Depth - a.Depth })
	return out
}

// covers reports whether the section covers path, and the rank of the
// last matching F: or N: pattern.
func (s *Section) covers(path string) (int, bool) {
	for i := range s.Excludes {
		if s.Excludes[i].match(path) {
			return 0, false
		}
	}
	line, depth := 0, 0
	for _, l := range [][]Pattern{s.Files, s.Regexes} {
		for i := range l {
			if l[i].Line > line && l[i].match(path) {
				line, depth = l[i].Line, l[i].depth()
			}
		}
	}
	return depth, line > 0
}

// cleanPath makes a path relative to the top of the tree.
func cleanPath(p string) string {
	for {
		switch {
		case strings.HasPrefix(p, "./"):
			p = p[2:]
		case strings.HasPrefix(p, "/"):
			p = p[1:]
		default:
			return p
		}
	}
}

// MarkDirs makes every F: and X: pattern that names a directory (as
// isDir says, given the pattern) cover it recursively, as if it ended
// in "/": get_maintainer.pl does this for the names that are
// directories in the work tree. Only patterns without ".", "*", "?" or
// "[" are asked about, as only those can name a directory there.
func (f *File) MarkDirs(isDir func(name string) bool) {
	for _, s := range f.Entries {
		for _, l := range [][]Pattern{s.Files, s.Excludes} {
			for i := range l {
				p := &l[i]
				if !p.Dir && !strings.ContainsAny(p.Raw, ".*?[") && isDir(p.Raw) {
					p.markDir()
				}
			}
		}
	}
}
