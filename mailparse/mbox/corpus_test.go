package mbox

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// corpusDir is /work/shared/corpus seen from this package.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

// openCorpus opens a gzip-compressed corpus mbox, skipping the test
// when the corpus is absent.
func openCorpus(tb testing.TB, name string) io.Reader {
	tb.Helper()
	f, err := os.Open(filepath.Join(corpusDir, name))
	if errors.Is(err, os.ErrNotExist) {
		tb.Skipf("corpus file %s absent (expected in ../shared/corpus beside the project)", name)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	return zr
}

func TestCorpus(t *testing.T) {
	for name, want := range map[string]int{
		"linux-rdma-2022.mbox.gz": 7105,
		"pulls-2019-2023.mbox.gz": 470,
	} {
		t.Run(name, func(t *testing.T) {
			r := NewReader(openCorpus(t, name), nil)
			count := 0
			var end int64
			for {
				m, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("message %d: %v", count, err)
				}
				if m.Index != count || m.Offset != end {
					t.Fatalf("message %d: Index %d Offset %d, want Offset %d", count, m.Index, m.Offset, end)
				}
				if bytes.HasPrefix(m.Raw, []byte("From ")) || !bytes.Contains(m.Raw, []byte("Message-ID")) && !bytes.Contains(m.Raw, []byte("Message-Id")) {
					t.Errorf("message %d at byte %d does not look like a message: %.80q", m.Index, m.Offset, m.Raw)
				}
				end = m.End
				count++
			}
			if count != want {
				t.Errorf("read %d messages, want %d", count, want)
			}
		})
	}
}

// BenchmarkReader reads the 2022 corpus, decompressed into memory once.
func BenchmarkReader(b *testing.B) {
	data, err := io.ReadAll(openCorpus(b, "linux-rdma-2022.mbox.gz"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	msgs := 0
	for b.Loop() {
		r := NewReader(bytes.NewReader(data), nil)
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			msgs++
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(msgs), "allocs/msg")
}
