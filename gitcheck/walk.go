package gitcheck

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// errWalkLimit reports a pull request with more commits outside the
// mainline than Config.MaxWalk.
var errWalkLimit = errors.New("too many commits outside the accepted trees")

// history splits what a tip reaches outside the mainline.
type history struct {
	own     []plumbing.Hash // in no accepted tree, newest first
	shared  int             // in an accepted tree but not the mainline
	perTree []int           // shared commits per tree bit
}

// walkTip walks from tip, breadth first, and never below a commit of the
// mainline: everything under it is in the mainline too. The walk visits
// the own commits and the shared commits still waiting for the
// mainline, nothing else.
func (c *Checker) walkTip(ctx context.Context, tip plumbing.Hash) (*history, error) {
	main := c.idx.bit(c.upstream())
	h := &history{perTree: make([]int, len(c.idx.Trees))}
	seen := map[plumbing.Hash]bool{tip: true}
	queue := []plumbing.Hash{tip}
	for len(queue) > 0 {
		if len(seen) > c.cfg.MaxWalk {
			return nil, fmt.Errorf("%w (more than %d)", errWalkLimit, c.cfg.MaxWalk)
		}
		if len(seen)%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		cur := queue[0]
		queue = queue[1:]
		m := c.maskOf(cur)
		if m&main != 0 {
			continue
		}
		h.count(cur, m)
		parents, err := c.st.graph.parents(cur)
		if err != nil {
			return nil, err
		}
		for _, p := range parents {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return h, nil
}

func (h *history) count(c plumbing.Hash, mask uint32) {
	if mask == 0 {
		h.own = append(h.own, c)
		return
	}
	h.shared++
	for i := range h.perTree {
		if mask&(1<<i) != 0 {
			h.perTree[i]++
		}
	}
}
