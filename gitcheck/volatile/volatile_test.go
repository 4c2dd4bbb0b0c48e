package volatile

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

const (
	mlx5Main = "drivers/infiniband/hw/mlx5/main.c"
	coreDev  = "drivers/infiniband/core/device.c"
)

func fixture(t *testing.T) *gitfixture.Volatile {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	v, err := gitfixture.BuildVolatile(context.Background(), filepath.Join(t.TempDir(), "prtrack.git"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// inputs are the fixture's pull requests in order: mlx5-a, mlx5-b,
// core, efa.
func inputs(v *gitfixture.Volatile) []Input {
	var in []Input
	for _, p := range v.Pending {
		in = append(in, Input{ID: p.ID, MessageID: p.Name + "@example.org", Tip: p.Tip, Subject: "[GIT PULL] " + p.Subject, Window: "v6.10"})
	}
	return in
}

func build(t *testing.T, o Options, in []Input) *Result {
	t.Helper()
	r, err := Build(context.Background(), o, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func runGit(t *testing.T, v *gitfixture.Volatile, args ...string) string {
	t.Helper()
	out, err := v.Git(context.Background(), args...)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

func keptIDs(r *Result) []uint64 {
	var ids []uint64
	for _, k := range r.Kept {
		ids = append(ids, k.ID)
	}
	return ids
}

func leftOut(r *Result, id uint64) *LeftOut {
	for i := range r.LeftOut {
		if r.LeftOut[i].ID == id {
			return &r.LeftOut[i]
		}
	}
	return nil
}

func sideSubjects(sides []Side, name string) []string {
	var out []string
	for _, s := range sides {
		if s.Name == name {
			for _, c := range s.Commits {
				out = append(out, c.Subject)
			}
		}
	}
	return out
}

// TestFourPending: two pull requests conflicting in a driver file, one
// with for-next in a core file, one clean. The tree holds exactly the
// first driver one and the clean one; the report names the pair, the
// paths and the commits on each side.
func TestFourPending(t *testing.T) {
	v := fixture(t)
	r := build(t, Options{Repo: v.Dir}, inputs(v))
	if got := keptIDs(r); !slices.Equal(got, []uint64{1, 4}) {
		t.Errorf("kept %v, want [1 4]", got)
	}
	if r.Base.Commit != v.Base || r.Base.Ref != DefaultBase {
		t.Errorf("base = %+v, want %s at %s", r.Base, DefaultBase, v.Base)
	}
	b := leftOut(r, 2)
	if b == nil || b.Reason != ReasonConflict || !slices.Equal(b.ConflictsWith, []string{"mlx5-a@example.org"}) || !slices.Equal(b.Paths, []string{mlx5Main}) {
		t.Fatalf("mlx5-b left out as %+v", b)
	}
	if got := sideSubjects(b.Sides, "mlx5-a@example.org"); !slices.Equal(got, []string{"RDMA/mlx5: add counters"}) {
		t.Errorf("mlx5-a side %v", got)
	}
	if got := sideSubjects(b.Sides, "mlx5-b@example.org"); !slices.Equal(got, []string{"RDMA/mlx5: rework the probe"}) {
		t.Errorf("mlx5-b side %v", got)
	}
	c := leftOut(r, 3)
	if c == nil || !slices.Equal(c.ConflictsWith, []string{ConflictsWithBase}) || !slices.Equal(c.Paths, []string{coreDev}) {
		t.Fatalf("core left out as %+v", c)
	}
	if got := sideSubjects(c.Sides, ConflictsWithBase); !slices.Equal(got, []string{"RDMA/core: rework device registration"}) {
		t.Errorf("base side %v", got)
	}
	if len(r.Pairs) != 1 || r.Pairs[0].AID != 1 || r.Pairs[0].BID != 2 || !slices.Equal(r.Pairs[0].Paths, []string{mlx5Main}) {
		t.Errorf("pairs = %+v, want only mlx5-a/mlx5-b in %s", r.Pairs, mlx5Main)
	}
	if r.PairsChecked != 3 || r.PairsSkipped != 0 {
		t.Errorf("pairs checked %d, skipped %d; want 3 and 0", r.PairsChecked, r.PairsSkipped)
	}
	if got := runGit(t, v, "rev-parse", DefaultRef); got != r.Commit {
		t.Errorf("%s at %s, result says %s", DefaultRef, got, r.Commit)
	}
	checkAgainstGitMerge(t, v, r, []string{v.Pending[0].Tip, v.Pending[3].Tip}, v.Pending[1].Tip)
}

// checkAgainstGitMerge repeats the merges with "git merge" in a work
// tree: the same tree results, and the left-out tip fails to merge.
func checkAgainstGitMerge(t *testing.T, v *gitfixture.Volatile, r *Result, tips []string, conflicting string) {
	t.Helper()
	wt := filepath.Join(t.TempDir(), "wt")
	runGit(t, v, "worktree", "add", "--detach", wt, v.Base)
	in := func(args ...string) error {
		cmd := exec.Command("git", append([]string{"-C", wt, "-c", "user.name=t", "-c", "user.email=t@example.org"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return errors.New(string(out))
		}
		return nil
	}
	for _, tip := range tips {
		if err := in("merge", "--no-edit", "-q", tip); err != nil {
			t.Fatalf("git merge %s: %v", tip, err)
		}
	}
	want := runGit(t, v, "rev-parse", r.Commit+"^{tree}")
	if got := strings.TrimSpace(runGit(t, v, "-C", wt, "rev-parse", "HEAD^{tree}")); got != want {
		t.Errorf("git merge gives tree %s, volatile has %s", got, want)
	}
	if err := in("merge", "--no-edit", "-q", conflicting); err == nil {
		t.Errorf("git merge of %s succeeded; volatile left it out", conflicting)
	}
}

func TestDeterministic(t *testing.T) {
	v := fixture(t)
	in := inputs(v)
	first := build(t, Options{Repo: v.Dir}, in)
	again := build(t, Options{Repo: v.Dir}, in)
	if first.Commit != again.Commit || first.Commit == v.Base {
		t.Fatalf("rebuild gave %s then %s", first.Commit, again.Commit)
	}
	for i := range first.Kept {
		if first.Kept[i].Merge != again.Kept[i].Merge {
			t.Errorf("merge of #%d: %s then %s", first.Kept[i].ID, first.Kept[i].Merge, again.Kept[i].Merge)
		}
	}
	in[3].Subject = "[GIT PULL v2] efa"
	if changed := build(t, Options{Repo: v.Dir}, in); changed.Commit == first.Commit {
		t.Errorf("a changed input gave the same commit %s", changed.Commit)
	}
}

func TestManifest(t *testing.T) {
	v := fixture(t)
	r := build(t, Options{Repo: v.Dir, Ref: "refs/heads/vol"}, inputs(v))
	msg := runGit(t, v, "log", "-1", "--format=%B", "refs/heads/vol")
	a, efa := v.Pending[0], v.Pending[3]
	for _, want := range []string{
		"Merge pull request #4: [GIT PULL] RDMA/efa: add a query\n",
		"Message-ID: <efa@example.org>\nTip: " + efa.Tip + "\nWindow: v6.10\n",
		"base " + DefaultBase + " " + v.Base + "\n",
		"1. #1 " + a.Tip + " <mlx5-a@example.org>\n2. #4 " + efa.Tip + " <efa@example.org>",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("manifest lacks %q:\n%s", want, msg)
		}
	}
	who := runGit(t, v, "log", "-1", "--format=%an <%ae> %at|%cn <%ce> %ct|%P", r.Commit)
	tipTime := runGit(t, v, "log", "-1", "--format=%ct", efa.Tip)
	prev := r.Kept[0].Merge
	prevTime := runGit(t, v, "log", "-1", "--format=%ct", prev)
	when := max(atoi(t, tipTime), atoi(t, prevTime)) + 1
	want := strings.Join([]string{identityName + " <" + identityEmail + "> " + itoa(when), identityName + " <" + identityEmail + "> " + itoa(when), prev + " " + efa.Tip}, "|")
	if who != want {
		t.Errorf("head commit %q, want %q", who, want)
	}
}

func TestNotFetched(t *testing.T) {
	v := fixture(t)
	in := inputs(v)
	in[0].Tip = strings.Repeat("ab", 20)
	in[2].Tip = ""
	r := build(t, Options{Repo: v.Dir}, in)
	for _, id := range []uint64{1, 3} {
		if l := leftOut(r, id); l == nil || l.Reason != ReasonNotFetched {
			t.Errorf("#%d left out as %+v, want not fetched", id, l)
		}
	}
	if got := keptIDs(r); !slices.Equal(got, []uint64{2, 4}) {
		t.Errorf("kept %v, want [2 4]", got)
	}
}

func TestMissingBase(t *testing.T) {
	v := fixture(t)
	_, err := Build(context.Background(), Options{Repo: v.Dir, Base: "refs/trees/rdma/heads/nope"}, inputs(v))
	if !errors.Is(err, ErrNoBase) {
		t.Fatalf("err = %v, want ErrNoBase", err)
	}
}

// TestPairBound: with one pairwise merge allowed the bound shows; with
// none, the conflict between mlx5-a and mlx5-b is still attributed.
func TestPairBound(t *testing.T) {
	v := fixture(t)
	r := build(t, Options{Repo: v.Dir, MaxPairs: 1}, inputs(v))
	if r.PairsChecked != 1 || r.PairsSkipped != 2 || len(r.Pairs) != 1 {
		t.Errorf("checked %d, skipped %d, pairs %+v", r.PairsChecked, r.PairsSkipped, r.Pairs)
	}
	r = build(t, Options{Repo: v.Dir, MaxPairs: -1}, inputs(v))
	if r.PairsChecked != 0 || r.PairsSkipped != 3 || len(r.Pairs) != 0 {
		t.Errorf("checked %d, skipped %d, pairs %+v", r.PairsChecked, r.PairsSkipped, r.Pairs)
	}
	if b := leftOut(r, 2); b == nil || !slices.Equal(b.ConflictsWith, []string{"mlx5-a@example.org"}) {
		t.Errorf("mlx5-b left out as %+v", b)
	}
}

// TestAlreadyInAndUnrelated: a tip already in the base is kept with no
// merge; one git refuses to merge (unrelated history) is left out and
// the rest is still built.
func TestAlreadyInAndUnrelated(t *testing.T) {
	v := fixture(t)
	tree := runGit(t, v, "rev-parse", v.Base+"^{tree}")
	orphan := runGit(t, v, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit-tree", "-m", "orphan", tree)
	in := append(inputs(v)[3:], Input{ID: 7, MessageID: "old@example.org", Tip: v.Upstream},
		Input{ID: 8, MessageID: "orphan@example.org", Tip: orphan})
	r := build(t, Options{Repo: v.Dir}, in)
	if got := keptIDs(r); !slices.Equal(got, []uint64{4, 7}) || r.Kept[1].Merge != "" {
		t.Errorf("kept %+v, want #4 merged and #7 already in", r.Kept)
	}
	if l := leftOut(r, 8); l == nil || l.Reason != ReasonRefused || !strings.Contains(l.Error, "unrelated") {
		t.Errorf("orphan left out as %+v", l)
	}
}

// TestHangingGit: a merge that does not finish in time is reported for
// its pull request; the tree is still written.
func TestHangingGit(t *testing.T) {
	v := fixture(t)
	real, _ := exec.LookPath("git")
	script := filepath.Join(t.TempDir(), "git")
	os.WriteFile(script, []byte("#!/bin/sh\ncase \"$*\" in *merge-tree*) exec sleep 10;; esac\nexec "+real+" \"$@\"\n"), 0o755)
	start := time.Now()
	r := build(t, Options{Repo: v.Dir, Git: script, GitTimeout: 300 * time.Millisecond}, inputs(v)[:2])
	if len(r.LeftOut) != 2 || !strings.Contains(r.LeftOut[0].Error, "deadline") || r.Commit != v.Base {
		t.Errorf("result %+v", r)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("took %v: the timeout did not stop git", d)
	}
}

func TestGitVersion(t *testing.T) {
	v := fixture(t)
	old := filepath.Join(t.TempDir(), "git")
	os.WriteFile(old, []byte("#!/bin/sh\necho git version 2.30.2\n"), 0o755)
	if _, err := Build(context.Background(), Options{Repo: v.Dir, Git: old}, nil); !errors.Is(err, ErrGitTooOld) {
		t.Errorf("git 2.30: err = %v", err)
	}
	if _, err := Build(context.Background(), Options{Repo: v.Dir, Git: "/nonexistent/git"}, nil); !errors.Is(err, ErrGitMissing) {
		t.Errorf("no git: err = %v", err)
	}
}

func TestPush(t *testing.T) {
	v := fixture(t)
	r := build(t, Options{Repo: v.Dir}, inputs(v))
	remote := filepath.Join(t.TempDir(), "remote.git")
	runGit(t, v, "init", "-q", "--bare", remote)
	if err := Push(context.Background(), PushOptions{Repo: v.Dir, URL: remote}, r.Commit); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, v, "--git-dir="+remote, "rev-parse", DefaultRef); got != r.Commit {
		t.Errorf("remote %s at %s, want %s", DefaultRef, got, r.Commit)
	}
	if err := Push(context.Background(), PushOptions{Repo: v.Dir, URL: "--upload-pack=x"}, r.Commit); err == nil {
		t.Error("an option as URL was accepted")
	}
}

// TestConflictNamesOnlyTheConflictingPair: an earlier pull request that
// touches the same file without conflicting is not blamed.
func TestConflictNamesOnlyTheConflictingPair(t *testing.T) {
	v := fixture(t)
	wt := filepath.Join(t.TempDir(), "wt")
	runGit(t, v, "worktree", "add", "--detach", wt, v.Upstream)
	f := filepath.Join(wt, mlx5Main)
	old, _ := os.ReadFile(f)
	os.WriteFile(f, []byte(strings.Replace(string(old), "mlx5 7", "mlx5 7 tidy", 1)), 0o644)
	runGit(t, v, "-C", wt, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-am", "RDMA/mlx5: tidy up")
	tidy := runGit(t, v, "-C", wt, "rev-parse", "HEAD")
	in := append([]Input{{ID: 9, MessageID: "tidy@example.org", Tip: tidy}}, inputs(v)[:2]...)
	r := build(t, Options{Repo: v.Dir}, in)
	if got := keptIDs(r); !slices.Equal(got, []uint64{9, 1}) {
		t.Errorf("kept %v, want [9 1]", got)
	}
	if b := leftOut(r, 2); b == nil || !slices.Equal(b.ConflictsWith, []string{"mlx5-a@example.org"}) {
		t.Errorf("mlx5-b left out as %+v", b)
	}
}
