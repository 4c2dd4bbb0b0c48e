package gitcheck

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// mergeSample merges a sample into Linus's master.
func (e *env) mergeSample(t *testing.T, name string) string {
	t.Helper()
	s, ok := e.k.Sample(name)
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	m, err := e.k.MergeIntoMainline(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *env) tip(t *testing.T, name string) string {
	t.Helper()
	s, ok := e.k.Sample(name)
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	return s.Tip
}

func (e *env) mergedInto(t *testing.T, tip string) *Merge {
	t.Helper()
	m, err := e.c.MergedInto(context.Background(), tip)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantMerged checks a verdict of a pull request merged at commit.
func wantMerged(t *testing.T, v *Verdict, commit string) {
	t.Helper()
	if v.Status != Accepted || v.Readiness == nil || v.Readiness.State != Clean || len(v.Findings) != 0 {
		t.Fatalf("verdict %+v", v)
	}
	want := Merge{Tree: "linus", Ref: "heads/master", Commit: commit}
	if v.Merged == nil || *v.Merged != want {
		t.Fatalf("merged %+v, want %+v", v.Merged, want)
	}
	if !strings.Contains(v.Summary(), "merged into linus heads/master at "+commit[:12]) {
		t.Errorf("summary %q", v.Summary())
	}
}

// TestMergedIntoMainline merges two pull requests into Linus's master,
// one after the other: each is found at its own merge, not at the head.
func TestMergedIntoMainline(t *testing.T) {
	e := newEnv(t, nil)
	if v := e.check(t, e.request(t, "clean")); v.Status != Accepted || v.Merged != nil {
		t.Fatalf("before merging: verdict %+v", v)
	}
	first := e.mergeSample(t, "clean")
	second := e.mergeSample(t, "uapi")
	e.updateTrees(t)

	v := e.check(t, e.request(t, "clean"))
	wantMerged(t, v, first)
	if v.Tip != e.tip(t, "clean") || v.Ref != "" || len(v.Commits) != 0 {
		t.Errorf("tip %s ref %q commits %+v", v.Tip, v.Ref, v.Commits)
	}
	wantMerged(t, e.check(t, e.request(t, "uapi")), second)
	wantMerged(t, e.check(t, e.request(t, "tag")), first)

	// A pull request of nothing stays empty though its tip is in the
	// mainline; one that was not merged is checked as before.
	if v := e.check(t, e.request(t, "empty")); !slices.Equal(codes(v), []Code{CodeEmpty}) || v.Merged != nil {
		t.Errorf("empty: verdict %+v", v)
	}
	if v := e.check(t, e.request(t, "out-of-scope")); v.Merged != nil || v.Status != Rejected {
		t.Errorf("out-of-scope: verdict %+v", v)
	}
	if m := e.mergedInto(t, e.tip(t, "out-of-scope")); m != nil {
		t.Errorf("out-of-scope merged into %+v", m)
	}
	rc1 := e.k.Commits["v6.9-rc1"]
	if m := e.mergedInto(t, rc1); m == nil || m.Commit != rc1 {
		t.Errorf("v6.9-rc1 merged into %+v, want itself", m)
	}
}

// TestMergedThroughSubsystemTree follows the usual road: the rdma
// maintainer pulls the driver branch, then Linus pulls rdma. In between
// the pull request is pulled into rdma, waiting for the mainline; then
// the merge is Linus's, the one on master's first-parent history.
func TestMergedThroughSubsystemTree(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if v := e.check(t, e.request(t, "clean")); v.Status != Accepted || v.Merged != nil || v.Readiness.State != Clean {
		t.Fatalf("before pulling: verdict %+v", v)
	}
	s, _ := e.k.Sample("clean")
	rdma, err := e.k.PullInto(ctx, "rdma", "refs/heads/for-next", s)
	if err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	for _, name := range []string{"clean", "tag"} {
		wantPulled(t, e.check(t, e.request(t, name)), Merge{Tree: "rdma", Ref: "heads/for-next", Commit: rdma})
	}
	if m := e.mergedInto(t, s.Tip); m != nil {
		t.Errorf("pulled into rdma only: merged into %+v", m)
	}
	if v := e.check(t, e.request(t, "empty")); !slices.Equal(codes(v), []Code{CodeEmpty}) || v.Merged != nil {
		t.Errorf("empty: verdict %+v", v)
	}

	linus, err := e.k.Merge(ctx, "linux.git", "refs/heads/master", rdma, "Merge tag 'for-linus' of rdma")
	if err != nil {
		t.Fatal(err)
	}
	e.mergeSample(t, "out-of-scope")
	e.updateTrees(t)
	wantMerged(t, e.check(t, e.request(t, "tag")), linus)
	if m := e.pulledInto(t, s.Tip); m == nil || m.Tree != "linus" || m.Commit != linus {
		t.Errorf("pulled into %+v, want linus at %s", m, linus)
	}
}

// wantPulled checks the verdict of the clean sample's three commits
// pulled into a tree other than the mainline.
func wantPulled(t *testing.T, v *Verdict, want Merge) {
	t.Helper()
	if v.Status != Accepted || len(v.Findings) != 0 || len(v.Commits) != 0 || v.Shared != 3 {
		t.Fatalf("verdict %+v", v)
	}
	if v.Merged == nil || *v.Merged != want {
		t.Fatalf("merged %+v, want %+v", v.Merged, want)
	}
	wait := []TreeCount{{Tree: want.Tree, Commits: 3}}
	if v.Readiness == nil || v.Readiness.State != Waiting || !slices.Equal(v.Readiness.Waiting, wait) {
		t.Errorf("readiness %+v, want waiting on %+v", v.Readiness, wait)
	}
	if !strings.Contains(v.Summary(), "merged into "+want.Tree+" "+want.Ref+" at "+want.Commit[:12]) {
		t.Errorf("summary %q", v.Summary())
	}
}

func (e *env) pulledInto(t *testing.T, tip string) *Merge {
	t.Helper()
	m, err := e.c.PulledInto(context.Background(), tip)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPulledTreeOrder pulls the same branch into mlx5-next, then into
// rdma: the tree named first in the configuration wins, and readiness
// counts the commits on both.
func TestPulledTreeOrder(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	s, _ := e.k.Sample("clean")
	if _, err := e.k.PullInto(ctx, "mlx5-next", "refs/heads/mlx5-next", s); err != nil {
		t.Fatal(err)
	}
	rdma, err := e.k.PullInto(ctx, "rdma", "refs/heads/for-rc", s)
	if err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	v := e.check(t, e.request(t, "clean"))
	want := Merge{Tree: "rdma", Ref: "heads/for-rc", Commit: rdma}
	if v.Merged == nil || *v.Merged != want {
		t.Fatalf("merged %+v, want %+v", v.Merged, want)
	}
	wait := []TreeCount{{Tree: "rdma", Commits: 3}, {Tree: "mlx5-next", Commits: 3}}
	if v.Readiness == nil || !slices.Equal(v.Readiness.Waiting, wait) {
		t.Errorf("readiness %+v, want waiting on %+v", v.Readiness, wait)
	}
}

// TestPulledBranchNotTag accepts a tree holding the driver's tag and
// one branch: the tag alone is no pull, the branch is.
func TestPulledBranchNotTag(t *testing.T) {
	for _, tc := range []struct {
		refs []string
		want *Merge
	}{
		{[]string{"refs/tags/mlx5-*"}, nil},
		{[]string{"refs/tags/mlx5-*", "for-next-clean"}, &Merge{Tree: "driver", Ref: "heads/for-next-clean"}},
	} {
		t.Run(strings.Join(tc.refs, ","), func(t *testing.T) {
			e := newEnv(t, nil)
			e.cfg.Trees = append(e.cfg.Trees, Tree{Name: "driver", URL: e.srv.RepoURL("driver.git"), Refs: tc.refs})
			e.c = e.open(t)
			e.updateTrees(t)
			tip := e.tip(t, "clean")
			if tc.want != nil {
				tc.want.Commit = tip // the branch is at the tip
			}
			if m := e.pulledInto(t, tip); (m == nil) != (tc.want == nil) || m != nil && *m != *tc.want {
				t.Errorf("pulled into %+v, want %+v", m, tc.want)
			}
			if v := e.check(t, e.request(t, "clean")); (v.Merged == nil) != (tc.want == nil) {
				t.Errorf("verdict %+v merged %+v", v, v.Merged)
			}
		})
	}
}

// TestMergedFastForward applies a pull request directly: Linus's master
// fast-forwards to its tip, then moves on. The tip is its own merge.
func TestMergedFastForward(t *testing.T) {
	e := newEnv(t, nil)
	waiting := e.tip(t, "waiting")
	if err := e.k.SetRef(context.Background(), "linux.git", "refs/heads/master", waiting); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	wantMerged(t, e.check(t, e.request(t, "waiting")), waiting)

	e.mergeSample(t, "uapi")
	e.updateTrees(t)
	wantMerged(t, e.check(t, e.request(t, "waiting")), waiting)
	nn := e.k.Commits["net-next"]
	if m := e.mergedInto(t, nn); m == nil || m.Commit != nn {
		t.Errorf("net-next merged into %+v, want itself", m)
	}
}

// TestMergedRefMoved resets the driver branch onto a mainline release
// after its pull request was merged: the mail's tip decides.
func TestMergedRefMoved(t *testing.T) {
	e := newEnv(t, nil)
	merge := e.mergeSample(t, "clean")
	e.updateTrees(t)
	s, _ := e.k.Sample("clean")
	if err := e.k.SetRef(context.Background(), s.Repo, "refs/heads/"+s.Ref, e.k.Commits["v6.9-rc3"]); err != nil {
		t.Fatal(err)
	}
	wantMerged(t, e.check(t, e.request(t, "clean")), merge)
	pr := e.request(t, "clean")
	pr.Ref = "for-next-gone"
	wantMerged(t, e.check(t, pr), merge)
}

// TestMergedOtherTip merges the rebased branch, not what the mail asked
// for: the pull request as sent was not merged.
func TestMergedOtherTip(t *testing.T) {
	e := newEnv(t, nil)
	first := e.check(t, e.request(t, "rebased"))
	if _, err := e.k.Merge(context.Background(), "linux.git", "refs/heads/master", first.Tip, "Merge the rebased branch"); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	v := e.check(t, e.request(t, "rebased"))
	if v.Merged != nil || !slices.Contains(codes(v), CodeTipMismatch) {
		t.Fatalf("verdict %+v", v)
	}
}

// TestMergedOldFormat checks a mail without a tip line: the fetched tip
// is the request.
func TestMergedOldFormat(t *testing.T) {
	e := newEnv(t, nil)
	merge := e.mergeSample(t, "clean")
	e.updateTrees(t)
	pr := e.request(t, "clean")
	pr.Tip = ""
	v := e.check(t, pr)
	wantMerged(t, v, merge)
	if v.Tip != e.tip(t, "clean") || v.Ref != "refs/heads/for-next-clean" {
		t.Errorf("tip %s ref %q", v.Tip, v.Ref)
	}
}

// TestMergedCommitGraph locates merges with generation numbers: the
// commit-graph holds the tip, not the merges made after it was written.
func TestMergedCommitGraph(t *testing.T) {
	e := newEnv(t, nil)
	e.check(t, e.request(t, "clean"))
	e.check(t, e.request(t, "uapi")) // fetched into refs/prtrack/pr1/ too
	if out, err := exec.Command("git", "--git-dir", e.cfg.Repo, "commit-graph", "write", "--reachable").CombinedOutput(); err != nil {
		t.Fatalf("commit-graph: %v: %s", err, out)
	}
	first := e.mergeSample(t, "clean")
	second := e.mergeSample(t, "uapi")
	e.c = e.open(t)
	if e.c.st.graph.cg == nil {
		t.Fatal("the commit-graph was not opened")
	}
	e.updateTrees(t)
	if m := e.mergedInto(t, e.tip(t, "clean")); m == nil || m.Commit != first {
		t.Errorf("clean merged into %+v, want %s", m, first)
	}
	// Generations prune the walk: it visits the first-parent chain
	// from the head down to v6.9-rc2, the last commit whose generation
	// is not below the tip's, and no commit of the side branches.
	s, err := newMergeSearch(e.c.st.graph, plumbing.NewHash(e.tip(t, "clean")), 100)
	if err != nil || !s.exact {
		t.Fatalf("search %+v, %v: want an exact generation", s, err)
	}
	at, err := s.find(context.Background(), plumbing.NewHash(second))
	if err != nil || at.String() != first || s.limit-s.left != 6 {
		t.Errorf("found %s (%v) visiting %d commits, want %s visiting 6", at, err, s.limit-s.left, first)
	}
	wantMerged(t, e.check(t, e.request(t, "uapi")), second)
}

// TestMergedBeyondWalkLimit still reports the merge, without its commit.
func TestMergedBeyondWalkLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxWalk = 2 })
	e.mergeSample(t, "clean")
	e.mergeSample(t, "uapi")
	e.updateTrees(t)
	if m := e.mergedInto(t, e.tip(t, "clean")); m == nil || *m != (Merge{Tree: "linus"}) {
		t.Fatalf("merged into %+v", m)
	}
}

// TestPulledBeyondWalkLimit reports the pull into rdma without its
// merge commit, and readiness waiting without counts. Without a
// commit-graph (go-git writes none) the search cannot use generations.
func TestPulledBeyondWalkLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxWalk, c.Git = 2, "none" })
	s, _ := e.k.Sample("clean")
	if _, err := e.k.PullInto(context.Background(), "rdma", "refs/heads/for-next", s); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	v := e.check(t, e.request(t, "clean"))
	if v.Status != Accepted || v.Merged == nil || *v.Merged != (Merge{Tree: "rdma"}) {
		t.Fatalf("verdict %+v merged %+v", v, v.Merged)
	}
	if r := v.Readiness; r == nil || r.State != Waiting || len(r.Waiting) != 0 {
		t.Errorf("readiness %+v", r)
	}
}

func TestMergedIntoErrors(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.c.MergedInto(context.Background(), "not a sha"); err == nil {
		t.Error("bad commit accepted")
	}
	missing := strings.Repeat("ab", 20)
	if m := e.mergedInto(t, missing); m != nil {
		t.Errorf("unknown commit merged into %+v", m)
	}
	e.cfg.Repo = filepath.Join(t.TempDir(), "fresh.git")
	e.c = e.open(t)
	if _, err := e.c.MergedInto(context.Background(), missing); !errors.Is(err, ErrNotFetched) {
		t.Errorf("before fetching: %v", err)
	}
	if _, err := e.c.PulledInto(context.Background(), missing); !errors.Is(err, ErrNotFetched) {
		t.Errorf("pulled, before fetching: %v", err)
	}
	if _, err := e.c.PulledInto(context.Background(), "not a sha"); err == nil {
		t.Error("pulled: bad commit accepted")
	}
}
