package publicinbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

// sample returns a small message modelled on list mail.
func sample(i int) []byte {
	return fmt.Appendf(nil, "From: Dev %d <dev%d@example.org>\n"+
		"To: linux-rdma@vger.kernel.org\n"+
		"Subject: [PATCH rdma-next %d/9] RDMA/core: fix %d\n"+
		"Date: Mon, 3 Jan 2022 10:%02d:00 +0000\n"+
		"Message-ID: <%d.sample@example.org>\n\n"+
		"From the start: a line that mbox would escape.\n", i, i, i, i, i%60, i)
}

func samples(from, to int) [][]byte {
	var msgs [][]byte
	for i := from; i < to; i++ {
		msgs = append(msgs, sample(i))
	}
	return msgs
}

// readAll drains a source opened at dir from cp, returning its items.
// It reads with go-git and, when git is installed, with git cat-file
// too, and fails unless both give the same items (messages, order,
// places, deletions, checkpoints) and the same rewritten epochs.
func readAll(t *testing.T, dir string, cp []byte) (*Source, []*source.Item) {
	t.Helper()
	src, items := readAllWith(t, dir, cp, &Options{Git: GitNever})
	if _, err := exec.LookPath("git"); err != nil {
		return src, items
	}
	gsrc, gitems := readAllWith(t, dir, cp, &Options{Git: GitRequired})
	if !gsrc.ReadsWithGit() {
		t.Fatal("GitRequired did not read with git")
	}
	assertSameItems(t, gitems, items)
	if !slices.Equal(gsrc.Rewritten(), src.Rewritten()) {
		t.Fatalf("rewritten epochs: git %q, go-git %q", gsrc.Rewritten(), src.Rewritten())
	}
	return gsrc, gitems
}

func readAllWith(t *testing.T, dir string, cp []byte, opts *Options) (*Source, []*source.Item) {
	t.Helper()
	ctx := context.Background()
	src, err := Open(ctx, dir, cp, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer src.Close()
	var items []*source.Item
	for {
		it, err := src.Next(ctx)
		if err == io.EOF {
			return src, items
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		items = append(items, it)
	}
}

// assertSameItems compares what git cat-file read with what go-git read.
func assertSameItems(t *testing.T, got, want []*source.Item) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("git read %d items, go-git %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if string(g.Raw) != string(w.Raw) || g.Where != w.Where || g.Deleted != w.Deleted ||
			string(g.Checkpoint) != string(w.Checkpoint) {
			t.Fatalf("item %d: git read %s deleted=%v checkpoint %s (%d bytes), go-git %s deleted=%v checkpoint %s (%d bytes)",
				i, g.Where, g.Deleted, g.Checkpoint, len(g.Raw), w.Where, w.Deleted, w.Checkpoint, len(w.Raw))
		}
	}
}

func raws(items []*source.Item) [][]byte {
	var out [][]byte
	for _, it := range items {
		out = append(out, it.Raw)
	}
	return out
}

func last(items []*source.Item) []byte { return items[len(items)-1].Checkpoint }

func assertRaws(t *testing.T, items []*source.Item, want [][]byte) {
	t.Helper()
	got := raws(items)
	if len(got) != len(want) {
		t.Fatalf("got %d messages, want %d", len(got), len(want))
	}
	for i := range got {
		if string(got[i]) != string(want[i]) {
			t.Fatalf("message %d (%s):\n%s\nwant:\n%s", i, items[i].Where, got[i], want[i])
		}
	}
}

func TestEpochIncremental(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(samples(0, 5)))

	_, items := readAll(t, dir, nil)
	assertRaws(t, items, samples(0, 5))
	if !strings.HasPrefix(items[0].Where, "0.git commit ") {
		t.Errorf("Where = %q", items[0].Where)
	}

	_, again := readAll(t, dir, last(items))
	if len(again) != 0 {
		t.Fatalf("re-read from the last checkpoint gave %d messages, want 0", len(again))
	}
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(samples(5, 8)))
	_, more := readAll(t, dir, last(items))
	assertRaws(t, more, samples(5, 8))

	// Resuming from a checkpoint in the middle re-reads nothing earlier.
	_, tail := readAll(t, dir, items[2].Checkpoint)
	assertRaws(t, tail, samples(3, 8))
}

func TestDeletion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	msgs := samples(0, 2)
	sourcetest.AppendEpoch(t, dir, []sourcetest.Commit{
		{Raw: msgs[0]}, {Raw: msgs[1]}, {Raw: msgs[0], Delete: true},
	})
	_, items := readAll(t, dir, nil)
	assertRaws(t, items, [][]byte{msgs[0], msgs[1], msgs[0]})
	for i, it := range items {
		if want := i == 2; it.Deleted != want {
			t.Errorf("item %d Deleted = %v, want %v", i, it.Deleted, want)
		}
	}
}

func TestV2EpochsAndNewEpoch(t *testing.T) {
	inbox := t.TempDir()
	e0 := filepath.Join(inbox, "git", "0.git")
	sourcetest.InitEpoch(t, e0)
	sourcetest.AppendEpoch(t, e0, sourcetest.MessageCommits(samples(0, 3)))
	// An unrelated bare repository beside the inbox is not an epoch.
	sourcetest.InitEpoch(t, filepath.Join(inbox, "all.git"))

	src, items := readAll(t, inbox, nil)
	assertRaws(t, items, samples(0, 3))
	if want := "public-inbox:" + inbox; src.Key() != want {
		t.Errorf("Key = %q, want %q", src.Key(), want)
	}

	e1 := filepath.Join(inbox, "git", "1.git")
	sourcetest.InitEpoch(t, e1)
	sourcetest.AppendEpoch(t, e1, sourcetest.MessageCommits(samples(3, 6)))
	sourcetest.AppendEpoch(t, e0, sourcetest.MessageCommits(samples(6, 7)))
	_, more := readAll(t, inbox, last(items))
	assertRaws(t, more, [][]byte{sample(6), sample(3), sample(4), sample(5)})
	if !strings.HasPrefix(more[1].Where, "git/1.git commit ") {
		t.Errorf("Where = %q", more[1].Where)
	}
}

func TestRewrittenHistory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(samples(0, 4)))
	_, items := readAll(t, dir, nil)

	// Rewrite: the same epoch rebuilt without message 1.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	sourcetest.InitEpoch(t, dir)
	kept := [][]byte{sample(0), sample(2), sample(3), sample(4)}
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(kept))

	src, again := readAll(t, dir, last(items))
	assertRaws(t, again, kept)
	if got := src.Rewritten(); len(got) != 1 || got[0] != dir {
		t.Errorf("Rewritten = %q, want [%q]", got, dir)
	}
	_, none := readAll(t, dir, last(again))
	if len(none) != 0 {
		t.Errorf("after the re-read, %d messages, want 0", len(none))
	}
}

func TestTooLarge(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	big := append(sample(1), strings.Repeat("x", 4096)...)
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits([][]byte{sample(0), big, sample(2)}))
	for _, mode := range []GitMode{GitNever, GitRequired} {
		testTooLarge(t, dir, mode)
	}
}

func testTooLarge(t *testing.T, dir string, mode GitMode) {
	ctx := context.Background()
	src, err := Open(ctx, dir, nil, &Options{MaxMessageBytes: 1024, Git: mode})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got [][]byte
	var rerr *source.ReadError
	for {
		it, err := src.Next(ctx)
		if err == io.EOF {
			break
		}
		if errors.As(err, &rerr) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it.Raw)
	}
	if rerr == nil || !errors.Is(rerr, ErrTooLarge) || rerr.Checkpoint == nil {
		t.Fatalf("git mode %d: read error = %v, want ErrTooLarge with a checkpoint", mode, rerr)
	}
	if !slices.EqualFunc(got, [][]byte{sample(0), sample(2)}, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Errorf("git mode %d: got %d messages, want messages 0 and 2", mode, len(got))
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Open(ctx, t.TempDir(), nil, nil); !errors.Is(err, ErrNotInbox) {
		t.Errorf("Open(empty dir) = %v, want ErrNotInbox", err)
	}
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	for _, cp := range []string{"{", `{"v":99,"epochs":{}}`} {
		if _, err := Open(ctx, dir, []byte(cp), nil); err == nil {
			t.Errorf("Open with checkpoint %q succeeded", cp)
		}
	}
	// An empty epoch holds nothing.
	if _, items := readAll(t, dir, nil); len(items) != 0 {
		t.Errorf("empty epoch gave %d messages", len(items))
	}
}

// TestV1Inbox reads a v1 inbox: one repository, one file per message
// under a fan-out directory, deletions as removed files.
func TestV1Inbox(t *testing.T) {
	sourcetest.NeedProgram(t, "git")
	dir := filepath.Join(t.TempDir(), "v1.git")
	work := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"--git-dir", dir, "--work-tree", work}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.org",
			"GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.org")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if out, err := exec.Command("git", "init", "-q", "--bare", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	files := []string{"ab/cdef01", "12/345678"}
	for i, f := range files {
		path := filepath.Join(work, f)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, sample(i), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", f)
		git("commit", "-q", "-m", "message")
	}
	git("rm", "-q", files[0])
	git("commit", "-q", "-m", "rm")

	_, items := readAll(t, dir, nil)
	assertRaws(t, items, [][]byte{sample(0), sample(1), sample(0)})
	if !items[2].Deleted || items[0].Deleted || items[1].Deleted {
		t.Errorf("Deleted flags = %v %v %v, want false false true", items[0].Deleted, items[1].Deleted, items[2].Deleted)
	}
}
