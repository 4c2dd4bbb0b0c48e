package gitcheck

import (
	"bytes"
	"context"
	"encoding/binary"
	"maps"
	"os"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// acceptedIndex records every commit reachable from the accepted refs,
// with one bit per tree saying which trees reach it. Because reachability
// is closed under ancestry, a walk that stops at commits carrying a bit
// never needs to look below them.
type acceptedIndex struct {
	Trees []string               `json:"trees"` // bit i is Trees[i]
	Tips  map[string][]tipCommit `json:"tips"`  // per tree, what the bits were built from

	entries []entry // sorted by hash
	// or, until first changed, the entries in the index file
	file    *os.File
	fileOff int64
	fileN   int
}

type entry struct {
	hash plumbing.Hash
	mask uint32
}

type tipCommit struct {
	Ref    string        `json:"ref"`
	Commit plumbing.Hash `json:"commit"`
}

func newAcceptedIndex(trees []string) *acceptedIndex {
	return &acceptedIndex{Trees: slices.Clone(trees), Tips: map[string][]tipCommit{}}
}

// find returns h's position in the entries (materialized).
func (x *acceptedIndex) find(h plumbing.Hash) (int, bool) {
	x.materialize()
	return slices.BinarySearchFunc(x.entries, h, func(e entry, h plumbing.Hash) int {
		return bytes.Compare(e.hash[:], h[:])
	})
}

// mask returns the trees holding h, zero when none.
func (x *acceptedIndex) mask(h plumbing.Hash) uint32 {
	if x.file != nil {
		i, ok := searchRecords(x.file, x.fileOff, 0, x.fileN, indexEntrySize, h[:])
		if !ok {
			return 0
		}
		var b [4]byte
		if _, err := x.file.ReadAt(b[:], x.fileOff+int64(i)*indexEntrySize+20); err != nil {
			return 0
		}
		return binary.BigEndian.Uint32(b[:])
	}
	if i, ok := x.find(h); ok {
		return x.entries[i].mask
	}
	return 0
}

func (x *acceptedIndex) len() int {
	if x.file != nil {
		return x.fileN
	}
	return len(x.entries)
}

func (x *acceptedIndex) entry(i int) entry {
	x.materialize()
	return x.entries[i]
}

// materialize reads the entries of the file onto the heap, to be
// changed (or listed).
func (x *acceptedIndex) materialize() {
	if x.file == nil {
		return
	}
	b := make([]byte, x.fileN*indexEntrySize)
	if _, err := x.file.ReadAt(b, x.fileOff); err != nil {
		b = nil // a file cut short since: the next refresh rebuilds
	}
	x.entries = make([]entry, len(b)/indexEntrySize)
	for i := range x.entries {
		e := b[i*indexEntrySize:]
		copy(x.entries[i].hash[:], e[:20])
		x.entries[i].mask = binary.BigEndian.Uint32(e[20:])
	}
	x.close()
}

// close closes the file, if open.
func (x *acceptedIndex) close() {
	if x == nil || x.file == nil {
		return
	}
	x.file.Close()
	x.file = nil
}

func (x *acceptedIndex) bit(tree string) uint32 {
	i := slices.Index(x.Trees, tree)
	if i < 0 {
		return 0
	}
	return 1 << i
}

// refresh brings the index up to date with the given tips. Trees whose
// tips did not change cost nothing; trees that only moved forward are
// walked down to the commits they already held; trees that were rewound
// or rebased are rebuilt.
func (x *acceptedIndex) refresh(ctx context.Context, g *graph, tips map[string][]tipCommit) (bool, error) {
	u := &indexUpdate{x: x, g: g, added: map[plumbing.Hash]uint32{}}
	changed := false
	for i, tree := range x.Trees {
		cur := tips[tree]
		if slices.Equal(x.Tips[tree], cur) {
			continue
		}
		changed = true
		x.materialize()
		if err := u.tree(ctx, uint32(1)<<i, x.Tips[tree], cur); err != nil {
			return false, err
		}
		x.Tips[tree] = cur
	}
	if changed {
		u.merge()
	}
	return changed, nil
}

type indexUpdate struct {
	x     *acceptedIndex
	g     *graph
	added map[plumbing.Hash]uint32 // commits not yet in entries
	seen  []uint32                 // per commit-graph position, the bits walked
}

func (u *indexUpdate) mask(h plumbing.Hash) uint32 {
	return u.x.mask(h) | u.added[h]
}

func (u *indexUpdate) set(h plumbing.Hash, bit uint32) {
	if i, ok := u.x.find(h); ok {
		u.x.entries[i].mask |= bit
		return
	}
	u.added[h] |= bit
}

func (u *indexUpdate) tree(ctx context.Context, bit uint32, old, cur []tipCommit) error {
	gone := map[plumbing.Hash]bool{}
	for _, t := range old {
		gone[t.Commit] = true
	}
	for _, t := range cur {
		delete(gone, t.Commit)
	}
	if err := u.walk(ctx, bit, cur, gone); err != nil {
		return err
	}
	if len(gone) == 0 {
		return nil
	}
	// An old tip is not below the new ones: the tree was rewound.
	u.clear(bit)
	return u.walk(ctx, bit, cur, nil)
}

// walk sets bit on every commit reachable from tips, stopping at commits
// that already carry it, and deletes from gone the commits it stops at.
func (u *indexUpdate) walk(ctx context.Context, bit uint32, tips []tipCommit, gone map[plumbing.Hash]bool) error {
	stack := make([]plumbing.Hash, 0, len(tips))
	for _, t := range tips {
		stack = append(stack, t.Commit)
	}
	for n := 0; len(stack) > 0; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if u.mask(h)&bit != 0 {
			delete(gone, h)
			continue
		}
		if pos, ok := u.graphPos(h); ok {
			if err := u.walkGraph(ctx, bit, pos, gone); err != nil {
				return err
			}
			continue
		}
		parents, err := u.g.parents(h)
		if err != nil {
			return err
		}
		u.set(h, bit)
		stack = append(stack, parents...)
	}
	return nil
}

func (u *indexUpdate) graphPos(h plumbing.Hash) (uint32, bool) {
	if u.g.fast == nil {
		return 0, false
	}
	return u.g.fast.lookup(h)
}

// walkGraph is walk below a commit of the commit-graph, by graph
// position: a million commits take a fraction of a second, where
// looking each one up by hash took seconds. Every commit below one in
// the graph is in the graph.
func (u *indexUpdate) walkGraph(ctx context.Context, bit uint32, from uint32, gone map[plumbing.Hash]bool) error {
	fg := u.g.fast
	if u.seen == nil {
		u.seen = make([]uint32, fg.size())
	}
	empty := u.x.len() == 0 && len(gone) == 0 // nothing can carry the bit already
	stack := []uint32{from}
	var ps []uint32
	for n := 0; len(stack) > 0; n++ {
		if n%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		pos := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if u.seen[pos]&bit != 0 {
			continue
		}
		if !empty || n == 0 {
			h, _ := fg.hash(pos)
			if u.mask(h)&bit != 0 {
				delete(gone, h)
				continue
			}
		}
		u.seen[pos] |= bit
		var ok bool
		if ps, ok = fg.parentPos(pos, ps[:0]); !ok {
			return errBadGraph
		}
		stack = append(stack, ps...)
	}
	return nil // merge collects the positions walked
}

func (u *indexUpdate) clear(bit uint32) {
	u.x.materialize()
	for i := range u.seen {
		u.seen[i] &^= bit
	}
	for i := range u.x.entries {
		u.x.entries[i].mask &^= bit
	}
	for h, m := range u.added {
		u.added[h] = m &^ bit
	}
}

// merge folds the added commits and the commit-graph commits walked
// into the sorted entries and drops commits no tree holds any more. The
// graph's commits come out of each layer in hash order.
func (u *indexUpdate) merge() {
	u.x.materialize()
	keys := slices.SortedFunc(maps.Keys(u.added), func(a, b plumbing.Hash) int {
		return bytes.Compare(a[:], b[:])
	})
	added := make([]entry, len(keys))
	for i, k := range keys {
		added[i] = entry{k, u.added[k]}
	}
	out := mergeEntries(u.x.entries, added)
	if u.seen != nil {
		for _, l := range u.g.fast.layers {
			out = mergeEntries(out, u.graphEntries(l))
		}
	}
	u.x.entries = out
	u.added, u.seen = map[plumbing.Hash]uint32{}, nil
}

// graphEntries lists the commits of one commit-graph layer walked.
func (u *indexUpdate) graphEntries(l *cgLayer) []entry {
	var out []entry
	for i := range l.n {
		if m := u.seen[l.base+i]; m != 0 {
			var e entry
			copy(e.hash[:], l.oids[i*20:])
			e.mask = m
			out = append(out, e)
		}
	}
	return out
}

// mergeEntries merges two sorted entry lists, joining the masks of a
// commit in both and leaving out commits with none.
func mergeEntries(a, b []entry) []entry {
	if len(b) == 0 {
		return slices.DeleteFunc(a, func(e entry) bool { return e.mask == 0 })
	}
	out := make([]entry, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && bytes.Compare(a[i].hash[:], b[j].hash[:]) < 0:
			out = appendLive(out, a[i])
			i++
		case i == len(a) || bytes.Compare(a[i].hash[:], b[j].hash[:]) > 0:
			out = appendLive(out, b[j])
			j++
		default:
			out = appendLive(out, entry{a[i].hash, a[i].mask | b[j].mask})
			i, j = i+1, j+1
		}
	}
	return out
}

func appendLive(out []entry, e entry) []entry {
	if e.mask == 0 {
		return out
	}
	return append(out, e)
}
