package mboxsrc

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/mailparse/mbox"
	"github.com/prtrack/prtrack/mailparse/source"
)

// message returns a small list message numbered i, with a body line
// that mboxrd must escape.
func message(i int) string {
	return fmt.Sprintf("From: Dev %[1]d <dev%[1]d@example.org>\n"+
		"To: linux-rdma@vger.kernel.org\n"+
		"Subject: [PATCH rdma-next %[1]d/9] RDMA/mlx5: fix %[1]d\n"+
		"Message-ID: <%[1]d.dev@example.org>\n\n"+
		"From the changelog of %[1]d:\n>From a quote\n", i)
}

// noisy returns a message of about n bytes that compresses badly.
func noisy(i, n int) string {
	var b bytes.Buffer
	b.WriteString(message(i))
	sum := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
	for b.Len() < n {
		sum = sha256.Sum256(sum[:])
		b.WriteString(hex.EncodeToString(sum[:]) + "\n")
	}
	return b.String()
}

// mboxrd returns msgs written as mboxrd.
func mboxrd(t *testing.T, msgs ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := mbox.NewWriter(&b)
	for _, m := range msgs {
		if err := w.WriteMessage([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path string, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, path string, ck []byte, opts *Options) *Source {
	t.Helper()
	s, err := Open(context.Background(), path, ck, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// result is what reading a Source to its end gave.
type result struct {
	items  []*source.Item
	errs   []*source.ReadError
	last   []byte // the last checkpoint seen
	wheres []string
}

func readAll(t *testing.T, s *Source) result {
	t.Helper()
	var res result
	for {
		it, err := s.Next(context.Background())
		if err == io.EOF {
			return res
		}
		var re *source.ReadError
		switch {
		case errors.As(err, &re):
			res.errs = append(res.errs, re)
			res.last = re.Checkpoint
			res.wheres = append(res.wheres, re.Where)
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			res.items = append(res.items, it)
			res.last = it.Checkpoint
			res.wheres = append(res.wheres, it.Where)
		}
	}
}

// raws returns the messages of res as strings.
func (res result) raws() []string {
	var out []string
	for _, it := range res.items {
		out = append(out, string(it.Raw))
	}
	return out
}

func checkRaws(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d messages, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("message %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}

func checkMode(t *testing.T, s *Source, want Mode, wantAt int64) {
	t.Helper()
	if mode, at := s.Mode(); mode != want || at != wantAt {
		t.Errorf("Mode() = %v, %d; want %v, %d", mode, at, want, wantAt)
	}
}

func tempPath(t *testing.T, name string) string {
	return filepath.Join(t.TempDir(), name)
}
