package gitcheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// fetchTreeGit fetches one accepted tree with git: its negotiation
// offers every ref of the repository, so history another tree already
// brought is not downloaded again, and index-pack keeps the pack as
// received. The byte limit is watched on the temporary pack.
func (c *Checker) fetchTreeGit(ctx context.Context, t Tree, refspecs []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	over := make(chan struct{})
	go watchTempPacks(ctx, filepath.Join(c.st.gitDir, "objects", "pack"), c.cfg.MaxTreeBytes, over, cancel)
	args := append([]string{"fetch", "--quiet", "--no-tags", "--prune", "--force",
		"--no-write-fetch-head", "--no-auto-maintenance", "--no-recurse-submodules", "--", t.URL}, refspecs...)
	err := c.git.run(ctx, c.cfg.TreeTimeout, args...)
	select {
	case <-over:
		return fmt.Errorf("%w of %d bytes", ErrTooLarge, c.cfg.MaxTreeBytes)
	default:
	}
	return err
}

// watchTempPacks cancels the fetch once the temporary packs under dir
// hold more than max bytes.
func watchTempPacks(ctx context.Context, dir string, max int64, over chan<- struct{}, cancel func()) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var n int64
		for _, name := range tempPacks(dir) {
			if fi, err := os.Stat(name); err == nil {
				n += fi.Size()
			}
		}
		if n > max {
			close(over)
			cancel()
			return
		}
	}
}

// writeCommitGraph adds the new commits to the commit-graph (a split
// chain: only the new commits are written, layers merge as git decides)
// and makes the store read it.
func (c *Checker) writeCommitGraph(ctx context.Context) error {
	err := c.git.run(ctx, c.cfg.TreeTimeout, "commit-graph", "write", "--reachable", "--split", "--no-progress")
	c.st.reload()
	if err != nil {
		return fmt.Errorf("gitcheck: %w", err)
	}
	return nil
}
