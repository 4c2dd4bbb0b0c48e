package gitcheck

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/mailparse"
)

// benchDir holds fixtures built by benchmarks; TestMain removes it.
var benchDir string

func TestMain(m *testing.M) {
	if runChildJob() {
		os.Exit(0)
	}
	code := m.Run()
	if benchDir != "" && os.Getenv("PRTRACK_BENCH_DIR") == "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

type linearFixture struct {
	l          *gitfixture.Linear
	srv        *gitfixture.Server
	cfg        Config
	c          *Checker
	pr         *mailparse.PullRequest
	tip        plumbing.Hash
	indexBuild time.Duration
	setupPeak  int64
}

var (
	linearOnce sync.Once
	linear     *linearFixture
	linearErr  error
)

// loadLinear builds (once per process) an upstream of n commits and, in
// a repository of its own served by git daemon, a 50-commit driver
// branch; it writes the upstream's commit-graph, builds the accepted
// index and checks the branch once, which fetches it. PRTRACK_BENCH_DIR
// keeps the repositories across runs.
func loadLinear(b *testing.B, n int) *linearFixture {
	linearOnce.Do(func() { linear, linearErr = buildLinear(n) })
	if linearErr != nil {
		b.Fatal(linearErr)
	}
	return linear
}

func buildLinear(n int) (*linearFixture, error) {
	ctx := context.Background()
	benchDir = os.Getenv("PRTRACK_BENCH_DIR")
	if benchDir == "" {
		d, err := os.MkdirTemp("", "prtrack-bench-")
		if err != nil {
			return nil, err
		}
		benchDir = d
	}
	l, err := linearRepos(ctx, n)
	if err != nil {
		return nil, err
	}
	f := &linearFixture{l: l}
	if f.srv, err = gitfixture.Serve(benchDir); err != nil {
		return nil, err
	}
	f.cfg = Config{Repo: l.Dir, Hosts: []string{"127.0.0.1"}, Trees: []Tree{{Name: "linus",
		URL: "git://example.invalid/linux.git", Refs: []string{"master", "refs/tags/v*"}}}}
	if f.c, err = New(f.cfg); err != nil {
		return nil, err
	}
	how := "built"
	if _, err := os.Stat(indexPath(l.Dir)); err == nil {
		how = "loaded"
	}
	start := time.Now()
	if _, err := f.c.refreshIndex(ctx); err != nil {
		return nil, err
	}
	f.indexBuild = time.Since(start)
	f.setupPeak = vmHWM()
	fmt.Fprintf(os.Stderr, "accepted index of %d commits %s in %v, peak RSS %d MB\n",
		f.c.idx.len(), how, f.indexBuild, f.setupPeak>>20)
	return f, f.fetchOnce(ctx)
}

// linearRepos builds the repositories unless PRTRACK_BENCH_DIR has them.
func linearRepos(ctx context.Context, n int) (*gitfixture.Linear, error) {
	dir := filepath.Join(benchDir, fmt.Sprintf("linear-%d.git", n))
	opts := gitfixture.LinearOptions{Commits: n, RefPrefix: "refs/trees/linus/",
		DriverRepo: filepath.Join(benchDir, fmt.Sprintf("linear-%d-driver.git", n))}
	if _, err := os.Stat(opts.DriverRepo); err == nil {
		return &gitfixture.Linear{Dir: dir, DriverRepo: opts.DriverRepo,
			Upstream: "refs/trees/linus/heads/master", Driver: "refs/heads/driver"}, nil
	}
	l, err := gitfixture.BuildLinear(ctx, dir, opts)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "fast-import of %d commits: %v\n", n, l.BuildTime)
	start := time.Now()
	if out, err := gitCmd(dir, nil, "commit-graph", "write", "--reachable"); err != nil {
		return nil, fmt.Errorf("commit-graph: %v: %s", err, out)
	}
	fmt.Fprintf(os.Stderr, "git commit-graph write: %v\n", time.Since(start))
	return l, nil
}

// fetchOnce checks the driver branch through git daemon, which fetches
// it into the upstream repository for the analysis benchmark.
func (f *linearFixture) fetchOnce(ctx context.Context) error {
	base, err := f.c.st.s.Reference(plumbing.ReferenceName(f.l.Upstream))
	if err != nil {
		return err
	}
	f.pr = &mailparse.PullRequest{URL: f.srv.RepoURL(filepath.Base(f.l.DriverRepo)), Ref: "driver",
		Base: base.Hash().String()}
	v, err := f.c.Check(ctx, "bench", f.pr)
	if err != nil {
		return err
	}
	if v.Status != Accepted || len(v.Commits) != 50 {
		return fmt.Errorf("verdict %+v", v)
	}
	f.tip = plumbing.NewHash(v.Tip)
	f.pr.Tip = v.Tip
	return nil
}

// release closes the fixture's Checker so that its memory can go.
func (f *linearFixture) release() {
	if f.c != nil {
		f.c.Close()
		f.c = nil
	}
}

// open reopens the fixture's Checker after release.
func (f *linearFixture) open() error {
	if f.c != nil {
		return nil
	}
	var err error
	f.c, err = New(f.cfg)
	return err
}

func benchCommits() int {
	if n, err := strconv.Atoi(os.Getenv("PRTRACK_BENCH_COMMITS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkCheckLinear checks a 50-commit driver branch on top of a large
// upstream, side by side with git computing the same answers: rev-list
// of the own commits and diff-tree of each. Set PRTRACK_BENCH_COMMITS for
// a smaller upstream.
func BenchmarkCheckLinear(b *testing.B) {
	requireDaemon(b)
	f := loadLinear(b, benchCommits())
	ctx := context.Background()
	pr := f.pr
	if err := f.open(); err != nil {
		b.Fatal(err)
	}

	want := gitAnswer(b, f.l.Dir, f.tip)
	got := prtrackAnswer(b, f, pr)
	if !slices.Equal(got, want) {
		b.Fatalf("prtrack and git disagree:\n%v\n%v", got, want)
	}
	settle()
	var tPr, tGit time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		v := &Verdict{}
		tips, err := f.c.accepted(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := f.c.judge(ctx, v, pr, &fetched{tip: f.tip}, tips); err != nil {
			b.Fatal(err)
		}
		tPr += time.Since(start)
		start = time.Now()
		gitAnswer(b, f.l.Dir, f.tip)
		tGit += time.Since(start)
	}
	b.ReportMetric(float64(tPr.Microseconds())/float64(b.N)/1000, "prtrack-ms/op")
	b.ReportMetric(float64(tGit.Microseconds())/float64(b.N)/1000, "git-ms/op")
	b.ReportMetric(float64(tPr)/float64(tGit), "prtrack/git")
	b.ReportMetric(float64(vmHWM())/(1<<20), "check-peak-MB")
	b.ReportMetric(float64(f.setupPeak)/(1<<20), "setup-peak-MB")
	b.ReportMetric(f.indexBuild.Seconds(), "index-ready-s")
}

// prtrackAnswer is the check's own commits and their paths, one line per
// commit, as git prints them.
func prtrackAnswer(b *testing.B, f *linearFixture, pr *mailparse.PullRequest) []string {
	v := &Verdict{}
	tips, err := f.c.accepted(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if err := f.c.judge(context.Background(), v, pr, &fetched{tip: f.tip}, tips); err != nil {
		b.Fatal(err)
	}
	if v.Readiness == nil || len(v.Findings) != 0 || len(v.Commits) != 50 {
		b.Fatalf("verdict %+v", v)
	}
	var out []string
	for _, c := range v.Commits {
		out = append(out, c.SHA+" "+strings.Join(c.Paths, " "))
	}
	slices.Sort(out)
	return out
}

// gitAnswer runs git rev-list T --not A, then git diff-tree on each own
// commit.
func gitAnswer(b *testing.B, dir string, tip plumbing.Hash) []string {
	revs, err := gitCmd(dir, nil, "rev-list", tip.String(), "--not", "--glob=refs/trees/*")
	if err != nil {
		b.Fatal(err)
	}
	out, err := gitCmd(dir, strings.NewReader(revs), "diff-tree", "-r", "--name-only", "--stdin")
	if err != nil {
		b.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if len(sc.Text()) == 40 {
			lines = append(lines, sc.Text())
		} else if sc.Text() != "" {
			lines[len(lines)-1] += " " + sc.Text()
		}
	}
	slices.Sort(lines)
	return lines
}

func gitCmd(dir string, stdin *strings.Reader, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// vmHWM returns the process's peak resident set size.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetHWM restarts peak RSS accounting (Linux clear_refs).
func resetHWM() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
