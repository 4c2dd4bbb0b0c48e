package gitcheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// The first tree fetched into a repository with no objects at all is
// cloned: git clone has index-pack check that the pack it received is
// self-contained and connected, where git fetch walks every object
// received again afterwards (4 of the 15 seconds of a million-commit
// fetch). The clone's pack is moved into the repository, the tree's
// first branch set from it, and the tree is then fetched as usual,
// which brings only what the branch does not hold (its tags).

// emptyRepository reports whether the repository holds no objects and
// no refs of any tree.
func (c *Checker) emptyRepository() bool {
	if packs, _ := filepath.Glob(filepath.Join(c.st.gitDir, "objects", "pack", "*.pack")); len(packs) > 0 {
		return false
	}
	if loose, _ := filepath.Glob(filepath.Join(c.st.gitDir, "objects", "??")); len(loose) > 0 {
		return false
	}
	tips, err := c.treeTips()
	return err == nil && len(tips) == 0
}

// cloneBranch returns the first branch (short name) a tree names, "" when
// it names none without a pattern.
func cloneBranch(t Tree) string {
	for _, r := range t.Refs {
		full := fullRef(r)
		if b, ok := strings.CutPrefix(full, "refs/heads/"); ok && !strings.ContainsAny(b, "*?[") {
			return b
		}
	}
	return ""
}

// cloneFirst clones t's first branch into the empty repository.
func (c *Checker) cloneFirst(ctx context.Context, t Tree, branch string) error {
	work := filepath.Join(c.st.gitDir, "prtrack")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(work, "clone-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dst := filepath.Join(tmp, "repo.git")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	over := make(chan struct{})
	go watchTempPacks(ctx, filepath.Join(dst, "objects", "pack"), c.cfg.MaxTreeBytes, over, cancel)
	err = c.git.runIn(ctx, c.cfg.TreeTimeout, tmp, "", "clone", "--bare", "--quiet", "--template=",
		"--no-tags", "--single-branch", "--branch", branch, "--", t.URL, dst)
	select {
	case <-over:
		return fmt.Errorf("%w of %d bytes", ErrTooLarge, c.cfg.MaxTreeBytes)
	default:
	}
	if err != nil {
		return err
	}
	r, err := git.PlainOpen(dst)
	if err != nil {
		return err
	}
	ref, err := r.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return fmt.Errorf("clone of %s: %w", branch, err)
	}
	if err := c.adoptPacks(filepath.Join(dst, "objects", "pack")); err != nil {
		return err
	}
	c.st.reload()
	c.log.Info("first tree cloned into the empty repository", "tree", t.Name, "branch", branch)
	name := plumbing.ReferenceName(treeRefPrefix(t.Name) + "heads/" + branch)
	return c.st.s.SetReference(plumbing.NewHashReference(name, ref.Hash()))
}

// adoptPacks moves the packs of dir into the repository, each pack
// before its index (an index names a complete pack).
func (c *Checker) adoptPacks(dir string) error {
	idxs, _ := filepath.Glob(filepath.Join(dir, "pack-*.idx"))
	dst := filepath.Join(c.st.gitDir, "objects", "pack")
	for _, idx := range idxs {
		base := strings.TrimSuffix(filepath.Base(idx), ".idx")
		for _, ext := range []string{".pack", ".rev", ".idx"} {
			from := filepath.Join(dir, base+ext)
			if _, err := os.Stat(from); err != nil && ext == ".rev" {
				continue
			}
			if err := os.Rename(from, filepath.Join(dst, base+ext)); err != nil {
				return fmt.Errorf("gitcheck: adopt cloned pack: %w", err)
			}
		}
	}
	return nil
}
