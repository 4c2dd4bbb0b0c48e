package gitcheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

// treesFixture is an upstream of n commits with tags (the "linus" tree)
// and a net-next tree 50 commits ahead of it, served by git daemon.
type treesFixture struct {
	srv          *gitfixture.Server
	linus, netNx string
}

func loadTreesFixture(b *testing.B, n int) *treesFixture {
	b.Helper()
	if benchDir == "" {
		if benchDir = os.Getenv("PRTRACK_BENCH_DIR"); benchDir == "" {
			d, err := os.MkdirTemp("", "prtrack-bench-")
			if err != nil {
				b.Fatal(err)
			}
			benchDir = d
		}
	}
	f := &treesFixture{linus: fmt.Sprintf("trees-%d-linus.git", n), netNx: fmt.Sprintf("trees-%d-netnext.git", n)}
	if _, err := os.Stat(filepath.Join(benchDir, f.netNx, "refs", "heads", "driver")); err != nil {
		l, err := gitfixture.BuildLinear(context.Background(), filepath.Join(benchDir, f.linus),
			gitfixture.LinearOptions{Commits: n, DriverRepo: filepath.Join(benchDir, f.netNx)})
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "fast-import of %d commits: %v\n", n, l.BuildTime)
	}
	srv, err := gitfixture.Serve(benchDir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	f.srv = srv
	return f
}

func (f *treesFixture) trees() []Tree {
	return []Tree{
		{Name: "linus", URL: f.srv.RepoURL(f.linus), Refs: []string{"master", "refs/tags/v*"}},
		{Name: "net-next", URL: f.srv.RepoURL(f.netNx), Refs: []string{"driver"}},
	}
}

// BenchmarkTreesUpdateFresh is a first "prtrack trees update" of two
// trees sharing an upstream of PRTRACK_BENCH_COMMITS commits (default
// 1M) into an empty repository, in a fresh process, against git
// fetching the same refs into one repository, one fetch per tree. A
// second update, with nothing new, is timed on its own.
func BenchmarkTreesUpdateFresh(b *testing.B) {
	requireDaemon(b)
	n := benchCommits()
	f := loadTreesFixture(b, n)
	work := b.TempDir()
	var pr, git, again side
	var prPacks, gitPacks int
	var prBytes, gitBytes int64
	for i := 0; i < b.N; i++ {
		repo := filepath.Join(work, "prtrack.git")
		os.RemoveAll(repo)
		// PRTRACK_BENCH_GIT=none measures the go-git fallback.
		cfg := Config{Repo: repo, Hosts: []string{"127.0.0.1"}, Trees: f.trees(), Git: os.Getenv("PRTRACK_BENCH_GIT")}
		_, s := runChild(b, childJob{Job: "trees", Config: cfg})
		pr.add(s)
		_, s = runChild(b, childJob{Job: "trees", Config: cfg})
		again.add(s)
		prPacks, prBytes = packStats(b, repo)

		gdir := filepath.Join(work, "git.git")
		os.RemoveAll(gdir)
		if out, err := gitCmd(work, nil, "init", "-q", "--bare", gdir); err != nil {
			b.Fatalf("init: %v: %s", err, out)
		}
		for _, t := range f.trees() {
			args := []string{"fetch", "-q", "--no-tags", "--no-auto-maintenance", "--no-write-commit-graph", t.URL}
			for _, r := range t.Refs {
				full := fullRef(r)
				args = append(args, "+"+full+":"+treeRefPrefix(t.Name)+strings.TrimPrefix(full, "refs/"))
			}
			_, s := runGitSide(b, gdir, "", args...)
			git.add(s)
		}
		gitPacks, gitBytes = packStats(b, gdir)
	}
	report(b, pr, git, b.N)
	b.ReportMetric(again.wall.Seconds()/float64(b.N), "prtrack-again-s/op")
	b.ReportMetric(float64(prPacks), "prtrack-packs")
	b.ReportMetric(float64(gitPacks), "git-packs")
	b.ReportMetric(float64(prBytes)/(1<<20), "prtrack-pack-MB")
	b.ReportMetric(float64(gitBytes)/(1<<20), "git-pack-MB")
}

func packStats(b *testing.B, dir string) (int, int64) {
	var size int64
	names := packs(b, dir)
	n := 0
	for _, p := range names {
		if strings.HasSuffix(p, ".pack") {
			n++
			if fi, err := os.Stat(p); err == nil {
				size += fi.Size()
			}
		}
	}
	return n, size
}

// BenchmarkExistingCloneFresh points prtrack at a maintainer's bare
// clone of the upstream (PRTRACK_BENCH_COMMITS commits): the first
// "trees update" (which writes the commit-graph and the accepted index
// once) is reported apart; each iteration is a later update with nothing
// new, in a fresh process, against git fetching the same refs. The
// clone's packs must be left as they were.
func BenchmarkExistingCloneFresh(b *testing.B) {
	requireDaemon(b)
	n := benchCommits()
	f := loadTreesFixture(b, n)
	clone := filepath.Join(b.TempDir(), "linux.git")
	if out, err := gitCmd(benchDir, nil, "clone", "-q", "--bare", "--no-local", filepath.Join(benchDir, f.linus), clone); err != nil {
		b.Fatalf("clone: %v: %s", err, out)
	}
	before, _ := filepath.Glob(filepath.Join(clone, "objects", "pack", "pack-*"))
	cfg := Config{Repo: clone, Hosts: []string{"127.0.0.1"}, Trees: f.trees()}
	_, first := runChild(b, childJob{Job: "trees", Config: cfg})
	var pr, git side
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, s := runChild(b, childJob{Job: "trees", Config: cfg})
		pr.add(s)
		for _, t := range f.trees() {
			args := []string{"fetch", "-q", "--no-tags", "--prune", "--no-auto-maintenance", "--no-write-commit-graph", t.URL}
			for _, r := range t.Refs {
				full := fullRef(r)
				args = append(args, "+"+full+":"+treeRefPrefix(t.Name)+strings.TrimPrefix(full, "refs/"))
			}
			_, s := runGitSide(b, clone, "", args...)
			git.add(s)
		}
	}
	b.StopTimer()
	kept := 0
	for _, p := range before {
		if _, err := os.Stat(p); err == nil {
			kept++
		}
	}
	if kept != len(before) {
		b.Fatalf("%d of the clone's %d pack files are gone", len(before)-kept, len(before))
	}
	report(b, pr, git, b.N)
	b.ReportMetric(first.wall.Seconds(), "prtrack-first-s")
	b.ReportMetric(float64(first.kb)/1024, "prtrack-first-peak-MB")
	b.ReportMetric(float64(len(before)-kept), "clone-packs-rewritten")
}
