//go:build unix

package publicinbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// The benchmarks read and mirror a year of linux-rdma (the 2022 corpus,
// 7,105 messages) as a v2 inbox, in two packings, both deltified as
// lore's epochs are:
//
//   - public-inbox: written by public-inbox's own writer
//     (testdata/import-mboxrd.pl; git fast-import stores each message as
//     a delta on the one before, chains of up to 50), or by git
//     fast-import in the same layout when public-inbox is not installed;
//   - repacked: the same after git repack -adf (bases chosen by git,
//     usually the newer object).
//
// PRTRACK_BENCH_COPIES=N imports the year N times (the copies under new
// Message-IDs) for an epoch closer to lore's (66,851 messages in
// linux-rdma's first epoch).
//
// Each side runs as a fresh process, alternating within each iteration
// so that both share the machine's load, and each benchmark reports
// both sides' seconds per run and their ratios (prtrack / git).

// BenchmarkIngestEpoch runs "prtrack ingest --public-inbox" into a new
// database, reading with git cat-file (reader=git) or, with no git on
// its PATH, with go-git (reader=go-git), against git cat-file
// --batch-all-objects --batch dumping every object of the epoch. Run
// with
//
//	flock /work/bench.lock go test -run '^$' -bench IngestEpoch -benchtime 5x ./mailparse/source/publicinbox/
func BenchmarkIngestEpoch(b *testing.B) {
	prtrack := buildPrtrack(b)
	for _, ep := range benchEpochs(b) {
		for _, reader := range []string{"git", "go-git"} {
			b.Run(fmt.Sprintf("pack=%s/reader=%s", ep.name, reader), func(b *testing.B) {
				var ing, dump measure
				for i := 0; b.Loop(); i++ {
					db := filepath.Join(b.TempDir(), "prtrack.db")
					ing.add(func() {
						run(b, childEnv(b, reader), prtrack, "ingest", "--config", "/dev/null", "--db", db, "--public-inbox", ep.inbox)
					})
					dump.add(func() { dumpAll(b, ep.dir) })
				}
				ing.report(b, "ingest", &dump, "catfile")
				b.ReportMetric(float64(ep.msgs), "msgs")
			})
		}
	}
}

// BenchmarkMirror runs "prtrack mirror" of the inbox served by git
// http-backend on 127.0.0.1 into a new directory, with git (reader=git)
// or go-git (no git on its PATH), against git clone --mirror of the
// epoch from the same server. Run with
//
//	flock /work/bench.lock go test -run '^$' -bench Mirror -benchtime 3x ./mailparse/source/publicinbox/
func BenchmarkMirror(b *testing.B) {
	prtrack := buildPrtrack(b)
	for _, ep := range benchEpochs(b) {
		base := sourcetest.ServeInbox(b, ep.inbox)
		for _, reader := range []string{"git", "go-git"} {
			b.Run(fmt.Sprintf("pack=%s/reader=%s", ep.name, reader), func(b *testing.B) {
				var mir, clone measure
				for b.Loop() {
					dir := b.TempDir()
					mir.add(func() { run(b, childEnv(b, reader), prtrack, "mirror", base, filepath.Join(dir, "mirror")) })
					clone.add(func() {
						run(b, childEnv(b, "git"), "git", "clone", "--mirror", "-q", base+"/0", filepath.Join(dir, "clone.git"))
					})
				}
				mir.report(b, "mirror", &clone, "clone")
			})
		}
	}
}

// BenchmarkReadEpoch reads every message through the Source, in this
// process, with git cat-file or go-git, against one git cat-file
// --batch dumping the same blobs in the same order. Run with
//
//	flock /work/bench.lock go test -run '^$' -bench ReadEpoch ./mailparse/source/publicinbox/
func BenchmarkReadEpoch(b *testing.B) {
	for _, ep := range benchEpochs(b) {
		blobs := mBlobs(b, ep.dir)
		for _, m := range bothModes {
			b.Run(fmt.Sprintf("pack=%s/reader=%s", ep.name, m.name), func(b *testing.B) {
				var src, dump measure
				for b.Loop() {
					src.add(func() { readEpoch(b, ep.dir, len(blobs), &Options{Git: m.mode}) })
					dump.add(func() { dumpBlobs(b, ep.dir, blobs) })
				}
				src.report(b, "source", &dump, "catfile")
			})
		}
	}
}

// benchEpoch is an inbox of one epoch for the benchmarks.
type benchEpoch struct {
	name  string
	inbox string // the v2 inbox directory
	dir   string // its epoch git/0.git
	msgs  int
}

// benchEpochs builds the two inboxes and checks that their packs hold
// deltas.
func benchEpochs(b *testing.B) []benchEpoch {
	b.Helper()
	corpus := sourcetest.CorpusFile(b, "linux-rdma-2022.mbox.gz")
	copies := 1
	if v := os.Getenv("PRTRACK_BENCH_COPIES"); v != "" {
		var err error
		if copies, err = strconv.Atoi(v); err != nil || copies < 1 {
			b.Fatalf("PRTRACK_BENCH_COPIES=%q: want a positive number", v)
		}
	}
	top := b.TempDir()
	first := benchEpoch{name: "public-inbox", inbox: filepath.Join(top, "pi")}
	if _, err := exec.LookPath("public-inbox-init"); err == nil {
		importReal(b, first.inbox, corpus, copies)
	} else {
		b.Logf("public-inbox is not installed: the epoch is written by git fast-import in its layout")
		first.name = "fast-import"
		dir := filepath.Join(first.inbox, "git", "0.git")
		sourcetest.InitEpoch(b, dir)
		msgs := sourcetest.CorpusMessages(b, "linux-rdma-2022.mbox.gz", 0)
		for k := range copies {
			sourcetest.AppendEpoch(b, dir, sourcetest.MessageCommits(renamed(msgs, k)))
		}
	}
	second := benchEpoch{name: "repacked", inbox: filepath.Join(top, "repacked")}
	os.MkdirAll(filepath.Join(second.inbox, "git"), 0o755)
	run(b, nil, "cp", "-a", filepath.Join(first.inbox, "git", "0.git"), filepath.Join(second.inbox, "git"))
	run(b, childEnv(b, "git"), "git", "--git-dir", filepath.Join(second.inbox, "git", "0.git"), "repack", "-adfq")
	epochs := []benchEpoch{first, second}
	for i := range epochs {
		ep := &epochs[i]
		ep.dir = filepath.Join(ep.inbox, "git", "0.git")
		blobs, deltas, packs := packStats(b, ep.dir)
		if deltas == 0 {
			b.Fatalf("%s: none of the %d blobs is a delta", ep.name, blobs)
		}
		ep.msgs = blobs
		b.Logf("%s epoch: %d messages, %d blobs stored as deltas, %d packs", ep.name, blobs, deltas, packs)
	}
	return epochs
}

// messageIDField is the start of a Message-ID field's value.
var messageIDField = regexp.MustCompile(`(?im)^(Message-Id:\s*<)`)

// renamed returns msgs for copy k: from the second on, under new
// Message-IDs <copyK.ID>.
func renamed(msgs [][]byte, k int) [][]byte {
	if k == 0 {
		return msgs
	}
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		out[i] = messageIDField.ReplaceAll(m, []byte("${1}copy"+strconv.Itoa(k)+"."))
	}
	return out
}

// importReal makes a v2 inbox of the corpus, copies times, with
// public-inbox-init and public-inbox's writer.
func importReal(b *testing.B, inbox, corpus string, copies int) {
	home := b.TempDir()
	cfg := filepath.Join(home, "config")
	env := append(os.Environ(), "PI_CONFIG="+cfg, "HOME="+home)
	run(b, env, "public-inbox-init", "-V2", "-L", "basic", "rdma", inbox, "http://example.invalid/rdma", "rdma@example.invalid")
	run(b, env, "git", "config", "-f", cfg, "publicinboxmda.spamcheck", "none")
	script, err := filepath.Abs(filepath.Join("testdata", "import-mboxrd.pl"))
	if err != nil {
		b.Fatal(err)
	}
	run(b, env, "perl", script, corpus, strconv.Itoa(copies))
}

// packStats counts the epoch's blobs, those stored as deltas, and its
// packs.
func packStats(b *testing.B, dir string) (blobs, deltas, packs int) {
	out := run(b, childEnv(b, "git"), "git", "--git-dir", dir, "cat-file", "--batch-all-objects",
		"--batch-check=%(objecttype) %(deltabase)")
	for _, line := range strings.Split(out, "\n") {
		typ, base, _ := strings.Cut(line, " ")
		if typ == "blob" {
			blobs++
			if strings.Trim(base, "0") != "" {
				deltas++
			}
		}
	}
	found, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	return blobs, deltas, len(found)
}

// buildPrtrack builds the command, once per benchmark.
func buildPrtrack(b *testing.B) string {
	b.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		b.Skipf("no go command to build prtrack: %v", err)
	}
	out := filepath.Join(b.TempDir(), "prtrack")
	run(b, nil, "go", "build", "-o", out, "github.com/prtrack/prtrack/cmd/prtrack")
	return out
}

// childEnv is the environment of a child: the reader go-git gets a PATH
// without git.
func childEnv(b *testing.B, reader string) []string {
	env := gitEnv()
	if reader == "go-git" {
		env = append(env, "PATH="+b.TempDir())
	}
	return env
}

// run runs a program to its end, returning its output.
func run(b *testing.B, env []string, name string, args ...string) string {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// measure sums the wall and CPU time of runs. The CPU time is this
// process's and its waited-for children's (git, prtrack, and, for the
// mirror, the git http-backend serving both sides).
type measure struct{ wall, cpu time.Duration }

func (m *measure) add(f func()) {
	c0, t0 := cpuTime(), time.Now()
	f()
	m.wall += time.Since(t0)
	m.cpu += cpuTime() - c0
}

// report gives both sides' seconds per run and the ratios m / git.
func (m *measure) report(b *testing.B, name string, git *measure, gitName string) {
	n := float64(b.N)
	b.ReportMetric(m.wall.Seconds()/n, name+"-s")
	b.ReportMetric(git.wall.Seconds()/n, gitName+"-s")
	b.ReportMetric(m.wall.Seconds()/git.wall.Seconds(), "wall-ratio")
	b.ReportMetric(m.cpu.Seconds()/git.cpu.Seconds(), "cpu-ratio")
}

func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err != nil {
			panic(err)
		}
		total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return total
}

func readEpoch(b *testing.B, dir string, want int, opts *Options) {
	ctx := context.Background()
	src, err := Open(ctx, dir, nil, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	n := 0
	for {
		_, err := src.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n != want {
		b.Fatalf("read %d messages, want %d", n, want)
	}
}

// mBlobs lists the blob of file m in every commit, oldest first.
func mBlobs(b *testing.B, dir string) []string {
	out := run(b, childEnv(b, "git"), "git", "--git-dir", dir, "log", "--reverse", "--format=%H:m")
	cmd := exec.Command("git", "--git-dir", dir, "cat-file", "--batch-check=%(objectname)")
	cmd.Env = childEnv(b, "git")
	cmd.Stdin = strings.NewReader(out)
	ids, err := cmd.Output()
	if err != nil {
		b.Fatal(err)
	}
	return strings.Fields(string(ids))
}

// dumpAll dumps every object of the epoch with git cat-file
// --batch-all-objects --batch.
func dumpAll(b *testing.B, dir string) {
	dump(b, exec.Command("git", "--git-dir", dir, "cat-file", "--batch-all-objects", "--batch"), nil)
}

// dumpBlobs dumps the blobs with one git cat-file --batch.
func dumpBlobs(b *testing.B, dir string, blobs []string) {
	dump(b, exec.Command("git", "--git-dir", dir, "cat-file", "--batch", "--buffer"),
		strings.NewReader(strings.Join(blobs, "\n")+"\n"))
}

// dump runs a git cat-file, reading all it writes.
func dump(b *testing.B, cmd *exec.Cmd, stdin io.Reader) {
	cmd.Env = childEnv(b, "git")
	cmd.Stdin = stdin
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, bufio.NewReaderSize(out, 1<<16)); err != nil {
		b.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		b.Fatal(err)
	}
}
