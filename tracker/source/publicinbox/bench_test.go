//go:build unix

package publicinbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prtrack/prtrack/tracker"
	"github.com/prtrack/prtrack/tracker/ingest"
	"github.com/prtrack/prtrack/tracker/source/sourcetest"
)

// BenchmarkReadEpoch compares reading every message of a v2 epoch built
// from a year of linux-rdma (7,105 messages) through the Source with
// git cat-file --batch dumping the same blobs. The two alternate within
// each iteration so that they share the machine's load; it reports both
// rates and the ratios of wall and CPU time (source / cat-file). Run
// with go test -run XXX -bench ReadEpoch ./tracker/source/publicinbox/
func BenchmarkReadEpoch(b *testing.B) {
	msgs := sourcetest.CorpusMessages(b, "linux-rdma-2022.mbox.gz", 0)
	dir := filepath.Join(b.TempDir(), "0.git")
	sourcetest.InitEpoch(b, dir)
	sourcetest.AppendEpoch(b, dir, sourcetest.MessageCommits(msgs))
	blobs := mBlobs(b, dir)
	if len(blobs) != len(msgs) {
		b.Fatalf("epoch holds %d blobs, want %d", len(blobs), len(msgs))
	}
	for _, workers := range []int{0, 1} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var src, dump measure
			for b.Loop() {
				src.add(syscall.RUSAGE_SELF, func() { readEpoch(b, dir, len(msgs), &Options{Workers: workers}) })
				dump.add(syscall.RUSAGE_CHILDREN, func() { dumpBlobs(b, dir, blobs) })
			}
			n := float64(len(msgs) * b.N)
			b.ReportMetric(n/src.wall.Seconds(), "source-msgs/s")
			b.ReportMetric(n/dump.wall.Seconds(), "catfile-msgs/s")
			b.ReportMetric(src.wall.Seconds()/dump.wall.Seconds(), "wall-ratio")
			b.ReportMetric(src.cpu.Seconds()/dump.cpu.Seconds(), "cpu-ratio")
		})
	}
}

// BenchmarkIngestEpoch is the whole first run of prtrack on the same
// epoch: read every message, skip duplicates, find the pull requests
// and replies, record everything in a new bbolt database, side by side
// with git cat-file --batch merely dumping the blobs. Run with
// go test -run XXX -bench IngestEpoch ./tracker/source/publicinbox/
func BenchmarkIngestEpoch(b *testing.B) {
	msgs := sourcetest.CorpusMessages(b, "linux-rdma-2022.mbox.gz", 0)
	dir := filepath.Join(b.TempDir(), "0.git")
	sourcetest.InitEpoch(b, dir)
	sourcetest.AppendEpoch(b, dir, sourcetest.MessageCommits(msgs))
	blobs := mBlobs(b, dir)
	var full, dump measure
	for i := 0; b.Loop(); i++ {
		full.add(syscall.RUSAGE_SELF, func() { ingestEpoch(b, dir, filepath.Join(b.TempDir(), fmt.Sprint("db", i)), len(msgs)) })
		dump.add(syscall.RUSAGE_CHILDREN, func() { dumpBlobs(b, dir, blobs) })
	}
	n := float64(len(msgs) * b.N)
	b.ReportMetric(n/full.wall.Seconds(), "ingest-msgs/s")
	b.ReportMetric(n/dump.wall.Seconds(), "catfile-msgs/s")
	b.ReportMetric(full.wall.Seconds()/dump.wall.Seconds(), "wall-ratio")
	b.ReportMetric(full.cpu.Seconds()/dump.cpu.Seconds(), "cpu-ratio")
}

func ingestEpoch(b *testing.B, dir, db string, want int) {
	ctx := context.Background()
	st, err := tracker.Open(db, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	src, err := Open(ctx, dir, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	stats, err := ingest.Run(ctx, st, src, nil)
	if err != nil || stats.Read != want {
		b.Fatalf("ingest: %+v, %v", stats, err)
	}
}

// measure sums the wall and CPU time of runs.
type measure struct{ wall, cpu time.Duration }

// add runs f, counting the CPU time of who (this process, or its
// waited-for children).
func (m *measure) add(who int, f func()) {
	c0, t0 := cpuTime(who), time.Now()
	f()
	m.wall += time.Since(t0)
	m.cpu += cpuTime(who) - c0
}

func cpuTime(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
	out, err := exec.Command("git", "--git-dir", dir, "log", "--reverse", "--format=%H:m").Output()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("git", "--git-dir", dir, "cat-file", "--batch-check=%(objectname)")
	cmd.Stdin = bytes.NewReader(out)
	ids, err := cmd.Output()
	if err != nil {
		b.Fatal(err)
	}
	return strings.Fields(string(ids))
}

// dumpBlobs dumps the blobs with one git cat-file --batch.
func dumpBlobs(b *testing.B, dir string, blobs []string) {
	cmd := exec.Command("git", "--git-dir", dir, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(strings.Join(blobs, "\n") + "\n")
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
