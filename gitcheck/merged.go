package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object/commitgraph"
)

// ErrNotFetched is returned by MergedInto and PulledInto before the
// mainline tree has been fetched.
var ErrNotFetched = errors.New("the mainline tree has not been fetched yet")

// errMergeLimit reports a merge deeper than Config.MaxWalk commits.
var errMergeLimit = errors.New("merge commit not within the walk limit")

// Merge says where a pull request's tip entered an accepted tree.
type Merge struct {
	// Tree is the accepted tree: the mainline when the tip is in it,
	// otherwise the first tree of Config.Trees one of whose branches
	// holds it (the subsystem tree that pulled it, say).
	Tree string `json:"tree"`
	// Ref is the tree's branch the merge is on ("heads/master").
	Ref string `json:"ref,omitempty"`
	// Commit is the merge commit on the branch's first-parent history
	// that brought the tip in, or the tip itself when it was applied
	// directly (fast-forwarded). Ref and Commit are empty when the
	// merge could not be located: deeper than Config.MaxWalk commits,
	// on no branch of the tree (only a mainline tag holds the tip) or,
	// without a commit-graph, hidden by clock skew beyond a day.
	Commit string `json:"commit,omitempty"`
}

// MergedInto reports whether tip (40-hex) is in the mainline tree, as
// last fetched by UpdateTrees, and where it entered it; nil means it is
// not in the mainline.
func (c *Checker) MergedInto(ctx context.Context, tip string) (*Merge, error) {
	return c.lookUp(ctx, tip, c.mergedInto)
}

// PulledInto reports whether tip (40-hex) is in an accepted tree, as
// last fetched by UpdateTrees, and where it entered it: in the mainline
// as MergedInto says when it is there, otherwise on a branch (never a
// tag) of the first tree of Config.Trees holding it. nil means no
// accepted branch holds it.
func (c *Checker) PulledInto(ctx context.Context, tip string) (*Merge, error) {
	return c.lookUp(ctx, tip, c.pulledInto)
}

type mergeFunc func(context.Context, plumbing.Hash, map[string][]tipCommit) (*Merge, error)

func (c *Checker) lookUp(ctx context.Context, tip string, find mergeFunc) (*Merge, error) {
	h, ok := parseCommit(tip)
	if !ok {
		return nil, fmt.Errorf("gitcheck: bad commit %q", tip)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	tips, err := c.accepted(ctx)
	if err != nil {
		return nil, err
	}
	if len(tips[c.cfg.Mainline]) == 0 {
		return nil, fmt.Errorf("gitcheck: %w", ErrNotFetched)
	}
	return find(ctx, h, tips)
}

// mergedInto answers MergedInto. Membership comes from the accepted
// index; only locating the merge walks the graph, within Config.MaxWalk
// commits over all the mainline's branches. Any mainline ref, tags
// included, makes the tip merged.
func (c *Checker) mergedInto(ctx context.Context, tip plumbing.Hash, tips map[string][]tipCommit) (*Merge, error) {
	if c.idx.mask(tip)&c.idx.bit(c.cfg.Mainline) == 0 {
		return nil, nil
	}
	s, err := newMergeSearch(c.st.graph, tip, c.cfg.MaxWalk)
	if err != nil {
		return nil, err
	}
	return c.locate(ctx, s, c.cfg.Mainline, tips[c.cfg.Mainline])
}

// pulledInto answers PulledInto. The index says which trees hold the
// tip; in a tree whose refs are all branches that is the answer,
// in one with tags too only a located merge proves a branch holds it
// (when the search runs out, the tree is passed over). One search,
// within Config.MaxWalk commits, serves every tree: what it learnt
// cannot reach the tip stays true from tree to tree.
func (c *Checker) pulledInto(ctx context.Context, tip plumbing.Hash, tips map[string][]tipCommit) (*Merge, error) {
	mask := c.maskOf(tip)
	if mask == 0 {
		return nil, nil
	}
	if mask&c.idx.bit(c.cfg.Mainline) != 0 {
		return c.mergedInto(ctx, tip, tips)
	}
	s, err := newMergeSearch(c.st.graph, tip, c.cfg.MaxWalk)
	if err != nil {
		return nil, err
	}
	for _, t := range c.cfg.Trees {
		if mask&c.idx.bit(t.Name) == 0 {
			continue
		}
		m, err := c.locate(ctx, s, t.Name, tips[t.Name])
		if err != nil {
			return nil, err
		}
		if m.Commit != "" || branchesOnly(tips[t.Name]) {
			return m, nil
		}
	}
	return nil, nil
}

// locate returns where the search's tip entered tree, looking on each
// of the tree's branches in turn; Ref and Commit stay empty when no
// branch is found to hold it.
func (c *Checker) locate(ctx context.Context, s *mergeSearch, tree string, refs []tipCommit) (*Merge, error) {
	m := &Merge{Tree: tree}
	for _, t := range refs {
		if !isBranch(t.Ref) {
			continue
		}
		at, err := s.find(ctx, t.Commit)
		if errors.Is(err, errMergeLimit) {
			c.log.Info("merge commit not located", "tree", tree, "tip", s.tip, "err", err)
			break
		}
		if err != nil {
			return nil, err
		}
		if !at.IsZero() {
			m.Ref, m.Commit = t.Ref, at.String()
			break
		}
	}
	return m, nil
}

func isBranch(ref string) bool {
	return strings.HasPrefix(ref, "heads/")
}

// branchesOnly reports whether every ref of a tree is a branch, so that
// the tree's bit in the index means a branch holds the commit.
func branchesOnly(refs []tipCommit) bool {
	for _, t := range refs {
		if !isBranch(t.Ref) {
			return false
		}
	}
	return true
}

// clockSlop is how far a descendant's commit date may be before its
// ancestor's when no generation numbers are known: the slop git allowed
// for skewed clocks before commit-graphs.
const clockSlop = 24 * time.Hour

// mergeSearch finds where tip entered a branch, the way "git when-merged"
// does: the merge is the oldest commit M of the branch's first-parent
// chain M0 (the head), M1, M2, ... whose history contains tip.
//
// Containment is monotone along the chain (each Mi+1 is an ancestor of
// Mi), so the search first walks the chain down to the first commit Mk
// that cannot contain tip, then climbs back: Mi (i < k) contains tip
// iff Mi+1 does or tip is reachable from Mi's other parents. The first
// Mi, climbing, whose other parents reach tip is the merge; when tip is
// itself on the chain it is the answer (applied directly).
//
// Every walk is pruned at commits that cannot reach tip: those whose
// commit-graph generation number is below tip's (exact), or, when tip
// has no generation number (no commit-graph, or fetched after it was
// written), those committed more than clockSlop before tip (a heuristic
// that clock skew beyond the slop defeats: the merge is then not found).
// Commits a climb visited without reaching tip cannot reach it, so later
// climbs stop there: over all branches the search visits each commit at
// most once, never more than limit.
type mergeSearch struct {
	g      *graph
	tip    plumbing.Hash
	gen    uint64
	exact  bool      // gen is a real generation number
	cutoff time.Time // when !exact: older commits cannot reach tip
	seen   map[plumbing.Hash]bool
	limit  int // commits the search may visit
	left   int // of which left
}

func newMergeSearch(g *graph, tip plumbing.Hash, limit int) (*mergeSearch, error) {
	n, err := g.node(tip)
	if err != nil {
		return nil, err
	}
	gen := n.Generation()
	return &mergeSearch{g: g, tip: tip, gen: gen, exact: gen != 0 && gen != math.MaxUint64,
		cutoff: n.CommitTime().Add(-clockSlop), seen: map[plumbing.Hash]bool{}, limit: limit, left: limit}, nil
}

// mayReach reports whether n may have tip in its history.
func (s *mergeSearch) mayReach(n commitgraph.CommitNode) bool {
	if n.ID() == s.tip {
		return true
	}
	if n.Generation() < s.gen {
		return false // sound even when gen is MaxUint64: see exact
	}
	return s.exact || !n.CommitTime().Before(s.cutoff)
}

func (s *mergeSearch) spend() error {
	if s.left--; s.left < 0 {
		return fmt.Errorf("%w (more than %d)", errMergeLimit, s.limit)
	}
	return nil
}

// find returns the commit of head's first-parent chain that brought tip
// in, or the zero hash when head does not contain tip.
func (s *mergeSearch) find(ctx context.Context, head plumbing.Hash) (plumbing.Hash, error) {
	chain, err := s.chain(head)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if len(chain) > 0 && chain[len(chain)-1].ID() == s.tip {
		return s.tip, nil
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if ps := chain[i].ParentHashes(); len(ps) > 1 {
			for _, p := range ps[1:] {
				found, err := s.reaches(ctx, p)
				if err != nil || found {
					return chain[i].ID(), err
				}
			}
		}
		s.seen[chain[i].ID()] = true
	}
	return plumbing.ZeroHash, nil
}

// chain returns head's first-parent chain, newest first, down to tip or
// to the last commit that may contain tip.
func (s *mergeSearch) chain(head plumbing.Hash) ([]commitgraph.CommitNode, error) {
	var out []commitgraph.CommitNode
	n, err := s.g.node(head)
	for err == nil && !s.seen[n.ID()] && s.mayReach(n) {
		if err := s.spend(); err != nil {
			return nil, err
		}
		out = append(out, n)
		if n.ID() == s.tip || n.NumParents() == 0 {
			break
		}
		n, err = s.g.node(n.ParentHashes()[0])
	}
	return out, err
}

// reaches reports whether tip is in from's history, marking what it
// visits in vain as seen.
func (s *mergeSearch) reaches(ctx context.Context, from plumbing.Hash) (bool, error) {
	stack := []plumbing.Hash{from}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if h == s.tip {
			return true, nil
		}
		if s.seen[h] {
			continue
		}
		s.seen[h] = true
		if err := s.spend(); err != nil {
			return false, err
		}
		if s.left%1024 == 0 && ctx.Err() != nil {
			return false, ctx.Err()
		}
		n, err := s.g.node(h)
		if err != nil {
			return false, err
		}
		if s.mayReach(n) {
			stack = append(stack, n.ParentHashes()...)
		}
	}
	return false, nil
}

// parseCommit parses a 40-hex commit name.
func parseCommit(s string) (plumbing.Hash, bool) {
	h := plumbing.NewHash(s)
	return h, len(s) == 40 && h.String() == strings.ToLower(s)
}
