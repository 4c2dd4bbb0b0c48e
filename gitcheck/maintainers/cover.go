package maintainers

// CoverOptions configures Cover; the zero value counts only M:.
type CoverOptions struct {
	// Reviewers counts an R: of a section as maintaining it.
	Reviewers bool
}

// Coverage is one section covering some of the paths, and what the
// sender is in it.
type Coverage struct {
	Section *Section
	Paths   []string
	Role    Role
}

// PathCover is one path, the sections covering it (most specific
// first) and whether the sender maintains one of them.
type PathCover struct {
	Path       string
	Matches    []Match
	Maintained bool
}

// Report says who maintains a set of paths.
type Report struct {
	// Sections are every section covering one of the paths, in the
	// order they first appear in Paths' matches.
	Sections []Coverage
	Paths    []PathCover
}

// Cover finds the sections covering paths and says, for each, whether
// the sender (an address) is its maintainer. A path is maintained by
// the sender when one of its sections is.
func (f *File) Cover(paths []string, sender string, opts *CoverOptions) *Report {
	if opts == nil {
		opts = &CoverOptions{}
	}
	r := &Report{}
	at := map[*Section]int{}
	for _, p := range paths {
		pc := PathCover{Path: p, Matches: f.Matches(p)}
		for _, m := range pc.Matches {
			i, ok := at[m.Section]
			if !ok {
				i = len(r.Sections)
				at[m.Section] = i
				r.Sections = append(r.Sections, Coverage{Section: m.Section, Role: m.Section.RoleOf(sender)})
			}
			c := &r.Sections[i]
			c.Paths = append(c.Paths, p)
			if opts.counts(c.Role) {
				pc.Maintained = true
			}
		}
		r.Paths = append(r.Paths, pc)
	}
	return r
}

func (o *CoverOptions) counts(r Role) bool {
	return r == Maintainer || r == Reviewer && o.Reviewers
}

// Unmaintained returns the paths the sender maintains none of the
// sections of.
func (r *Report) Unmaintained() []PathCover {
	var out []PathCover
	for _, p := range r.Paths {
		if !p.Maintained {
			out = append(out, p)
		}
	}
	return out
}

// Responsible returns whom to ask about the path: the sections of its
// matches that are not catch-alls (Depth >= 0, unlike THE REST), or
// every section when only catch-alls cover it.
func (p *PathCover) Responsible() []*Section {
	var out, all []*Section
	for _, m := range p.Matches {
		all = append(all, m.Section)
		if m.Depth >= 0 {
			out = append(out, m.Section)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}
