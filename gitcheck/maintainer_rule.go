package gitcheck

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/prtrack/prtrack/gitcheck/maintainers"
)

// CodeSenderNotMaintainer: the sender is not an M: (or, with
// Config.ReviewerMaintains, an R:) of any MAINTAINERS section covering
// some path the own commits touch.
const CodeSenderNotMaintainer Code = "sender-not-maintainer"

// SectionPeople is a MAINTAINERS section a finding names, and whom to
// ask in it.
type SectionPeople struct {
	Name        string   `json:"name"`
	Maintainers []string `json:"maintainers,omitempty"`
	Reviewers   []string `json:"reviewers,omitempty"`
}

// checkMaintainers applies the sender-not-maintainer rule to the own
// commits' paths, with the MAINTAINERS of the mainline tip. Without a
// sender, own commits or a MAINTAINERS file there is nothing to judge;
// nor for a profile built on a tree of its own (rdma-core), whose paths
// the kernel's MAINTAINERS does not describe.
func (c *Checker) checkMaintainers(v *Verdict, sender string, tips map[string][]tipCommit) {
	paths := ownPaths(v.Commits)
	if sender == "" || len(paths) == 0 || c.active != nil && c.active.Upstream != "" && c.active.Upstream != c.cfg.Mainline {
		return
	}
	f, err := c.maintainersAt(tips)
	if err != nil {
		if !errors.Is(err, ErrNoMaintainers) {
			c.log.Warn("sender not checked against MAINTAINERS", "err", err)
		}
		return
	}
	r := f.Cover(paths, sender, &maintainers.CoverOptions{Reviewers: c.cfg.ReviewerMaintains})
	if f := c.notMaintainerFinding(sender, r.Unmaintained()); f != nil {
		v.add(*f)
	}
}

func (c *Checker) notMaintainerFinding(sender string, unmaintained []maintainers.PathCover) *Finding {
	if len(unmaintained) == 0 {
		return nil
	}
	sev := Warning
	if c.cfg.RequireMaintainer {
		sev = Error
	}
	f := &Finding{Code: CodeSenderNotMaintainer, Severity: sev}
	for _, p := range unmaintained {
		f.Paths = append(f.Paths, p.Path)
		for _, s := range p.Responsible() {
			if !slices.ContainsFunc(f.Sections, func(sp SectionPeople) bool { return sp.Name == s.Name }) {
				f.Sections = append(f.Sections, sectionPeople(s))
			}
		}
	}
	f.Message = fmt.Sprintf("%s maintains no MAINTAINERS section covering %s; ask %s",
		sender, listPaths(f.Paths), askList(f.Sections))
	return f
}

func sectionPeople(s *maintainers.Section) SectionPeople {
	sp := SectionPeople{Name: s.Name}
	for _, p := range s.Maintainers {
		sp.Maintainers = append(sp.Maintainers, p.String())
	}
	for _, p := range s.Reviewers {
		sp.Reviewers = append(sp.Reviewers, p.String())
	}
	return sp
}

// askList names each section and its maintainers.
func askList(sections []SectionPeople) string {
	parts := make([]string, 0, len(sections))
	for _, s := range sections {
		who := "no maintainer"
		if len(s.Maintainers) > 0 {
			who = strings.Join(s.Maintainers, ", ")
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", s.Name, who))
	}
	return strings.Join(parts, "; ")
}

// ownPaths lists every path the commits touch, once, sorted.
func ownPaths(commits []Commit) []string {
	var out []string
	for _, cm := range commits {
		out = append(out, cm.Paths...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
