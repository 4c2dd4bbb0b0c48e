package volatile

import (
	"context"
	"fmt"
	"time"
)

// pairwise trial-merges every pair (A before B) of the pull requests
// that merge onto the base alone as (base + A) + B, up to MaxPairs
// merges, side by side, and records the pairs that conflict.
func (b *builder) pairwise(ctx context.Context, ok []*pending) error {
	var cands []*pending
	for _, p := range ok {
		if !p.inBase {
			cands = append(cands, p)
		}
	}
	var todo [][2]*pending
	for i, a := range cands {
		for _, c := range cands[i+1:] {
			if b.o.MaxPairs < 0 || len(todo) >= b.o.MaxPairs {
				b.res.PairsSkipped++
				continue
			}
			todo = append(todo, [2]*pending{a, c})
		}
	}
	if b.res.PairsSkipped > 0 {
		b.o.Logger.Info("volatile: pairwise bound reached", "checked", len(todo), "skipped", b.res.PairsSkipped)
	}
	start := time.Now()
	if err := b.trials(ctx, todo); err != nil {
		return err
	}
	b.timed("pairs: trial commits", &start)
	pairs := make([][2]string, len(todo))
	for i, pr := range todo {
		pairs[i] = [2]string{pr[0].trial, pr[1].tip}
	}
	merges, errs := b.mergeAll(ctx, pairs, true)
	b.timed("pairs: merges", &start)
	for i, pr := range todo {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.pair(ctx, pr[0], pr[1], merges[i], errs[i])
	}
	b.timed("pairs: conflicts", &start)
	return nil
}

// pair records what trial-merging c onto base + a gave: nothing when it
// merged, the conflict or the failure otherwise.
func (b *builder) pair(ctx context.Context, a, c *pending, m *mergeResult, err error) {
	b.res.PairsChecked++
	pr := Pair{A: a.in.MessageID, B: c.in.MessageID, AID: a.in.ID, BID: c.in.ID, Paths: []string{}, Sides: []Side{}}
	if err != nil {
		pr.Error = err.Error()
		b.res.Pairs = append(b.res.Pairs, pr)
		return
	}
	if len(m.Conflicts) == 0 {
		return
	}
	b.pairs[[2]uint64{a.in.ID, c.in.ID}] = true
	pr.Paths = m.Conflicts
	for _, p := range []*pending{a, c} {
		s, err := b.side(ctx, p.in.MessageID, p.in.ID, p.tip, b.base, m.Conflicts)
		if err != nil {
			pr.Error = err.Error()
			break
		}
		pr.Sides = append(pr.Sides, s)
	}
	b.res.Pairs = append(b.res.Pairs, pr)
}

// trials records, side by side, the commit of base + A for each A of
// todo. They are not on any ref.
func (b *builder) trials(ctx context.Context, todo [][2]*pending) error {
	var need []*pending
	for _, pr := range todo {
		if a := pr[0]; a.trial == "" && (len(need) == 0 || need[len(need)-1] != a) {
			need = append(need, a)
		}
	}
	whens := make([]int64, len(need))
	for i, p := range need {
		var err error
		if whens[i], err = b.date(ctx, b.base, p.tip); err != nil {
			return err
		}
	}
	errs := make([]error, len(need))
	b.each(len(need), func(i int) {
		p := need[i]
		msg := fmt.Sprintf("volatile trial merge of #%d onto the base\n\nMessage-ID: <%s>\nTip: %s\n", p.in.ID, p.in.MessageID, p.tip)
		p.trial, errs[i] = b.commit(ctx, p.tree, []string{b.base, p.tip}, msg, whens[i])
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// conflicted reports whether the pair (a, c) was found to conflict.
func (b *builder) conflicted(a, c *pending) bool {
	return b.pairs[[2]uint64{a.in.ID, c.in.ID}] || b.pairs[[2]uint64{c.in.ID, a.in.ID}]
}
