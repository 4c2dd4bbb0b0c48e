package volatile

import (
	"context"
	"fmt"
	"strings"
)

// lookup finds the base and every input's tip in one git command, with
// their dates, and checks that what the cache names is still in the
// repository. A tip the repository does not have is left out.
func (b *builder) lookup(ctx context.Context, inputs []Input) ([]*pending, error) {
	names := []string{b.o.Base + "^{commit}"}
	ps := make([]*pending, len(inputs))
	for i, in := range inputs {
		ps[i] = &pending{in: in, pos: i}
		if tip := strings.ToLower(in.Tip); hexID.MatchString(tip) {
			names = append(names, tip+"^{commit}")
		}
	}
	cached := b.cache.objectIDs()
	objs, err := b.g.objects(ctx, append(names, cached...))
	if err != nil {
		return nil, err
	}
	if objs[0] == nil {
		return nil, fmt.Errorf("%w: %s (update the accepted trees)", ErrNoBase, b.o.Base)
	}
	b.base, b.res.Base.Commit = objs[0].id, objs[0].id
	b.times[b.base] = objs[0].when
	k := 1
	var tips []string
	for _, p := range ps {
		if !hexID.MatchString(strings.ToLower(p.in.Tip)) {
			continue
		}
		if o := objs[k]; o != nil {
			p.tip = o.id
			b.times[p.tip] = o.when
			tips = append(tips, p.tip)
		}
		k++
	}
	gone := map[string]bool{}
	for i, id := range cached {
		if objs[len(names)+i] == nil {
			gone[id] = true
		}
	}
	b.cache.forget(gone)
	if len(tips) > 0 {
		if b.graph, err = b.g.graph(ctx, b.base, tips); err != nil {
			b.o.Logger.Warn("volatile: history not read at once", "err", err)
		}
	}
	return ps, nil
}

// soloAll merges each input onto the base alone, side by side, and
// returns, in order, those that merge; the others are left out.
func (b *builder) soloAll(ctx context.Context, ps []*pending) ([]*pending, error) {
	merges := make([]*mergeResult, len(ps))
	errs := make([]error, len(ps))
	for _, p := range ps {
		if p.tip != "" {
			p.inBase, errs[p.pos] = b.ancestor(ctx, p.tip, b.base, nil)
		}
	}
	var idx []int
	var todo [][2]string
	for i, p := range ps {
		if p.tip != "" && errs[i] == nil && !p.inBase {
			idx, todo = append(idx, i), append(todo, [2]string{b.base, p.tip})
		}
	}
	ms, merr := b.mergeAll(ctx, todo, false)
	for k, i := range idx {
		merges[i], errs[i] = ms[k], merr[k]
	}
	var ok []*pending
	for i, p := range ps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if b.solo(ctx, p, merges[i], errs[i]) {
			ok = append(ok, p)
		}
	}
	return ok, nil
}

// solo reports whether p's tip is present and merges onto the base,
// given what merging it there gave.
func (b *builder) solo(ctx context.Context, p *pending, m *mergeResult, err error) bool {
	switch {
	case p.tip == "":
		b.leaveOut(p, LeftOut{Reason: ReasonNotFetched})
		return false
	case err != nil:
		b.refused(p, err)
		return false
	case p.inBase:
		return true
	case len(m.Conflicts) > 0:
		b.baseConflict(ctx, p, m.Conflicts)
		return false
	}
	p.tree = m.Tree
	return true
}

// ancestor reports whether c is in the history of base and the tips of
// merged: from the graph read once, or by asking git.
func (b *builder) ancestor(ctx context.Context, c, head string, merged []*pending) (bool, error) {
	if b.graph == nil {
		return b.g.isAncestor(ctx, c, head)
	}
	if b.graph.inBase(c) {
		return true, nil
	}
	for _, k := range merged {
		if b.graph.reaches(k.tip, c) {
			return true, nil
		}
	}
	return false, nil
}

// baseConflict leaves out p, which conflicts with the base.
func (b *builder) baseConflict(ctx context.Context, p *pending, paths []string) {
	ours, err := b.side(ctx, ConflictsWithBase, 0, b.base, p.tip, paths)
	if err != nil {
		b.refused(p, err)
		return
	}
	theirs, err := b.side(ctx, p.in.MessageID, p.in.ID, p.tip, b.base, paths)
	if err != nil {
		b.refused(p, err)
		return
	}
	b.leaveOut(p, LeftOut{Reason: ReasonConflict, ConflictsWith: []string{ConflictsWithBase},
		Paths: paths, Sides: []Side{ours, theirs}})
}
