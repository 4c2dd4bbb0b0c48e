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
// maintainer pulls the driver branch, then Linus pulls rdma. The merge
// is Linus's, the one on master's first-parent history.
func TestMergedThroughSubsystemTree(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	rdma, err := e.k.Merge(ctx, "rdma.git", "refs/heads/for-next", e.tip(t, "clean"), "Merge tag 'mlx5-for-next'")
	if err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	if v := e.check(t, e.request(t, "tag")); v.Merged != nil {
		t.Fatalf("pulled into rdma only: verdict %+v", v)
	}
	linus, err := e.k.Merge(ctx, "linux.git", "refs/heads/master", rdma, "Merge tag 'for-linus' of rdma")
	if err != nil {
		t.Fatal(err)
	}
	e.mergeSample(t, "out-of-scope")
	e.updateTrees(t)
	wantMerged(t, e.check(t, e.request(t, "tag")), linus)
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
}
