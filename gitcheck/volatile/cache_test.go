package volatile

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

// extraFixture is the fixture with two more clean pull requests: in
// order mlx5-a, mlx5-b (conflicts with mlx5-a), core (conflicts with
// the base), efa, extra0, extra1.
func extraFixture(t *testing.T) (*gitfixture.Volatile, []Input) {
	t.Helper()
	fixture(t) // skips without git
	v, err := gitfixture.BuildVolatileN(context.Background(), filepath.Join(t.TempDir(), "prtrack.git"), 2)
	if err != nil {
		t.Fatal(err)
	}
	return v, inputs(v)
}

// sameResult reports whether two results say the same, apart from
// their counts of merges.
func sameResult(a, b *Result) bool {
	x, y := *a, *b
	x.Stats, y.Stats = Stats{}, Stats{}
	return reflect.DeepEqual(x, y)
}

// TestIncremental counts the merges git runs: a rebuild with unchanged
// inputs runs none and gives the same commits; after one pull request
// changed, only the merges involving it run again (its merge onto the
// base, its pairs, and the tree's merges from it on); the result is the
// one a build without the cache gives.
func TestIncremental(t *testing.T) {
	v, in := extraFixture(t)
	o := Options{Repo: v.Dir}
	first := build(t, o, in)
	// 6 onto the base, 10 pairs among the 5 that merge there, 4 merges
	// of the tree after the first (mlx5-b's conflicts).
	if want := (Stats{Merges: 20, PairMerges: 10}); first.Stats != want {
		t.Fatalf("first build: %+v, want %+v", first.Stats, want)
	}
	again := build(t, o, in)
	if want := (Stats{Cached: 20}); again.Stats != want {
		t.Errorf("unchanged rebuild: %+v, want %+v", again.Stats, want)
	}
	if !sameResult(first, again) {
		t.Errorf("unchanged rebuild differs:\n%+v\n%+v", first, again)
	}

	// efa (#4) sent again with one more commit.
	efa := in[3].Tip
	tip := runGit(t, v, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit-tree", "-p", efa, "-m", "v2", efa+"^{tree}")
	changed := append([]Input(nil), in...)
	changed[3].Tip = tip
	r := build(t, o, changed)
	// efa onto the base, its 4 pairs, and the tree's merges of efa,
	// extra0 and extra1, which come after it.
	if want := (Stats{Merges: 8, PairMerges: 4, Cached: 12}); r.Stats != want {
		t.Errorf("one changed: %+v, want %+v", r.Stats, want)
	}
	fresh := build(t, Options{Repo: v.Dir, NoCache: true, Ref: "refs/heads/fresh"}, changed)
	fresh.Ref = r.Ref
	if !sameResult(r, fresh) {
		t.Errorf("cached build differs from a fresh one:\n%+v\n%+v", r, fresh)
	}
	if r := build(t, o, changed); r.Stats.Merges != 0 {
		t.Errorf("rebuild after the change ran %d merges", r.Stats.Merges)
	}
}

// TestCacheDamagedOrPruned: a damaged cache file is rebuilt, and an
// answer naming an object git pruned is not used.
func TestCacheDamagedOrPruned(t *testing.T) {
	v, in := extraFixture(t)
	o := Options{Repo: v.Dir}
	first := build(t, o, in)
	path := filepath.Join(v.Dir, CacheFile)
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := build(t, o, in)
	if r.Stats.Merges != first.Stats.Merges || !sameResult(first, r) {
		t.Errorf("after damage: %+v", r.Stats)
	}
	// Prune what is on no ref: the trial commits and the trees of the
	// merges onto the base go.
	runGit(t, v, "update-ref", "-d", DefaultRef)
	runGit(t, v, "prune", "--expire=now")
	r = build(t, o, in)
	if !sameResult(first, r) {
		t.Errorf("after prune:\n%+v\n%+v", first, r)
	}
	// The merges onto the base and those of the tree run again; the
	// trial commits are made again with the same ids, so the pairs'
	// answers, which name no object, still hold.
	if want := (Stats{Merges: 10, Cached: 10}); r.Stats != want {
		t.Errorf("after prune: %+v, want %+v", r.Stats, want)
	}
}

// TestNoCache: with NoCache every merge runs and no file is written.
func TestNoCache(t *testing.T) {
	v, in := extraFixture(t)
	o := Options{Repo: v.Dir, NoCache: true}
	build(t, o, in)
	if r := build(t, o, in); r.Stats.Merges != 20 || r.Stats.Cached != 0 {
		t.Errorf("stats %+v", r.Stats)
	}
	if _, err := os.Stat(filepath.Join(v.Dir, CacheFile)); err == nil {
		t.Error("NoCache wrote the cache")
	}
}
