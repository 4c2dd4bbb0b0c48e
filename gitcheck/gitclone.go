package gitcheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

// The first tree fetched into a repository with no objects at all is
// cloned: git clone has index-pack check that the pack it received is
// self-contained and connected, where git fetch walks every object
// received again afterwards (4 of the 15 seconds of a million-commit
// fetch). The clone follows the tags into the branch's history. Its
// pack is moved into the repository, its refs mapped by the tree's
// refspecs as a fetch would, and the tree is then fetched as usual,
// which finds little or nothing left to bring.

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
func (c *Checker) cloneFirst(ctx context.Context, t Tree, branch string, specs []config.RefSpec) error {
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
		"--single-branch", "--branch", branch, "--", t.URL, dst)
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
	refs, err := r.References()
	if err != nil {
		return err
	}
	var mapped []*plumbing.Reference
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		for _, s := range specs {
			if ref.Type() == plumbing.HashReference && s.Match(ref.Name()) {
				mapped = append(mapped, plumbing.NewHashReference(s.Dst(ref.Name()), ref.Hash()))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := c.adoptPacks(filepath.Join(dst, "objects", "pack")); err != nil {
		return err
	}
	c.st.reload()
	for _, ref := range mapped {
		if err := c.st.s.SetReference(ref); err != nil {
			return err
		}
	}
	c.log.Info("first tree cloned into the empty repository", "tree", t.Name, "branch", branch, "refs", len(mapped))
	return nil
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
