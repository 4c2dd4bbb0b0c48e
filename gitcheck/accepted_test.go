package gitcheck

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestIndexFollowsRewoundTree rebases rdma for-next: commits only the old
// for-next held leave the accepted trees.
func TestIndexFollowsRewoundTree(t *testing.T) {
	e := newEnv(t, nil)
	old := plumbing.NewHash(e.k.Commits["rdma-for-next"])
	rdma := e.c.idx.bit("rdma")
	if e.c.idx.mask(old)&rdma == 0 {
		t.Fatal("rdma for-next tip not in the rdma tree")
	}
	if err := e.k.SetRef(t.Context(), "rdma.git", "refs/heads/for-next", e.k.Commits["mlx5-next"]); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	if m := e.c.idx.mask(old); m != 0 {
		t.Errorf("rewound commit still accepted by mask %b", m)
	}
	mlx5Next := plumbing.NewHash(e.k.Commits["mlx5-next"])
	if e.c.idx.mask(mlx5Next)&rdma == 0 {
		t.Errorf("new for-next tip not in the rdma tree")
	}
	if e.c.idx.mask(plumbing.NewHash(e.k.Commits["v6.9-rc1"]))&rdma == 0 {
		t.Errorf("rc1 under the new for-next lost its rdma bit")
	}
}

// TestIndexPersists reopens the repository: the saved index answers
// like the one built in memory and is not rebuilt.
func TestIndexPersists(t *testing.T) {
	e := newEnv(t, nil)
	first := e.c.idx
	c := e.open(t)
	if _, err := c.refreshIndex(t.Context()); err != nil {
		t.Fatal(err)
	}
	if c.idx.file == nil || c.idx.entries != nil {
		t.Error("the reopened index was copied onto the heap, not searched in its file")
	}
	if c.idx.len() != first.len() || first.len() == 0 {
		t.Fatalf("reloaded %d entries, built %d", c.idx.len(), first.len())
	}
	for i := range first.len() {
		if e := first.entry(i); c.idx.mask(e.hash) != e.mask {
			t.Fatalf("mask of %s: %b, want %b", e.hash, c.idx.mask(e.hash), e.mask)
		}
	}
	if c.idx.mask(plumbing.NewHash("ffffffffffffffffffffffffffffffffffffffff")) != 0 {
		t.Error("an unknown commit is accepted")
	}
	for i := range first.len() {
		if c.idx.entry(i) != first.entry(i) {
			t.Fatalf("entry %d differs: %+v vs %+v", i, c.idx.entry(i), first.entry(i))
		}
	}
}

// TestIndexIncremental moves Linus's master forward: only the new
// commits are added and the rest keeps its bits.
func TestIndexIncremental(t *testing.T) {
	e := newEnv(t, nil)
	before := e.c.idx.len()
	if err := e.k.LandNetNext(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	linus := e.c.idx.bit("linus")
	if got := e.c.idx.len(); got != before+1 {
		t.Errorf("%d entries after landing, want %d (one merge commit more)", got, before+1)
	}
	if e.c.idx.mask(plumbing.NewHash(e.k.Commits["net-next"]))&linus == 0 {
		t.Error("net-next commit not in linus after landing")
	}
}
