package gitcheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

// TreeUpdate reports the update of one accepted tree.
type TreeUpdate struct {
	Tree  string `json:"tree"`
	Refs  int    `json:"refs"` // local refs after the update
	Error string `json:"error,omitempty"`
}

// UpdateTrees fetches every accepted tree into refs/trees/<name>/ and
// brings the accepted index up to date. A tree that cannot be fetched is
// reported in its TreeUpdate and keeps its previous refs; the error is
// for failures of the local repository.
func (c *Checker) UpdateTrees(ctx context.Context) ([]TreeUpdate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]TreeUpdate, 0, len(c.cfg.Trees))
	for _, t := range c.cfg.Trees {
		u := TreeUpdate{Tree: t.Name}
		start := time.Now()
		if err := c.fetchTree(ctx, t); err != nil {
			u.Error = err.Error()
			c.log.Info("tree update failed", "tree", t.Name, "err", err)
		} else {
			c.log.Info("tree fetched", "tree", t.Name, "git", c.git != nil, "elapsed", time.Since(start))
		}
		out = append(out, u)
	}
	if c.git != nil {
		start := time.Now()
		if err := c.writeCommitGraph(ctx); err != nil {
			c.log.Warn("commit-graph not written", "err", err)
		} else {
			c.log.Info("commit-graph written", "elapsed", time.Since(start))
		}
	}
	start := time.Now()
	tips, err := c.refreshIndex(ctx)
	if err != nil {
		return out, err
	}
	c.log.Info("accepted index up to date", "commits", c.idx.len(), "elapsed", time.Since(start))
	for i := range out {
		out[i].Refs = len(tips[out[i].Tree])
	}
	return out, nil
}

// fetchTree fetches one tree, with git when there is one, else with
// go-git offering the heads of every tree fetched so far, this run
// included: the trees share most of their history.
func (c *Checker) fetchTree(ctx context.Context, t Tree) error {
	if helperSyntax.MatchString(t.URL) || !strings.Contains(t.URL, "://") {
		return fmt.Errorf("gitcheck: tree %s: URL %q is not a scheme://host URL", t.Name, t.URL)
	}
	specs := make([]config.RefSpec, 0, len(t.Refs))
	for _, r := range t.Refs {
		full := fullRef(r)
		specs = append(specs, config.RefSpec("+"+full+":"+treeRefPrefix(t.Name)+strings.TrimPrefix(full, "refs/")))
	}
	if c.git != nil {
		if b := cloneBranch(t); b != "" && c.emptyRepository() {
			if err := c.cloneFirst(ctx, t, b, specs); err != nil {
				return fmt.Errorf("gitcheck: clone tree %s: %w", t.Name, err)
			}
		}
		strs := make([]string, len(specs))
		for i, s := range specs {
			strs[i] = s.String()
		}
		if err := c.fetchTreeGit(ctx, t, strs); err != nil {
			return fmt.Errorf("gitcheck: fetch tree %s: %w", t.Name, err)
		}
		return nil
	}
	tips, err := c.treeTips()
	if err != nil {
		return err
	}
	rm, err := newRemote(c.st.s, t.URL, limits{c.cfg.TreeTimeout, c.cfg.MaxTreeBytes, c.refLimits()}, c.cfg.Hosts,
		c.haves(tips, plumbing.ZeroHash))
	if err != nil {
		return fmt.Errorf("gitcheck: fetch tree %s: %w", t.Name, err)
	}
	defer rm.close()
	if err := rm.fetch(ctx, specs, true); err != nil {
		return fmt.Errorf("gitcheck: fetch tree %s: %w", t.Name, err)
	}
	return nil
}

func fullRef(r string) string {
	if strings.HasPrefix(r, "refs/") {
		return r
	}
	return "refs/heads/" + r
}

func treeRefPrefix(tree string) string {
	return "refs/trees/" + tree + "/"
}

// treeTips lists the local refs of every accepted tree, peeled to
// commits, sorted by ref name.
func (c *Checker) treeTips() (map[string][]tipCommit, error) {
	iter, err := c.st.s.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("gitcheck: list refs: %w", err)
	}
	tips := map[string][]tipCommit{}
	err = iter.ForEach(func(r *plumbing.Reference) error {
		name := r.Name().String()
		for _, t := range c.cfg.Trees {
			if rest, ok := strings.CutPrefix(name, treeRefPrefix(t.Name)); ok && r.Type() == plumbing.HashReference {
				h, err := c.peelTip(r.Hash())
				if err != nil {
					return err
				}
				tips[t.Name] = append(tips[t.Name], tipCommit{Ref: rest, Commit: h})
			}
		}
		return nil
	})
	for _, l := range tips {
		slices.SortFunc(l, func(a, b tipCommit) int { return strings.Compare(a.Ref, b.Ref) })
	}
	return tips, err
}

// accepted returns the accepted tips, reading the refs and refreshing
// the index only on first use: afterwards only UpdateTrees moves them.
func (c *Checker) accepted(ctx context.Context) (map[string][]tipCommit, error) {
	if c.tips != nil {
		return c.tips, nil
	}
	return c.refreshIndex(ctx)
}

// refreshIndex loads the accepted index if needed and updates it to the
// current tips, saving it when it changed.
func (c *Checker) refreshIndex(ctx context.Context) (map[string][]tipCommit, error) {
	tips, err := c.treeTips()
	if err != nil {
		return nil, err
	}
	if c.idx == nil {
		if c.idx, err = loadIndex(indexPath(c.st.gitDir), c.treeNames()); err != nil {
			return nil, err
		}
	}
	changed, err := c.idx.refresh(ctx, c.st.graph, tips)
	if err != nil {
		c.idx.close()
		c.idx, c.tips = nil, nil // partially updated: reload next time
		return nil, err
	}
	c.tips = tips
	if changed {
		if err := c.idx.save(indexPath(c.st.gitDir)); err != nil {
			return nil, err
		}
	}
	return tips, nil
}

func (c *Checker) treeNames() []string {
	return c.cfg.treeNames()
}

// peelTip peels an accepted ref to its commit, remembering the answer:
// tags do not move, and most refs are unchanged between checks.
func (c *Checker) peelTip(h plumbing.Hash) (plumbing.Hash, error) {
	if p, ok := c.peeled[h]; ok {
		return p, nil
	}
	p, _, err := c.st.peel(h)
	if err == nil {
		c.peeled[h] = p
	}
	return p, err
}

// haves lists the refs a fetch offers as common: the branch heads of
// the accepted trees and the pull request's base when we have it.
func (c *Checker) haves(tips map[string][]tipCommit, base plumbing.Hash) []*plumbing.Reference {
	var out []*plumbing.Reference
	for tree, l := range tips {
		for _, t := range l {
			if strings.HasPrefix(t.Ref, "heads/") {
				out = append(out, plumbing.NewHashReference(plumbing.ReferenceName(treeRefPrefix(tree)+t.Ref), t.Commit))
			}
		}
	}
	if !base.IsZero() && c.st.s.HasEncodedObject(base) == nil {
		out = append(out, plumbing.NewHashReference("refs/prtrack-have/base", base))
	}
	return out
}
