package volatile

import (
	"context"
	"errors"
	"strings"
)

// soloAll merges each input onto the base alone and returns, in order,
// those that merge; the others are left out.
func (b *builder) soloAll(ctx context.Context, inputs []Input) ([]*pending, error) {
	var ok []*pending
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := &pending{in: in, pos: i}
		merges, err := b.solo(ctx, p)
		if err != nil {
			return nil, err
		}
		if merges {
			ok = append(ok, p)
		}
	}
	return ok, nil
}

// solo reports whether p's tip is present and merges onto the base.
func (b *builder) solo(ctx context.Context, p *pending) (bool, error) {
	tip := strings.ToLower(p.in.Tip)
	if !hexID.MatchString(tip) {
		b.leaveOut(p, LeftOut{Reason: ReasonNotFetched})
		return false, nil
	}
	if _, err := b.g.resolve(ctx, tip); errors.Is(err, errNotFound) {
		b.leaveOut(p, LeftOut{Reason: ReasonNotFetched})
		return false, nil
	} else if err != nil {
		b.refused(p, err)
		return false, nil
	}
	p.tip = tip
	in, err := b.g.isAncestor(ctx, tip, b.base)
	if err != nil {
		b.refused(p, err)
		return false, nil
	}
	if in {
		p.inBase = true
		return true, nil
	}
	m, err := b.g.mergeTree(ctx, b.base, tip)
	if err != nil {
		b.refused(p, err)
		return false, nil
	}
	if len(m.conflicts) > 0 {
		b.baseConflict(ctx, p, m.conflicts)
		return false, nil
	}
	p.tree = m.tree
	return true, nil
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
