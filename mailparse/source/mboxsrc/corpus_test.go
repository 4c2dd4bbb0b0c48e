package mboxsrc

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/mailparse/mbox"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// TestCorpusSameAsFixtureReader compares the messages with those of the
// independent mboxrd splitter of package sourcetest.
func TestCorpusSameAsFixtureReader(t *testing.T) {
	path := sourcetest.CorpusFile(t, "pulls-2019-2023.mbox.gz")
	want := sourcetest.CorpusMessages(t, "pulls-2019-2023.mbox.gz", 0)
	got := readAll(t, open(t, path, nil, nil))
	if len(got.items) != len(want) || len(got.errs) != 0 {
		t.Fatalf("read %d messages and %d errors, want %d and 0", len(got.items), len(got.errs), len(want))
	}
	for i, it := range got.items {
		if !bytes.Equal(it.Raw, want[i]) {
			t.Errorf("%s differs from the fixture reader", it.Where)
		}
	}
}

func TestCorpusResume(t *testing.T) {
	path := sourcetest.CorpusFile(t, "pulls-2019-2023.mbox.gz")
	s := open(t, path, nil, nil)
	var ck []byte
	for range 100 {
		it, err := s.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ck = it.Checkpoint
	}
	rest := readAll(t, s)
	if len(rest.items) != 370 || len(rest.errs) != 0 {
		t.Fatalf("read %d more messages and %d errors, want 370 and 0", len(rest.items), len(rest.errs))
	}
	s = open(t, path, ck, nil)
	if mode, _ := s.Mode(); mode != Resumed {
		t.Errorf("Mode() = %v, want resumed", mode)
	}
	again := readAll(t, s)
	if len(again.items) != 370 || string(again.items[369].Raw) != string(rest.items[369].Raw) {
		t.Errorf("resumed read gave %d messages, want the same 370", len(again.items))
	}
}

// BenchmarkSource reads the 2022 corpus through a Source (splitting,
// checkpoints), gzip-compressed as served and decompressed beforehand.
func BenchmarkSource(b *testing.B) {
	gz := sourcetest.CorpusFile(b, "linux-rdma-2022.mbox.gz")
	b.Run("gzip", func(b *testing.B) { benchmarkSource(b, gz) })
	b.Run("plain", func(b *testing.B) {
		msgs := sourcetest.CorpusMessages(b, "linux-rdma-2022.mbox.gz", 0)
		var buf bytes.Buffer
		w := mbox.NewWriter(&buf)
		for _, m := range msgs {
			w.WriteMessage(m)
		}
		w.Flush()
		path := filepath.Join(b.TempDir(), "2022.mbox")
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			b.Fatal(err)
		}
		benchmarkSource(b, path)
	})
}

func benchmarkSource(b *testing.B, path string) {
	ctx := context.Background()
	var size int64
	msgs := 0
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(ctx, path, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		for {
			it, err := s.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			size += int64(len(it.Raw))
			msgs++
		}
		s.Close()
	}
	b.ReportMetric(float64(size)/1e6/b.Elapsed().Seconds(), "MB/s")
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}
