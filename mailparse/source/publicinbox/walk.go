package publicinbox

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// pendingCommit is what the walk learnt of a commit to read.
type pendingCommit struct {
	hash, tree, parent plumbing.Hash // parent: the first one, or zero
}

// openStorage opens the bare repository at dir.
func openStorage(dir string, cacheBytes int) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(osfs.New(dir),
		cache.NewObjectLRU(cache.FileSize(cacheBytes)),
		filesystem.Options{KeepDescriptors: true})
}

// newCommits returns the commits of the epoch at dir after commit last
// ("" for the start), oldest first. It reports rewritten when last is
// set but no longer on the first-parent history of the head: the
// epoch's whole history is then returned.
func newCommits(ctx context.Context, dir, last string) (commits []pendingCommit, rewritten bool, err error) {
	st := openStorage(dir, 1<<20)
	defer st.Close()
	head, err := headCommit(st)
	if err != nil || head.IsZero() {
		return nil, false, err
	}
	return walkBack(ctx, st, head, last)
}

// headCommit resolves refs/heads/master, else HEAD; the zero hash means
// an empty repository.
func headCommit(st *filesystem.Storage) (plumbing.Hash, error) {
	for _, name := range []plumbing.ReferenceName{"refs/heads/master", plumbing.HEAD} {
		ref, err := st.Reference(name)
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			continue
		}
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("reading %s: %w", name, err)
		}
		if ref.Type() == plumbing.SymbolicReference {
			ref, err = st.Reference(ref.Target())
			if errors.Is(err, plumbing.ErrReferenceNotFound) {
				continue
			}
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("reading %s: %w", name, err)
			}
		}
		return ref.Hash(), nil
	}
	return plumbing.ZeroHash, nil
}

// walkBack follows first parents from head until the commit last,
// returning the commits after last, oldest first. When last is not
// found, it returns the whole history and rewritten. Only hashes are
// kept: memory grows by 60 bytes per commit.
func walkBack(ctx context.Context, st *filesystem.Storage, head plumbing.Hash, last string) ([]pendingCommit, bool, error) {
	var commits []pendingCommit
	for h := head; !h.IsZero(); {
		if h.String() == last {
			slices.Reverse(commits)
			return commits, false, nil
		}
		if len(commits)%1024 == 1023 && ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		c, err := object.GetCommit(st, h)
		if err != nil {
			return nil, false, fmt.Errorf("reading commit %s: %w", h, err)
		}
		pc := pendingCommit{hash: h, tree: c.TreeHash}
		if len(c.ParentHashes) > 0 {
			pc.parent = c.ParentHashes[0]
		}
		commits = append(commits, pc)
		h = pc.parent
	}
	slices.Reverse(commits)
	return commits, last != "", nil
}
