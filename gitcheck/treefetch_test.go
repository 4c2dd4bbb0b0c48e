package gitcheck

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// storedObjects counts the objects of a repository as stored, loose
// and in every pack, and how many distinct ones there are: a fetch that
// downloads history the repository already has makes them differ.
func storedObjects(t *testing.T, gitDir string) (stored, distinct int) {
	t.Helper()
	seen := map[plumbing.Hash]bool{}
	loose, _ := filepath.Glob(filepath.Join(gitDir, "objects", "??", "*"))
	for _, n := range loose {
		h := plumbing.NewHash(filepath.Base(filepath.Dir(n)) + filepath.Base(n))
		stored++
		seen[h] = true
	}
	idxs, _ := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "pack-*.idx"))
	for _, n := range idxs {
		p, err := openPack(n)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.count {
			stored++
			seen[plumbing.Hash(p.name20(i))] = true
		}
		p.close()
	}
	return stored, len(seen)
}

// transports runs a test with the git CLI fetching the trees and with
// go-git alone (as where git is missing).
func transports(t *testing.T, test func(t *testing.T, git string)) {
	for _, git := range []string{"", "none"} {
		name := map[string]string{"": "git", "none": "go-git"}[git]
		t.Run(name, func(t *testing.T) {
			if git == "" {
				if _, err := findGit(""); err != nil {
					t.Skip(err)
				}
			}
			test(t, git)
		})
	}
}

// TestTreesShareHistory: the trees share most of their history; each
// object is downloaded and stored once, whichever tree brought it.
func TestTreesShareHistory(t *testing.T) {
	transports(t, func(t *testing.T, git string) {
		e := newEnv(t, func(c *Config) { c.Git = git })
		stored, distinct := storedObjects(t, e.cfg.Repo)
		if stored != distinct {
			t.Errorf("%d objects stored for %d distinct ones: a tree's fetch downloaded history again", stored, distinct)
		}
	})
}

// TestTreesUpdateFetchesOnlyNew: an update with nothing new stores
// nothing; one after a tree moved stores only the new objects.
func TestTreesUpdateFetchesOnlyNew(t *testing.T) {
	transports(t, func(t *testing.T, git string) {
		e := newEnv(t, func(c *Config) { c.Git = git })
		before, _ := storedObjects(t, e.cfg.Repo)
		e.updateTrees(t)
		if again, _ := storedObjects(t, e.cfg.Repo); again != before {
			t.Errorf("an update with nothing new stored %d objects", again-before)
		}
		s, _ := e.k.Sample("clean")
		if _, err := e.k.PullInto(context.Background(), "rdma", "refs/heads/for-next", s); err != nil {
			t.Fatal(err)
		}
		e.updateTrees(t)
		after, distinct := storedObjects(t, e.cfg.Repo)
		if after != distinct || after-before > 30 {
			t.Errorf("pulling one branch into rdma stored %d objects (%d distinct of %d), want its few new ones",
				after-before, distinct, after)
		}
		if v := e.check(t, e.request(t, "clean")); v.Merged == nil || v.Merged.Tree != "rdma" {
			t.Errorf("verdict after the update %+v", v)
		}
	})
}

// TestCommitGraphWritten: with git, each update leaves a commit-graph
// holding the trees' commits, which the checker reads.
func TestCommitGraphWritten(t *testing.T) {
	if _, err := findGit(""); err != nil {
		t.Skip(err)
	}
	e := newEnv(t, nil)
	if e.c.st.graph.cg == nil {
		t.Fatal("no commit-graph after the update")
	}
	tips, err := e.c.treeTips()
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.c.st.graph.node(tips["linus"][0].Commit)
	if err != nil || n.Generation() == 0 {
		t.Errorf("mainline tip not in the commit-graph: %v", err)
	}
}

func TestFindGit(t *testing.T) {
	if _, err := findGit("none"); !errors.Is(err, ErrNoGit) {
		t.Errorf("disabled: %v", err)
	}
	if _, err := findGit(filepath.Join(t.TempDir(), "no-git")); !errors.Is(err, ErrNoGit) {
		t.Errorf("missing: %v", err)
	}
	old := filepath.Join(t.TempDir(), "old-git")
	if err := os.WriteFile(old, []byte("#!/bin/sh\necho git version 2.20.1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := findGit(old); !errors.Is(err, ErrNoGit) || !strings.Contains(err.Error(), "2.20.1") {
		t.Errorf("old git: %v", err)
	}
}

// TestMissingGitFallsBack: a Checker whose git is missing or too old
// fetches the trees with go-git and checks as usual.
func TestMissingGitFallsBack(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Git = filepath.Join(t.TempDir(), "no-git") })
	if e.c.git != nil {
		t.Fatal("a missing git is used")
	}
	if v := e.check(t, e.request(t, "clean")); v.Status != Accepted {
		t.Errorf("verdict %+v", v)
	}
}

// TestSweepTempPacks: what a killed fetch left is removed when prtrack
// next opens the repository; a temporary pack still being written is
// not.
func TestSweepTempPacks(t *testing.T) {
	e := newEnv(t, nil)
	dir := filepath.Join(e.cfg.Repo, "objects", "pack")
	dead, live := filepath.Join(dir, "tmp_pack_dead"), filepath.Join(dir, "tmp_pack_live")
	for _, n := range []string{dead, live} {
		if err := os.WriteFile(n, []byte("PACK"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-3 * time.Hour)
	os.Chtimes(dead, old, old)
	e.c.Close()
	e.c = e.open(t)
	if _, err := os.Stat(dead); err == nil {
		t.Error("the abandoned temporary pack is still there")
	}
	if _, err := os.Stat(live); err != nil {
		t.Error("a fresh temporary pack was removed")
	}
}

// TestFirstUpdateClones: the first update of an empty repository clones
// the first tree with git, then fetches as usual; the refs and the
// accepted index come out as go-git's fetch and walk of the commit
// objects make them, and the clone's work directory is gone.
func TestFirstUpdateClones(t *testing.T) {
	if _, err := findGit(""); err != nil {
		t.Skip(err)
	}
	withGit := newEnv(t, nil)
	plain := withGit.cfg
	plain.Repo, plain.Git = filepath.Join(t.TempDir(), "go-git.git"), "none"
	c, err := New(plain)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.UpdateTrees(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := withGit.c.treeTips()
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.treeTips()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("refs after a clone:\n%v\nafter go-git's fetch:\n%v", got, want)
	}
	if withGit.c.idx.len() != c.idx.len() || c.idx.len() == 0 {
		t.Fatalf("index of %d commits, go-git's %d", withGit.c.idx.len(), c.idx.len())
	}
	for i := range c.idx.len() {
		if a, b := withGit.c.idx.entry(i), c.idx.entry(i); a != b {
			t.Fatalf("entry %d: %+v, go-git's %+v", i, a, b)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(withGit.cfg.Repo, "prtrack", "clone-*")); len(left) > 0 {
		t.Errorf("clone work left: %v", left)
	}
}

// TestExistingCloneKeepsItsPacks points prtrack at a maintainer's clone
// of Linus's tree: updates add what the clone lacks, never rewrite or
// remove its packs, and a second update stores nothing.
func TestExistingCloneKeepsItsPacks(t *testing.T) {
	transports(t, func(t *testing.T, git string) {
		e := newEnv(t, func(c *Config) { c.Git = git })
		clone := filepath.Join(t.TempDir(), "linux.git")
		cmd := exec.Command("git", "clone", "-q", "--bare", "--no-local", filepath.Join(e.k.Root, "linux.git"), clone)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("clone: %v: %s", err, out)
		}
		packsOf := func() map[string]time.Time {
			names, _ := filepath.Glob(filepath.Join(clone, "objects", "pack", "*"))
			m := map[string]time.Time{}
			for _, n := range names {
				if fi, err := os.Stat(n); err == nil {
					m[filepath.Base(n)] = fi.ModTime()
				}
			}
			return m
		}
		before := packsOf()
		e.cfg.Repo = clone
		e.c = e.open(t)
		e.updateTrees(t)
		after := packsOf()
		for n, mt := range before {
			if got, ok := after[n]; !ok || !got.Equal(mt) {
				t.Errorf("the clone's %s was rewritten or removed", n)
			}
		}
		stored, distinct := storedObjects(t, clone)
		if stored != distinct {
			t.Errorf("%d objects stored for %d distinct ones", stored, distinct)
		}
		e.updateTrees(t)
		if again, _ := storedObjects(t, clone); again != stored {
			t.Errorf("a second update stored %d objects", again-stored)
		}
		if v := e.check(t, e.request(t, "clean")); v.Status != Accepted {
			t.Errorf("verdict %+v", v)
		}
	})
}
