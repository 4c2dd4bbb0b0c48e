package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/prtrack/prtrack/tracker"
)

// waiterFunc is a Waiter.
type waiterFunc func(ctx context.Context, ck []byte) error

func (f waiterFunc) Wait(ctx context.Context, ck []byte) error { return f(ctx, ck) }

// TestWatchRetriesTransientErrors: a locked database and a broken
// connection are tried again, with a growing pause; a successful round
// waits for mail from the checkpoint it reached; any other error ends
// the watch. A good round starts the pauses again from the shortest.
func TestWatchRetriesTransientErrors(t *testing.T) {
	results := []error{fmt.Errorf("open: %w", tracker.ErrLocked), io.ErrUnexpectedEOF, nil, io.EOF, errors.New("mailbox refused")}
	var log []string
	var waits []time.Duration
	round := func(context.Context) ([]byte, error) {
		err := results[0]
		results = results[1:]
		log = append(log, fmt.Sprint("round: ", err))
		return []byte("ck"), err
	}
	w := waiterFunc(func(_ context.Context, ck []byte) error {
		log = append(log, "wait from "+string(ck))
		return nil
	})
	err := Watch(context.Background(), w, round, WatchOptions{
		MinBackoff: time.Millisecond,
		Retrying:   func(_ error, d time.Duration) { waits = append(waits, d) },
	})
	if err == nil || err.Error() != "mailbox refused" {
		t.Fatalf("Watch = %v, want the refusal", err)
	}
	want := []string{"round: open: " + tracker.ErrLocked.Error(), "round: unexpected EOF", "round: <nil>", "wait from ck", "round: EOF", "round: mailbox refused"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %q\nwant %q", log, want)
	}
	if !slices.Equal(waits, []time.Duration{time.Millisecond, 2 * time.Millisecond, time.Millisecond}) {
		t.Errorf("pauses = %v, want 1ms, 2ms, then 1ms again after a good round", waits)
	}
}

// TestWatchEndsWithContext: cancelling ends the watch without an
// error, even while the round fails.
func TestWatchEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	round := func(context.Context) ([]byte, error) {
		cancel()
		return nil, errors.New("interrupted")
	}
	if err := Watch(ctx, waiterFunc(func(context.Context, []byte) error { return nil }), round, WatchOptions{}); err != nil {
		t.Fatalf("Watch after cancel = %v, want nil", err)
	}
}
