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
	if len(c.idx.entries) != len(first.entries) || len(first.entries) == 0 {
		t.Fatalf("reloaded %d entries, built %d", len(c.idx.entries), len(first.entries))
	}
	for i := range first.entries {
		if c.idx.entries[i] != first.entries[i] {
			t.Fatalf("entry %d differs: %+v vs %+v", i, c.idx.entries[i], first.entries[i])
		}
	}
}

// TestIndexIncremental moves Linus's master forward: only the new
// commits are added and the rest keeps its bits.
func TestIndexIncremental(t *testing.T) {
	e := newEnv(t, nil)
	before := len(e.c.idx.entries)
	if err := e.k.LandNetNext(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	linus := e.c.idx.bit("linus")
	if got := len(e.c.idx.entries); got != before+1 {
		t.Errorf("%d entries after landing, want %d (one merge commit more)", got, before+1)
	}
	if e.c.idx.mask(plumbing.NewHash(e.k.Commits["net-next"]))&linus == 0 {
		t.Error("net-next commit not in linus after landing")
	}
}
