package volatile

import (
	"context"
	"sync"
)

// The builder's git operations, answered from the cache when it can.

// Stats count the merges of one rebuild.
type Stats struct {
	// Merges counts the merges git ran (git merge-tree); PairMerges
	// those of them that were pairwise trial merges.
	Merges     int `json:"merges"`
	PairMerges int `json:"pair_merges"`
	// Cached counts the merges answered from CacheFile instead.
	Cached int `json:"cached"`
}

// counter is Stats, safe for the merges run side by side.
type counter struct {
	mu sync.Mutex
	s  Stats
}

func (c *counter) add(ran, pair bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !ran:
		c.s.Cached++
	case pair:
		c.s.Merges++
		c.s.PairMerges++
	default:
		c.s.Merges++
	}
}

func (c *counter) get() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

// merge merges theirs into ours: git merge-tree, or the cache. pair says
// it is a pairwise trial merge, for the counts.
func (b *builder) merge(ctx context.Context, ours, theirs string, pair bool) (*mergeResult, error) {
	key := mergeKey(ours, theirs)
	if m, ok := b.cache.merge(key); ok {
		b.stats.add(false, pair)
		return &m, nil
	}
	b.stats.add(true, pair)
	m, err := b.g.mergeTree(ctx, ours, theirs)
	if err != nil {
		return nil, err
	}
	b.remember([2]string{ours, theirs}, *m, pair)
	return m, nil
}

// remember caches a merge's result. A pairwise trial merge's tree is
// never used, only whether it conflicts: it is not kept, so that git
// pruning it does not make the pair run again.
func (b *builder) remember(merge [2]string, m mergeResult, pair bool) {
	if pair {
		m.Tree = ""
	}
	b.cache.putMerge(mergeKey(merge[0], merge[1]), m)
}

// mergeAll runs merges (ours, theirs) side by side and returns each
// one's result or error. Those the cache does not answer run Jobs at a
// time: with git 2.40 or later, as one "merge-tree --stdin" per job,
// each merge again on its own if that fails.
func (b *builder) mergeAll(ctx context.Context, merges [][2]string, pair bool) ([]*mergeResult, []error) {
	out := make([]*mergeResult, len(merges))
	errs := make([]error, len(merges))
	var todo []int
	for i, m := range merges {
		if r, ok := b.cache.merge(mergeKey(m[0], m[1])); ok {
			b.stats.add(false, pair)
			out[i] = &r
		} else {
			todo = append(todo, i)
		}
	}
	one := func(i int) {
		if ctx.Err() == nil {
			out[i], errs[i] = b.merge(ctx, merges[i][0], merges[i][1], pair)
		}
	}
	if !b.g.stdin || len(todo) < 2 {
		b.each(len(todo), func(k int) { one(todo[k]) })
		return out, errs
	}
	chunks := min(b.o.Jobs, len(todo))
	b.each(chunks, func(c int) {
		var mine []int
		for k := c; k < len(todo); k += chunks {
			mine = append(mine, todo[k])
		}
		batch := make([][2]string, len(mine))
		for k, i := range mine {
			batch[k] = merges[i]
		}
		rs, err := b.g.mergeTrees(ctx, batch)
		if err != nil {
			b.o.Logger.Debug("volatile: merging one at a time", "err", err)
			for _, i := range mine {
				one(i)
			}
			return
		}
		for k, i := range mine {
			b.stats.add(true, pair)
			b.remember(merges[i], *rs[k], pair)
			out[i] = rs[k]
		}
	})
	return out, errs
}

// commit records a commit: git commit-tree, or the cache. The commit is
// the same either way: its content is all in the key.
func (b *builder) commit(ctx context.Context, tree string, parents []string, msg string, when int64) (string, error) {
	key := commitKey(tree, parents, msg, when)
	if id, ok := b.cache.commit(key); ok {
		return id, nil
	}
	id, err := b.g.commitTree(ctx, tree, parents, msg, when)
	if err != nil {
		return "", err
	}
	b.cache.putCommit(key, id)
	return id, nil
}

// touching is git.touching, or the cache.
func (b *builder) touching(ctx context.Context, include, exclude string, paths []string) ([]Commit, error) {
	key := touchingKey(include, exclude, paths, b.o.MaxCommits)
	if cs, ok := b.cache.touching(key); ok {
		return cs, nil
	}
	cs, err := b.g.touching(ctx, include, exclude, paths, b.o.MaxCommits)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		cs = []Commit{}
	}
	b.cache.putTouching(key, cs)
	return cs, nil
}

// each runs f(0) ... f(n-1), Options.Jobs at a time.
func (b *builder) each(n int, f func(i int)) {
	jobs := min(b.o.Jobs, n)
	if jobs <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
