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
