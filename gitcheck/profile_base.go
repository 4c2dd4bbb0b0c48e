package gitcheck

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// releaseTag matches the mainline's release tags as accepted refs.
var releaseTag = regexp.MustCompile(`^tags/v[0-9]+\.[0-9]+(-rc[0-9]+)?$`)

// checkBaseBy applies the profile's base rule and returns the base
// commit when the mail names a well-formed one.
func (c *Checker) checkBaseBy(v *Verdict, p *Profile, base string, tips map[string][]tipCommit) plumbing.Hash {
	switch p.Base {
	case BaseMainlineTag:
		return c.checkBaseTag(v, base, tips)
	case BaseUpstream:
		return c.checkBaseUpstream(v, p, base)
	}
	return c.checkBase(v, base)
}

func (c *Checker) checkBaseTag(v *Verdict, base string, tips map[string][]tipCommit) plumbing.Hash {
	h, ok := parseCommit(base)
	if !ok {
		return c.checkBase(v, base)
	}
	for _, t := range tips[c.cfg.Mainline] {
		if t.Commit == h && releaseTag.MatchString(t.Ref) {
			return h
		}
	}
	msg := fmt.Sprintf("base %s is not a %s release tag (vX.Y or vX.Y-rcN)", shortSHA(base), c.cfg.Mainline)
	if trees := c.treesHolding(h); len(trees) > 0 {
		msg += "; it is a commit of " + strings.Join(trees, ", ")
	}
	v.add(Finding{Code: CodeBaseNotTag, Severity: Error, Commit: shortSHA(base), Message: msg})
	return h
}

func (c *Checker) checkBaseUpstream(v *Verdict, p *Profile, base string) plumbing.Hash {
	h, ok := parseCommit(base)
	if !ok {
		return c.checkBase(v, base)
	}
	if c.idx.mask(h)&c.idx.bit(p.Upstream) == 0 {
		v.add(Finding{Code: CodeBaseNotAccepted, Severity: Error, Commit: shortSHA(base),
			Message: fmt.Sprintf("base %s is not on %s (%s)", shortSHA(base), p.Upstream,
				strings.Join(c.treeRefs(p.Upstream), ", "))})
	}
	return h
}

// treesHolding names the accepted trees holding h.
func (c *Checker) treesHolding(h plumbing.Hash) []string {
	m := c.idx.mask(h)
	var out []string
	for i, t := range c.idx.Trees {
		if m&(1<<i) != 0 {
			out = append(out, t)
		}
	}
	return out
}

// treeRefs lists the refs configured for an accepted tree.
func (c *Checker) treeRefs(tree string) []string {
	for _, t := range c.cfg.Trees {
		if t.Name == tree {
			return t.Refs
		}
	}
	return nil
}

// TreesHolding names the accepted trees holding commit (40-hex), as
// last fetched by UpdateTrees.
func (c *Checker) TreesHolding(ctx context.Context, commit string) ([]string, error) {
	h, ok := parseCommit(commit)
	if !ok {
		return nil, fmt.Errorf("gitcheck: bad commit %q", commit)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.accepted(ctx); err != nil {
		return nil, err
	}
	return c.treesHolding(h), nil
}
