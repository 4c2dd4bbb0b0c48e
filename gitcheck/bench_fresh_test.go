package gitcheck

import (
	"path/filepath"
	"testing"
)

// BenchmarkCheckFresh is "prtrack check" of one 50-commit pull request
// in a fresh process (open the repository and the accepted index, read
// the release tags, list and fetch the branch over git://, judge it) on
// the upstream of PRTRACK_BENCH_COMMITS commits, against git fetch,
// for-each-ref of the tags, rev-list and diff-tree --stdin.
func BenchmarkCheckFresh(b *testing.B) {
	requireDaemon(b)
	f := loadLinear(b, benchCommits())
	dir, baseline := f.coldCopy(b)
	cfg := f.cfg
	cfg.Repo = dir
	f.release()
	var pr, git side
	for i := 0; i < b.N; i++ {
		rep, s := runChild(b, childJob{Job: "check", Config: cfg, PR: f.pr})
		if rep.Status != string(Accepted) || rep.Commits != 50 || rep.Tags == 0 && benchCommits() >= 20000 {
			b.Fatalf("child verdict %+v", rep)
		}
		pr.add(s)
		forget(b, dir, baseline)

		_, s = runGitSide(b, dir, "", "fetch", "-q", "--no-auto-maintenance", "--no-write-commit-graph",
			f.pr.URL, "+refs/heads/driver:refs/prtrack/bench/heads/driver")
		g := s
		_, s = runGitSide(b, dir, "", "for-each-ref", "--format=%(refname) %(creatordate:unix)", "refs/trees/linus/tags/")
		g.add(s)
		revs, s := runGitSide(b, dir, "", "rev-list", f.tip.String(), "--not", "--glob=refs/trees/*")
		g.add(s)
		_, s = runGitSide(b, dir, revs, "diff-tree", "-r", "--name-only", "--stdin")
		g.add(s)
		git.add(g)
		forget(b, dir, baseline)
	}
	report(b, pr, git, b.N)
}

// coldCopy copies the fixture's upstream into a repository of the
// benchmark's own, with its commit-graph and accepted index, and
// returns it and its pack files.
func (f *linearFixture) coldCopy(b *testing.B) (string, []string) {
	dir := filepath.Join(b.TempDir(), "upstream.git")
	if out, err := gitCmd(benchDir, nil, "clone", "-q", "--bare", "--no-local", f.l.Dir, dir); err != nil {
		b.Fatalf("clone: %v: %s", err, out)
	}
	if out, err := gitCmd(dir, nil, "fetch", "-q", f.l.Dir, "+refs/trees/*:refs/trees/*"); err != nil {
		b.Fatalf("fetch trees: %v: %s", err, out)
	}
	copyFile(b, indexPath(f.l.Dir), indexPath(dir))
	if out, err := gitCmd(dir, nil, "commit-graph", "write", "--reachable"); err != nil {
		b.Fatalf("commit-graph: %v: %s", err, out)
	}
	return dir, packs(b, dir)
}
