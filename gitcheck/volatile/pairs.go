package volatile

import (
	"context"
	"fmt"
)

// pairwise trial-merges every pair (A before B) of the pull requests
// that merge onto the base alone as (base + A) + B, up to MaxPairs
// merges, and records the pairs that conflict.
func (b *builder) pairwise(ctx context.Context, ok []*pending) error {
	var cands []*pending
	for _, p := range ok {
		if !p.inBase {
			cands = append(cands, p)
		}
	}
	for i, a := range cands {
		for _, c := range cands[i+1:] {
			if err := ctx.Err(); err != nil {
				return err
			}
			if b.o.MaxPairs < 0 || b.res.PairsChecked >= b.o.MaxPairs {
				b.res.PairsSkipped++
				continue
			}
			if err := b.pair(ctx, a, c); err != nil {
				return err
			}
		}
	}
	if b.res.PairsSkipped > 0 {
		b.o.Logger.Warn("volatile: pairwise bound reached", "checked", b.res.PairsChecked, "skipped", b.res.PairsSkipped)
	}
	return nil
}

// pair trial-merges c onto base + a. A merge that fails is reported in
// the pair; the error is for failures to record the trial commit.
func (b *builder) pair(ctx context.Context, a, c *pending) error {
	trial, err := b.trial(ctx, a)
	if err != nil {
		return err
	}
	b.res.PairsChecked++
	pr := Pair{A: a.in.MessageID, B: c.in.MessageID, AID: a.in.ID, BID: c.in.ID, Paths: []string{}, Sides: []Side{}}
	m, err := b.g.mergeTree(ctx, trial, c.tip)
	if err != nil {
		pr.Error = err.Error()
		b.res.Pairs = append(b.res.Pairs, pr)
		return nil
	}
	if len(m.conflicts) == 0 {
		return nil
	}
	b.pairs[[2]uint64{a.in.ID, c.in.ID}] = true
	pr.Paths = m.conflicts
	for _, p := range []*pending{a, c} {
		s, err := b.side(ctx, p.in.MessageID, p.in.ID, p.tip, b.base, m.conflicts)
		if err != nil {
			pr.Error = err.Error()
			break
		}
		pr.Sides = append(pr.Sides, s)
	}
	b.res.Pairs = append(b.res.Pairs, pr)
	return nil
}

// trial returns the commit of base + p, recording it the first time.
// It is not on any ref.
func (b *builder) trial(ctx context.Context, p *pending) (string, error) {
	if p.trial != "" {
		return p.trial, nil
	}
	when, err := b.date(ctx, b.base, p.tip)
	if err != nil {
		return "", err
	}
	msg := fmt.Sprintf("volatile trial merge of #%d onto the base\n\nMessage-ID: <%s>\nTip: %s\n", p.in.ID, p.in.MessageID, p.tip)
	p.trial, err = b.g.commitTree(ctx, p.tree, []string{b.base, p.tip}, msg, when)
	return p.trial, err
}

// conflicted reports whether the pair (a, c) was found to conflict.
func (b *builder) conflicted(a, c *pending) bool {
	return b.pairs[[2]uint64{a.in.ID, c.in.ID}] || b.pairs[[2]uint64{c.in.ID, a.in.ID}]
}
