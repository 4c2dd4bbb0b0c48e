package publicinbox

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// manyCommits builds an epoch spanning several prefetch chunks.
func manyCommits(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(samples(0, n)))
	return dir
}

func TestPrefetchOrder(t *testing.T) {
	n := 3*chunkSize + 17
	dir := manyCommits(t, n)
	for _, workers := range []int{1, 3} {
		ctx := context.Background()
		src, err := Open(ctx, dir, nil, &Options{Workers: workers, Git: GitNever})
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			it, err := src.Next(ctx)
			if err != nil {
				t.Fatalf("%d workers: message %d: %v", workers, i, err)
			}
			if string(it.Raw) != string(sample(i)) {
				t.Fatalf("%d workers: message %d out of order", workers, i)
			}
		}
		if err := src.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}

// TestPrefetchInterrupted stops reading in the middle: a cancelled
// context loses nothing, and Close stops the workers.
func TestPrefetchInterrupted(t *testing.T) {
	n := 2*chunkSize + 5
	dir := manyCommits(t, n)
	src, err := Open(context.Background(), dir, nil, &Options{Workers: 2, Git: GitNever})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range n {
		if i%100 == 0 {
			if _, err := src.Next(cancelled); !errors.Is(err, context.Canceled) {
				t.Fatalf("Next with a cancelled context = %v", err)
			}
		}
		it, err := src.Next(context.Background())
		if err != nil || string(it.Raw) != string(sample(i)) {
			t.Fatalf("message %d after cancellations: %v", i, err)
		}
	}

	src, err = Open(context.Background(), dir, nil, &Options{Git: GitNever})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("Close in the middle: %v", err)
	}
}
