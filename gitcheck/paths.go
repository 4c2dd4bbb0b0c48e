package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/go-git/go-git/v5/plumbing/object"
)

// changedPaths lists the paths a commit changes. A merge changes a path
// only if the result differs from every parent (what git diff --cc
// shows); a root commit changes every path it holds.
func changedPaths(ctx context.Context, c *object.Commit) ([]string, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("gitcheck: tree of %s: %w", c.Hash, err)
	}
	if c.NumParents() == 0 {
		return treePaths(tree)
	}
	var common map[string]bool
	err = c.Parents().ForEach(func(p *object.Commit) error {
		pt, err := p.Tree()
		if err != nil {
			return err
		}
		paths, err := diffPaths(ctx, pt, tree)
		if err != nil {
			return err
		}
		common = intersect(common, paths)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gitcheck: diff %s: %w", c.Hash, err)
	}
	out := make([]string, 0, len(common))
	for p := range common {
		out = append(out, p)
	}
	slices.Sort(out)
	return out, nil
}

// diffPaths lists the paths that differ between two trees, comparing
// subtrees by hash and never the content of files.
func diffPaths(ctx context.Context, a, b *object.Tree) ([]string, error) {
	changes, err := object.DiffTreeWithOptions(ctx, a, b, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(changes))
	for _, ch := range changes {
		name := ch.To.Name
		if name == "" {
			name = ch.From.Name
		}
		out = append(out, name)
	}
	return out, nil
}

// intersect keeps the paths of set that are in paths; a nil set means
// the first parent, which takes every path.
func intersect(set map[string]bool, paths []string) map[string]bool {
	next := make(map[string]bool, len(paths))
	for _, p := range paths {
		if set == nil || set[p] {
			next[p] = true
		}
	}
	return next
}

func treePaths(t *object.Tree) ([]string, error) {
	w := object.NewTreeWalker(t, true, nil)
	defer w.Close()
	var out []string
	for {
		name, e, err := w.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if e.Mode.IsFile() {
			out = append(out, name)
		}
	}
}
