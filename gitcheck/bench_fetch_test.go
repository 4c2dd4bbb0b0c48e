package gitcheck

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"
	"time"
)

// BenchmarkCheckFetchLinear measures a cold check as "prtrack check" runs
// it: open the repository and the accepted index, list the driver
// repository's refs over git://, fetch the 50 commits and judge them;
// side by side with git fetch, rev-list and diff-tree on a copy of the
// same repository. Each iteration starts without the driver's objects.
func BenchmarkCheckFetchLinear(b *testing.B) {
	requireDaemon(b)
	f := loadLinear(b, benchCommits())
	ctx := context.Background()
	dir, baseline := f.coldCopy(b)
	cfg := f.cfg
	cfg.Repo = dir
	f.release() // measure cold checks alone
	settle()
	var tPr, tGit time.Duration
	var peak int64
	for b.Loop() {
		start := time.Now()
		c, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		v, err := c.Check(ctx, "bench", f.pr)
		if err != nil || v.Status != Accepted || len(v.Commits) != 50 {
			b.Fatalf("verdict %+v, %v", v, err)
		}
		c.Close()
		tPr += time.Since(start)
		peak = max(peak, vmHWM())
		forget(b, dir, baseline)
		b.StopTimer()
		settle() // each iteration stands for one prtrack process
		b.StartTimer()

		start = time.Now()
		if out, err := gitCmd(dir, nil, "fetch", "-q", "--no-auto-maintenance", "--no-write-commit-graph", f.pr.URL, "+refs/heads/driver:refs/prtrack/bench/heads/driver"); err != nil {
			b.Fatalf("git fetch: %v: %s", err, out)
		}
		gitAnswer(b, dir, f.tip)
		tGit += time.Since(start)
		forget(b, dir, baseline)
	}
	b.ReportMetric(float64(tPr.Microseconds())/float64(b.N)/1000, "prtrack-ms/op")
	b.ReportMetric(float64(tGit.Microseconds())/float64(b.N)/1000, "git-ms/op")
	b.ReportMetric(float64(tPr)/float64(tGit), "prtrack/git")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

// settle frees what earlier work left on the heap and restarts peak
// RSS accounting.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
	resetHWM()
}

func packs(b *testing.B, dir string) []string {
	m, err := filepath.Glob(filepath.Join(dir, "objects", "pack", "*"))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// forget removes the packs and refs a fetch added, so that the next
// fetch transfers the same objects again.
func forget(b *testing.B, dir string, baseline []string) {
	for _, p := range packs(b, dir) {
		if !slices.Contains(baseline, p) {
			os.Remove(p)
		}
	}
	os.RemoveAll(filepath.Join(dir, "refs", "prtrack"))
	if out, err := gitCmd(dir, nil, "prune", "--expire=now"); err != nil {
		b.Fatalf("prune: %v: %s", err, out)
	}
}

func copyFile(b *testing.B, from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		b.Fatal(err)
	}
}
