package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/prtrack/prtrack/mailparse/source/mboxsrc"
	"github.com/prtrack/prtrack/tracker"
)

var midHeader = regexp.MustCompile(`(?im)^(message-id:\s*<)`)

// BenchmarkIngest2022 ingests the uncompressed 2022 linux-rdma archive
// (74 MB, 7,105 messages) into a new database per iteration, then the
// same year repeated four times under fresh Message-IDs (300 MB). It
// reports MB/s of mbox, messages/s, and the process's peak resident
// memory after each size: the peak must not grow with the file.
//
//	go test -run '^$' -bench Ingest2022 -benchtime 3x ./tracker/ingest
func BenchmarkIngest2022(b *testing.B) {
	skipWithoutCorpus(b)
	year := gunzip(b, corpus2022)
	size := len(year)
	dir := b.TempDir()
	for _, copies := range []int{1, 4} {
		writeCopies(b, filepath.Join(dir, fmt.Sprintf("x%d.mbox", copies)), year, copies)
	}
	year = nil // measure the ingest's memory, not the benchmark's
	for _, copies := range []int{1, 4} {
		b.Run(fmt.Sprintf("copies=%d", copies), func(b *testing.B) {
			path := filepath.Join(dir, fmt.Sprintf("x%d.mbox", copies))
			b.SetBytes(int64(size * copies))
			peak := sampleHeap()
			msgs := 0
			for i := 0; b.Loop(); i++ {
				msgs += benchIngestOnce(b, path, filepath.Join(dir, fmt.Sprintf("db-%d-%d", copies, i)))
			}
			b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(peak(), "peak-heap-MB")
		})
	}
}

func writeCopies(b *testing.B, path string, year []byte, copies int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for c := range copies {
		if c == 0 {
			w.Write(year)
			continue
		}
		// Give each copy its own Message-IDs so nothing is a duplicate.
		rest := year
		for len(rest) > 0 {
			loc := midHeader.FindIndex(rest[:min(len(rest), 1<<20)])
			if loc == nil {
				n := max(0, min(len(rest), 1<<20)-64)
				if n == 0 {
					n = len(rest)
				}
				w.Write(rest[:n])
				rest = rest[n:]
				continue
			}
			w.Write(rest[:loc[1]])
			w.WriteString("copy" + strconv.Itoa(c) + ".")
			rest = rest[loc[1]:]
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
}

func benchIngestOnce(b *testing.B, path, db string) int {
	st, err := tracker.Open(db, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	src, err := mboxsrc.Open(context.Background(), path, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	s, err := Run(context.Background(), st, src, nil)
	if err != nil {
		b.Fatal(err)
	}
	return s.Read
}

// sampleHeap samples the live Go heap every 10 ms until the returned
// function is called, which stops sampling and gives the peak in MB.
// (The benchmark's own copy of the year stays out: it is allocated
// before sampling starts and counted as the baseline.)
func sampleHeap() func() float64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	baseline := ms.HeapInuse
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				result <- peak
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > baseline && ms.HeapInuse-baseline > peak {
					peak = ms.HeapInuse - baseline
				}
			}
		}
	}()
	return func() float64 {
		close(done)
		return float64(<-result) / (1 << 20)
	}
}
