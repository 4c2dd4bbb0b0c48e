package volatile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ErrNoBase is returned when the base ref or commit does not exist.
var ErrNoBase = errors.New("volatile: base not found")

// pending is one fetched pull request on its way into the tree.
type pending struct {
	in     Input
	pos    int    // position in the input order
	tip    string // the commit, present in the repository; "" when not
	tree   string // base + tip, when it merges onto the base alone
	trial  string // commit of tree, made on demand for the pairs
	inBase bool   // the tip is already in the base
}

// builder holds one rebuild's state.
type builder struct {
	g     *git
	o     Options
	cache *cache
	stats counter
	graph *graph // nil when it could not be read: ask git each time
	base  string
	res   *Result
	left  map[uint64]int // left-out pull request to input position
	pairs map[[2]uint64]bool
	times map[string]int64
}

// Build rebuilds the volatile tree from the base: it merges each input
// in order, leaves out those that do not merge (reporting why), trial
// merges the pairs, and points Options.Ref at the result. Problems of
// one pull request are in the Result; the error is for git missing or
// too old, a missing base, or failures of the repository. What git
// answered is kept in CacheFile, so that a rebuild runs only the
// merges whose inputs changed.
func Build(ctx context.Context, opts Options, inputs []Input) (*Result, error) {
	if opts.Repo == "" {
		return nil, fmt.Errorf("volatile: no repository")
	}
	o := opts.withDefaults()
	g := &git{path: o.Git, gitDir: gitDir(o.Repo), timeout: o.GitTimeout}
	if _, err := os.Stat(g.gitDir); err != nil {
		return nil, fmt.Errorf("volatile: repository: %w (update the accepted trees first)", err)
	}
	if err := g.checkVersion(ctx); err != nil {
		return nil, err
	}
	if strings.HasPrefix(o.Base, "-") {
		return nil, fmt.Errorf("volatile: bad revision %q", o.Base)
	}
	path := filepath.Join(g.gitDir, CacheFile)
	if o.NoCache {
		path = ""
	}
	c, err := loadCache(path, g.version)
	if err != nil {
		o.Logger.Warn("volatile: cache not used", "err", err)
	}
	b := &builder{g: g, o: o, cache: c, left: map[uint64]int{}, pairs: map[[2]uint64]bool{}, times: map[string]int64{},
		res: &Result{Base: Base{Ref: o.Base}, Ref: o.Ref, Kept: []Kept{}, LeftOut: []LeftOut{}, Pairs: []Pair{}}}
	ps, err := b.lookup(ctx, inputs)
	if err != nil {
		return nil, err
	}
	res, err := b.build(ctx, ps)
	if err != nil {
		return nil, err
	}
	if err := c.save(); err != nil {
		o.Logger.Warn("volatile: cache not saved", "err", err)
	}
	return res, nil
}

func (b *builder) build(ctx context.Context, ps []*pending) (*Result, error) {
	start := time.Now()
	ok, err := b.soloAll(ctx, ps)
	if err != nil {
		return nil, err
	}
	b.timed("solo", &start)
	if err := b.pairwise(ctx, ok); err != nil {
		return nil, err
	}
	b.timed("pairs", &start)
	head, err := b.sequence(ctx, ok)
	if err != nil {
		return nil, err
	}
	b.timed("sequence", &start)
	if err := b.g.updateRef(ctx, b.o.Ref, head); err != nil {
		return nil, err
	}
	b.res.Commit = head
	b.res.Stats = b.stats.get()
	slices.SortStableFunc(b.res.LeftOut, func(x, y LeftOut) int { return b.left[x.ID] - b.left[y.ID] })
	return b.res, nil
}

// timed tells Options.phase how long the phase that began at start
// took, and starts the next.
func (b *builder) timed(phase string, start *time.Time) {
	if b.o.phase != nil {
		b.o.phase(phase, time.Since(*start))
	}
	*start = time.Now()
}

// leaveOut records that p is not in the tree.
func (b *builder) leaveOut(p *pending, l LeftOut) {
	l.ID, l.MessageID, l.Tip = p.in.ID, p.in.MessageID, p.in.Tip
	b.left[p.in.ID] = p.pos
	b.res.LeftOut = append(b.res.LeftOut, l)
	b.o.Logger.Info("volatile: left out", "id", p.in.ID, "reason", l.Reason, "conflicts_with", l.ConflictsWith, "paths", l.Paths)
}

func (b *builder) refused(p *pending, err error) {
	b.leaveOut(p, LeftOut{Reason: ReasonRefused, Error: err.Error()})
}

// date is when a merge of parents is recorded: a second after the
// newest of them, so that unchanged inputs give unchanged commits.
func (b *builder) date(ctx context.Context, parents ...string) (int64, error) {
	var newest int64
	for _, p := range parents {
		t, ok := b.times[p]
		if !ok {
			var err error
			if t, err = b.g.commitTime(ctx, p); err != nil {
				return 0, err
			}
			b.times[p] = t
		}
		newest = max(newest, t)
	}
	return newest + 1, nil
}

// side names one party to a conflict with its commits that touch paths:
// those reachable from tip and not from exclude.
func (b *builder) side(ctx context.Context, name string, id uint64, tip, exclude string, paths []string) (Side, error) {
	cs, err := b.touching(ctx, tip, exclude, paths)
	return Side{Name: name, ID: id, Commits: cs}, err
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
