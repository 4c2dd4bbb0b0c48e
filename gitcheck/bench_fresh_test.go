package gitcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/mailparse"
)

// Fresh-process benchmarks: the prtrack side runs in a child process
// (this test binary, re-run with PRTRACK_BENCH_CHILD set) that opens
// the repository, does one job the way "prtrack trees update" or
// "prtrack check ID" does and exits; the git side runs the git commands
// answering the same questions. Both sides are measured by wall time
// and by the peak resident memory of the process tree.

// childJob is what the parent asks the child to do.
type childJob struct {
	Job    string                 `json:"job"` // "trees" or "check"
	Config Config                 `json:"config"`
	PR     *mailparse.PullRequest `json:"pr,omitempty"`
}

// childReport is what the child prints.
type childReport struct {
	Status   string `json:"status"`
	Commits  int    `json:"commits"`
	Tags     int    `json:"tags"`
	SelfKB   int64  `json:"self_kb"`     // the child's own peak RSS
	ChildKB  int64  `json:"children_kb"` // its largest subprocess's (git fetch)
	Failures []string
}

// runChildJob runs in the child; it reports whether it was one.
func runChildJob() bool {
	spec := os.Getenv("PRTRACK_BENCH_CHILD")
	if spec == "" {
		return false
	}
	var job childJob
	if err := json.Unmarshal([]byte(spec), &job); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	if os.Getenv("PRTRACK_BENCH_LOG") != "" {
		job.Config.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if p := os.Getenv("PRTRACK_BENCH_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	rep, err := job.run(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	rep.SelfKB = vmHWM() >> 10
	if os.Getenv("PRTRACK_BENCH_LOG") != "" {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		st, _ := os.ReadFile("/proc/self/status")
		for _, l := range strings.Split(string(st), "\n") {
			if strings.HasPrefix(l, "Rss") || strings.HasPrefix(l, "VmHWM") {
				fmt.Fprintln(os.Stderr, l)
			}
		}
		fmt.Fprintf(os.Stderr, "heap: sys %d MB, max in use ~%d MB, total allocated %d MB\n",
			ms.HeapSys>>20, ms.HeapInuse>>20, ms.TotalAlloc>>20)
		if p := os.Getenv("PRTRACK_BENCH_MEMPROFILE"); p != "" {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru) == nil {
		rep.ChildKB = ru.Maxrss
	}
	json.NewEncoder(os.Stdout).Encode(rep)
	return true
}

func (job *childJob) run(ctx context.Context) (*childReport, error) {
	stage := func(what string) {
		if os.Getenv("PRTRACK_BENCH_LOG") != "" {
			st, _ := os.ReadFile("/proc/self/status")
			var rss []string
			for _, l := range strings.Split(string(st), "\n") {
				if strings.HasPrefix(l, "RssAnon") || strings.HasPrefix(l, "RssFile") {
					rss = append(rss, strings.Join(strings.Fields(l), " "))
				}
			}
			fmt.Fprintf(os.Stderr, "%s: peak RSS %d MB, %s\n", what, vmHWM()>>20, strings.Join(rss, ", "))
		}
	}
	c, err := New(job.Config)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	defer stage("done")
	stage("opened")
	rep := &childReport{}
	switch job.Job {
	case "trees":
		ups, err := c.UpdateTrees(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range ups {
			if u.Error != "" {
				rep.Failures = append(rep.Failures, u.Tree+": "+u.Error)
			}
		}
	case "check":
		tags, err := c.ReleaseTags() // prtrack check reads them for the merge window
		if err != nil {
			return nil, err
		}
		rep.Tags = len(tags)
		stage("release tags read")
		v, err := c.Check(ctx, "bench", job.PR)
		if err != nil {
			return nil, err
		}
		rep.Status, rep.Commits = string(v.Status), len(v.Commits)
	}
	return rep, nil
}

// side is one measured run: wall time and peak RSS of the process tree.
type side struct {
	wall time.Duration
	kb   int64
}

func (s *side) add(o side) { s.wall += o.wall; s.kb = max(s.kb, o.kb) }

// runChild runs job in a fresh process.
func runChild(b *testing.B, job childJob) (childReport, side) {
	b.Helper()
	spec, err := json.Marshal(job)
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PRTRACK_BENCH_CHILD="+string(spec))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	sampled, err := runSampled(cmd)
	if err != nil {
		b.Fatalf("child %s: %v: %s", job.Job, err, errb.String())
	}
	wall := time.Since(start)
	var rep childReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		b.Fatalf("child %s said %q: %v", job.Job, out.String(), err)
	}
	if len(rep.Failures) > 0 {
		b.Fatalf("child %s: %v", job.Job, rep.Failures)
	}
	if os.Getenv("PRTRACK_BENCH_LOG") != "" {
		b.Logf("child %s (%v, self %d MB, subprocess %d MB):\n%s", job.Job, wall, rep.SelfKB>>10, rep.ChildKB>>10, errb.String())
	}
	return rep, side{wall, max(sampled, rep.SelfKB, rep.ChildKB)}
}

// runGitSide runs one git command, measured like a child.
func runGitSide(b *testing.B, dir string, stdin string, args ...string) (string, side) {
	b.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	sampled, err := runSampled(cmd)
	if err != nil {
		b.Fatalf("git %v: %v: %s", args, err, errb.String())
	}
	wall := time.Since(start)
	return out.String(), side{wall, max(sampled, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)}
}

func report(b *testing.B, pr, git side, n int) {
	b.ReportMetric(pr.wall.Seconds()/float64(n), "prtrack-s/op")
	b.ReportMetric(git.wall.Seconds()/float64(n), "git-s/op")
	b.ReportMetric(float64(pr.wall)/float64(git.wall), "prtrack/git")
	b.ReportMetric(float64(pr.kb)/1024, "prtrack-peak-MB")
	b.ReportMetric(float64(git.kb)/1024, "git-peak-MB")
	b.ReportMetric(float64(pr.kb)/float64(git.kb), "peak-prtrack/git")
}

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
		if rep.Status != string(Accepted) || rep.Commits != 50 || rep.Tags == 0 {
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

// runSampled runs cmd and returns the largest resident size, in KiB,
// of its process tree (cmd and its running descendants together),
// sampled every 20 ms: a child's own peak and its subprocesses' peak
// may or may not overlap in time.
func runSampled(cmd *exec.Cmd) (int64, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan struct{})
	peak := make(chan int64, 1)
	go func() {
		var top int64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			top = max(top, treeRSS(cmd.Process.Pid))
			select {
			case <-done:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	return <-peak, err
}

// treeRSS sums VmRSS (KiB) over pid and its descendants.
func treeRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	var kb int64
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ = strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid)) // any thread may fork
	for _, t := range tasks {
		kids, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(kids)) {
			if c, err := strconv.Atoi(f); err == nil {
				kb += treeRSS(c)
			}
		}
	}
	return kb
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
