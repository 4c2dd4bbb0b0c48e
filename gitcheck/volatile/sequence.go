package volatile

import (
	"context"
)

// sequence merges, in order, the pull requests that merge onto the base
// alone, and returns the head of the volatile tree.
func (b *builder) sequence(ctx context.Context, ok []*pending) (string, error) {
	head := b.base
	var merged []*pending
	for _, p := range ok {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		next, err := b.mergeNext(ctx, head, p, merged)
		if err != nil {
			return "", err
		}
		if next != head {
			merged = append(merged, p)
			head = next
		}
	}
	return head, nil
}

// mergeNext merges p onto head and returns the new head: head itself
// when p's tip is already in it or p is left out.
func (b *builder) mergeNext(ctx context.Context, head string, p *pending, merged []*pending) (string, error) {
	in := p.inBase
	if !in {
		var err error
		if in, err = b.ancestor(ctx, p.tip, head, merged); err != nil {
			b.refused(p, err)
			return head, nil
		}
	}
	if in {
		b.res.Kept = append(b.res.Kept, Kept{ID: p.in.ID, MessageID: p.in.MessageID, Tip: p.tip})
		return head, nil
	}
	m := &mergeResult{Tree: p.tree}
	if head != b.base {
		var err error
		if m, err = b.merge(ctx, head, p.tip, false); err != nil {
			b.refused(p, err)
			return head, nil
		}
	}
	if len(m.Conflicts) > 0 {
		b.headConflict(ctx, p, m.Conflicts, merged)
		return head, nil
	}
	when, err := b.date(ctx, head, p.tip)
	if err != nil {
		return "", err
	}
	c, err := b.commit(ctx, m.Tree, []string{head, p.tip}, b.manifest(p, merged), when)
	if err != nil {
		return "", err
	}
	b.times[c] = when
	b.res.Kept = append(b.res.Kept, Kept{ID: p.in.ID, MessageID: p.in.MessageID, Tip: p.tip, Merge: c})
	return c, nil
}

// headConflict leaves out p, which merges onto the base alone but not
// onto the pull requests merged before it. It names those it conflicts
// with pairwise or, when no single pair conflicts (or the pairwise
// bound left them unchecked), those whose commits touch the paths.
func (b *builder) headConflict(ctx context.Context, p *pending, paths []string, merged []*pending) {
	var with []*pending
	for _, k := range merged {
		if b.conflicted(k, p) {
			with = append(with, k)
		}
	}
	l := LeftOut{Reason: ReasonConflict, Paths: paths}
	var err error
	if len(with) == 0 {
		with, l.Sides, err = b.touchingAny(ctx, paths, merged)
	} else {
		l.Sides, err = b.sides(ctx, paths, with)
	}
	if err == nil {
		var s []Side
		s, err = b.sides(ctx, paths, []*pending{p})
		l.Sides = append(l.Sides, s...)
	}
	if err != nil {
		b.refused(p, err)
		return
	}
	l.ConflictsWith = []string{}
	for _, k := range with {
		l.ConflictsWith = append(l.ConflictsWith, k.in.MessageID)
	}
	b.leaveOut(p, l)
}

// sides lists each pull request's own commits touching paths.
func (b *builder) sides(ctx context.Context, paths []string, ps []*pending) ([]Side, error) {
	var out []Side
	for _, p := range ps {
		s, err := b.side(ctx, p.in.MessageID, p.in.ID, p.tip, b.base, paths)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// touchingAny returns the pull requests of ps whose own commits touch
// paths, with those commits.
func (b *builder) touchingAny(ctx context.Context, paths []string, ps []*pending) ([]*pending, []Side, error) {
	all, err := b.sides(ctx, paths, ps)
	if err != nil {
		return nil, nil, err
	}
	var with []*pending
	var sides []Side
	for i, s := range all {
		if len(s.Commits) > 0 {
			with, sides = append(with, ps[i]), append(sides, s)
		}
	}
	return with, sides, nil
}
