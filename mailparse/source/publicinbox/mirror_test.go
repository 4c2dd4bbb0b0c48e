package publicinbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// TestMirror mirrors an inbox served by git http-backend, then picks up
// new commits, a new epoch and a rewritten epoch, and reads the copy,
// with git clone and fetch and with go-git.
func TestMirror(t *testing.T) {
	t.Run("git", func(t *testing.T) { testMirror(t, GitRequired) })
	t.Run("go-git", func(t *testing.T) { testMirror(t, GitNever) })
}

func testMirror(t *testing.T, mode GitMode) {
	remote, e0, base := servedInbox(t, 3)
	local := filepath.Join(t.TempDir(), "mirror")
	ctx := context.Background()

	var events []MirrorEvent
	opts := &MirrorOptions{Git: mode, Progress: func(ev MirrorEvent) { events = append(events, ev) }}
	res, err := Mirror(ctx, base+"/", local, opts)
	if err != nil {
		t.Fatalf("Mirror: %v", err)
	}
	if !slices.Equal(res.Cloned, []int{0}) || res.Epochs != 1 {
		t.Fatalf("first mirror: %+v", res)
	}
	if len(events) != 2 || events[0].Stage != StageCloning || events[1].Stage != StageDone ||
		events[0].URL != base+"/0" || !events[1].Updated {
		t.Errorf("events = %+v", events)
	}
	_, items := readAll(t, local, nil)
	assertRaws(t, items, samples(0, 3))

	again := &MirrorOptions{Git: mode}
	res, err = Mirror(ctx, base, local, again)
	if err != nil || len(res.Cloned)+len(res.Updated) != 0 {
		t.Fatalf("mirror without news: %+v, %v", res, err)
	}

	sourcetest.AppendEpoch(t, e0, sourcetest.MessageCommits(samples(3, 4)))
	e1 := filepath.Join(remote, "git", "1.git")
	sourcetest.InitEpoch(t, e1)
	sourcetest.AppendEpoch(t, e1, sourcetest.MessageCommits(samples(4, 6)))
	res, err = Mirror(ctx, base, local, again)
	if err != nil || !slices.Equal(res.Updated, []int{0}) || !slices.Equal(res.Cloned, []int{1}) || res.Epochs != 2 {
		t.Fatalf("mirror with news: %+v, %v", res, err)
	}
	_, more := readAll(t, local, last(items))
	assertRaws(t, more, samples(3, 6))

	// A purge upstream rewrites epoch 1; the mirror follows it.
	os.RemoveAll(e1)
	sourcetest.InitEpoch(t, e1)
	sourcetest.AppendEpoch(t, e1, sourcetest.MessageCommits(samples(5, 6)))
	if _, err := Mirror(ctx, base, local, again); err != nil {
		t.Fatalf("mirror after rewrite: %v", err)
	}
	src, reread := readAll(t, local, last(more))
	assertRaws(t, reread, samples(5, 6))
	if len(src.Rewritten()) != 1 {
		t.Errorf("Rewritten = %q", src.Rewritten())
	}
}

func TestMirrorRefusesURL(t *testing.T) {
	for _, u := range []string{"/tmp/inbox", "file:///tmp/inbox", "ext::sh -c x", "https:///x", "https://u:p@host/x"} {
		if _, err := Mirror(context.Background(), u, t.TempDir(), nil); !errors.Is(err, ErrBadURL) {
			t.Errorf("Mirror(%q) = %v, want ErrBadURL", u, err)
		}
	}
}

func TestMirrorFailures(t *testing.T) {
	_, _, base := servedInbox(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	local := t.TempDir()
	if _, err := Mirror(ctx, base, local, nil); err == nil {
		t.Fatal("Mirror with a cancelled context succeeded")
	}
	if entries, _ := os.ReadDir(filepath.Join(local, "git")); len(entries) != 0 {
		t.Errorf("a cancelled clone left %d entries behind", len(entries))
	}
	if _, err := Mirror(context.Background(), base+"/elsewhere", local, nil); !errors.Is(err, ErrNotInbox) {
		t.Errorf("Mirror of a URL without epochs = %v, want ErrNotInbox", err)
	}
}

// TestMirrorMixed brings a copy cloned by go-git up to date with git,
// and the other way round: an existing mirror keeps working whichever
// is installed.
func TestMirrorMixed(t *testing.T) {
	for _, order := range [][2]GitMode{{GitNever, GitRequired}, {GitRequired, GitNever}} {
		_, e0, base := servedInbox(t, 2)
		local := filepath.Join(t.TempDir(), "mirror")
		ctx := context.Background()
		if _, err := Mirror(ctx, base, local, &MirrorOptions{Git: order[0]}); err != nil {
			t.Fatalf("clone (git mode %d): %v", order[0], err)
		}
		sourcetest.AppendEpoch(t, e0, sourcetest.MessageCommits(samples(2, 3)))
		res, err := Mirror(ctx, base, local, &MirrorOptions{Git: order[1]})
		if err != nil || !slices.Equal(res.Updated, []int{0}) {
			t.Fatalf("fetch (git mode %d): %+v, %v", order[1], res, err)
		}
		_, items := readAll(t, local, nil)
		assertRaws(t, items, samples(0, 3))
	}
}

// servedInbox is a v2 inbox whose epoch 0 holds the first n samples,
// served over http: its directory, the epoch and the URL.
func servedInbox(t *testing.T, n int) (remote, e0, base string) {
	remote = t.TempDir()
	e0 = filepath.Join(remote, "git", "0.git")
	sourcetest.InitEpoch(t, e0)
	sourcetest.AppendEpoch(t, e0, sourcetest.MessageCommits(samples(0, n)))
	return remote, e0, sourcetest.ServeInbox(t, remote)
}
