package mailparse_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/mailparse"
	"github.com/prtrack/prtrack/mailparse/mbox"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/corpus-pulls.golden.jsonl from ../shared/corpus")

// corpusDir is the real linux-rdma mail kept beside the project; it is
// not part of the repository, so tests using it skip without it.
var corpusDir = filepath.Join("..", "..", "shared", "corpus")

func openCorpus(t testing.TB, name string) io.Reader {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, name))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("real-mail corpus %s not found beside the project (../shared/corpus); skipping", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// corpusPull is one line of the corpus golden file.
type corpusPull struct {
	MessageID string `json:"message_id"`
	URL       string `json:"url"`
	Ref       string `json:"ref"`
	Base      string `json:"base"`
	Tip       string `json:"tip"`
	Version   int    `json:"version"`
	Files     int    `json:"diffstat_files"`
	Authors   int    `json:"shortlog_authors"`
}

// TestCorpusPullRequests reads the 470 real messages of
// pulls-2019-2023.mbox.gz: exactly the 142 real pull requests must be
// found, with the fields in testdata/corpus-pulls.golden.jsonl, and
// nothing in the 328 near misses.
func TestCorpusPullRequests(t *testing.T) {
	r := mbox.NewReader(openCorpus(t, "pulls-2019-2023.mbox.gz"), nil)
	var got bytes.Buffer
	messages, pulls := 0, 0
	for {
		msg, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("reading the corpus: %v", err)
		}
		messages++
		m, err := mailparse.Parse(msg.Raw, nil)
		if err != nil {
			t.Fatalf("message %d: %v", msg.Index, err)
		}
		pr := mailparse.Extract(m)
		if pr == nil {
			continue
		}
		pulls++
		line, _ := json.Marshal(corpusPull{m.MessageID, pr.URL, pr.Ref, pr.Base, pr.Tip, pr.Version,
			len(pr.Diffstat.Files), len(pr.Shortlog)})
		got.Write(append(line, '\n'))
	}
	if messages != 470 || pulls != 142 {
		t.Errorf("read %d messages and found %d pull requests, want 470 and 142", messages, pulls)
	}
	golden := filepath.Join("testdata", "corpus-pulls.golden.jsonl")
	if *updateCorpus {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	compareLines(t, got.Bytes(), want)
}

func compareLines(t *testing.T, got, want []byte) {
	t.Helper()
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			t.Errorf("line %d:\n got  %s\n want %s", i+1, gl, wl)
		}
	}
}

// BenchmarkParseExtract measures the full MIME parse and extraction of
// the real pull requests.
func BenchmarkParseExtract(b *testing.B) {
	var raws [][]byte
	r := mbox.NewReader(openCorpus(b, "pulls-2019-2023.mbox.gz"), nil)
	size := 0
	for {
		msg, err := r.Next()
		if err != nil {
			break
		}
		raws = append(raws, msg.Raw)
		size += len(msg.Raw)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, raw := range raws {
			if m, err := mailparse.Parse(raw, nil); err == nil {
				mailparse.Extract(m)
			}
		}
	}
	b.ReportMetric(float64(len(raws)*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
