package volatile

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitfixture"
)

// childRequest is what the benchmark asks a child process to build.
type childRequest struct {
	Repo   string  `json:"repo"`
	Inputs []Input `json:"inputs"`
	Jobs   int     `json:"jobs"`
	Out    string  `json:"out"` // where the child writes its childAnswer
}

type childAnswer struct {
	Result *Result                  `json:"result"`
	Phases map[string]time.Duration `json:"phases"`
	Err    string                   `json:"err,omitempty"`
}

// TestBenchChild is the child process of BenchmarkKernel: a fresh
// process that rebuilds the volatile tree, as "prtrack volatile" does.
// It does nothing unless PRTRACK_VOLATILE_CHILD names a request.
func TestBenchChild(t *testing.T) {
	path := os.Getenv("PRTRACK_VOLATILE_CHILD")
	if path == "" {
		t.Skip("the benchmark's child process")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var req childRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	var ans childAnswer
	ans.Phases = map[string]time.Duration{}
	o := Options{Repo: req.Repo, Jobs: req.Jobs, phase: func(name string, d time.Duration) { ans.Phases[name] = d }}
	if ans.Result, err = Build(context.Background(), o, req.Inputs); err != nil {
		ans.Err = err.Error()
	}
	raw, _ = json.Marshal(ans)
	if err := os.WriteFile(req.Out, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// kernelBench is the fixture and scratch space of BenchmarkKernel.
type kernelBench struct {
	v       *gitfixture.Volatile
	work    string
	inputs  []Input
	changed []Input // inputs with one pull request's tip moved on
}

func kernelCommits() int {
	if n, err := strconv.Atoi(os.Getenv("PRTRACK_BENCH_COMMITS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// loadKernel builds the kernel-sized volatile fixture, or loads it from
// PRTRACK_VOLATILE_BENCH_DIR when an earlier run left it there.
func loadKernel(b *testing.B) *kernelBench {
	ctx := context.Background()
	dir := os.Getenv("PRTRACK_VOLATILE_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	n := kernelCommits()
	start := time.Now()
	v, err := gitfixture.BuildVolatileKernel(ctx, filepath.Join(dir, fmt.Sprintf("volatile-%d.git", n)),
		gitfixture.VolatileKernelOptions{Commits: n})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("fixture of %d upstream commits and %d pull requests ready in %v", n, len(v.Pending), time.Since(start))
	k := &kernelBench{v: v, work: b.TempDir()}
	for _, p := range v.Pending {
		k.inputs = append(k.inputs, Input{ID: p.ID, MessageID: fmt.Sprintf("pr%d@example.org", p.ID), Tip: p.Tip,
			Subject: p.Subject, Window: "v6.10"})
	}
	// One pull request sent again with one more commit: the same tree,
	// a new tip, so every merge with it is new.
	old := k.inputs[4].Tip
	out, err := v.Git(ctx, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit-tree", "-p", old, "-m", "v2", old+"^{tree}")
	if err != nil {
		b.Fatal(err)
	}
	k.changed = append([]Input(nil), k.inputs...)
	k.changed[4].Tip = strings.TrimSpace(out)
	return k
}

// child runs one rebuild in a fresh process and returns how long the
// process took and what it answered.
func (k *kernelBench) child(b *testing.B, in []Input, jobs int) (time.Duration, *childAnswer) {
	req := childRequest{Repo: k.v.Dir, Inputs: in, Jobs: jobs, Out: filepath.Join(k.work, "answer.json")}
	raw, _ := json.Marshal(req)
	path := filepath.Join(k.work, "request.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PRTRACK_VOLATILE_CHILD="+path)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("child: %v: %s", err, out)
	}
	d := time.Since(start)
	var ans childAnswer
	raw, err := os.ReadFile(req.Out)
	if err == nil {
		err = json.Unmarshal(raw, &ans)
	}
	if err != nil || ans.Err != "" {
		b.Fatalf("child: %v %s", err, ans.Err)
	}
	return d, &ans
}

// The shell loop: the same merges with the git CLI, one process each.
// soloScript merges each tip onto the base and lists those that merge
// with their trees; pairsScript records base + A for each and merges
// every later B onto it; sequenceScript merges them one after the
// other, the first with the tree the solo merge wrote.
const (
	loopEnv = `export GIT_DIR="$1" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=loop GIT_AUTHOR_EMAIL=loop@example.org GIT_AUTHOR_DATE="1700000000 +0000"
export GIT_COMMITTER_NAME=loop GIT_COMMITTER_EMAIL=loop@example.org GIT_COMMITTER_DATE="1700000000 +0000"
base=$2 work=$3
shift 3
`
	soloScript = loopEnv + `: > "$work/trees"
for tip in "$@"; do
	if tree=$(git merge-tree --write-tree --name-only --no-messages $base $tip); then
		echo "$tip $tree" >> "$work/trees"
	fi
done
`
	pairsScript = loopEnv + `n=0
while read tip tree; do
	n=$((n+1))
	trial=$(git commit-tree -p $base -p $tip -m trial $tree)
	eval "tip_$n=$tip trial_$n=$trial"
done < "$work/trees"
i=1
while [ $i -le $n ]; do
	j=$((i+1))
	while [ $j -le $n ]; do
		eval "git merge-tree --write-tree --name-only --no-messages \$trial_$i \$tip_$j" > /dev/null
		j=$((j+1))
	done
	i=$((i+1))
done
`
	sequenceScript = loopEnv + `head=$base
while read tip tree; do
	if [ $head = $base ]; then
		out=$tree
	elif ! out=$(git merge-tree --write-tree --name-only --no-messages $head $tip); then
		continue
	fi
	head=$(git commit-tree -p $head -p $tip -m merge $out)
done < "$work/trees"
git rev-parse $head^{tree}
`
)

// loop runs one of the scripts and returns how long it took and what
// it printed.
func (k *kernelBench) loop(b *testing.B, script string, in []Input) (time.Duration, string) {
	args := []string{"-c", script, "loop", k.v.Dir, k.v.Base, k.work}
	for _, p := range in {
		args = append(args, p.Tip)
	}
	cmd := exec.Command("sh", args...)
	start := time.Now()
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("shell loop: %v", err)
	}
	return time.Since(start), strings.TrimSpace(string(out))
}

// BenchmarkKernel rebuilds the volatile tree of 20 pending pull
// requests of 10 to 50 commits on a 1,000,000-commit upstream (a few
// conflicting: two pairs, and one with for-next), each rebuild a fresh
// process as "prtrack volatile" is, side by side with a shell loop
// running the same merges with the git CLI. It reports the full
// rebuild (solo merges, pairwise matrix, the tree) from an empty cache,
// the same with one merge at a time (Options.Jobs 1), the pairwise
// matrix alone (timed inside the process), and the rebuilds after one pull request
// changed and after nothing did, with the merges they ran.
// PRTRACK_VOLATILE_BENCH_DIR keeps the fixture across runs;
// PRTRACK_BENCH_COMMITS makes the upstream smaller.
func BenchmarkKernel(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("needs git")
	}
	k := loadKernel(b)
	cache := filepath.Join(k.v.Dir, CacheFile)
	var fullPr, serialPr, fullLoop, pairsPr, pairsLoop, incr, none time.Duration
	var incrStats, noneStats Stats
	var pairs int
	for b.Loop() {
		os.Remove(cache)
		d, full := k.child(b, k.inputs, 0)
		fullPr += d
		pairsPr += full.Phases["pairs"]
		b.Logf("prtrack phases: %v", full.Phases)
		pairs = full.Result.PairsChecked
		os.Remove(cache)
		d, _ = k.child(b, k.inputs, 1)
		serialPr += d
		solo, _ := k.loop(b, soloScript, k.inputs)
		dp, _ := k.loop(b, pairsScript, k.inputs)
		ds, tree := k.loop(b, sequenceScript, k.inputs)
		fullLoop += solo + dp + ds
		pairsLoop += dp
		if want, err := k.v.Git(context.Background(), "rev-parse", full.Result.Commit+"^{tree}"); err != nil || strings.TrimSpace(want) != tree {
			b.Fatalf("prtrack's tree %s, the shell loop's %s (%v)", want, tree, err)
		}
		d, changed := k.child(b, k.changed, 0)
		incr += d
		incrStats = changed.Result.Stats
		d, same := k.child(b, k.changed, 0)
		none += d
		noneStats = same.Result.Stats
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Milliseconds()) / n }
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ms(fullPr), "full-prtrack-ms")
	b.ReportMetric(ms(fullLoop), "full-loop-ms")
	b.ReportMetric(float64(fullPr)/float64(fullLoop), "full-ratio")
	b.ReportMetric(ms(serialPr), "full-prtrack-jobs1-ms")
	b.ReportMetric(float64(serialPr)/float64(fullLoop), "full-jobs1-ratio")
	b.ReportMetric(ms(pairsPr), "pairs-prtrack-ms")
	b.ReportMetric(ms(pairsLoop), "pairs-loop-ms")
	b.ReportMetric(float64(pairsPr)/float64(pairsLoop), "pairs-ratio")
	b.ReportMetric(float64(pairs), "pairs")
	b.ReportMetric(ms(incr), "one-changed-ms")
	b.ReportMetric(float64(incrStats.Merges), "one-changed-merges")
	b.ReportMetric(float64(incrStats.PairMerges), "one-changed-pair-merges")
	b.ReportMetric(ms(none), "unchanged-ms")
	b.ReportMetric(float64(noneStats.Merges), "unchanged-merges")
}
