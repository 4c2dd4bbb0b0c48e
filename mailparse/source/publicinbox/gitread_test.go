package publicinbox

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse/source"
	"github.com/prtrack/prtrack/mailparse/source/sourcetest"
)

var bothModes = []struct {
	name string
	mode GitMode
}{{"git", GitRequired}, {"go-git", GitNever}}

// TestGitChunks reads an epoch of several git jobs, chunks and a part
// of one, with one and two blob workers, from the start and from
// checkpoints inside and between chunks and jobs: git cat-file and
// go-git agree (readAll checks it) and keep the order.
func TestGitChunks(t *testing.T) {
	n := 2*gitJob + gitChunk + 7
	dir := manyCommits(t, n)
	_, items := readAll(t, dir, nil)
	assertRaws(t, items, samples(0, n))
	_, one := readAllWith(t, dir, nil, &Options{Git: GitRequired, Workers: 1})
	assertSameItems(t, one, items)
	for _, i := range []int{0, gitChunk - 1, gitChunk, gitJob - 1, gitJob + 3, 2 * gitJob} {
		_, tail := readAll(t, dir, items[i].Checkpoint)
		assertRaws(t, tail, samples(i+1, n))
	}
}

// TestGitMissing reads with PATH holding no git: GitAuto falls back to
// go-git and reads the same; GitRequired says git is needed; mirroring
// falls back too.
func TestGitMissing(t *testing.T) {
	inbox := t.TempDir()
	dir := filepath.Join(inbox, "git", "0.git")
	sourcetest.InitEpoch(t, dir)
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(samples(0, 3)))
	base := sourcetest.ServeInbox(t, inbox) // runs git by its full path
	t.Setenv("PATH", t.TempDir())

	src, items := readAllWith(t, dir, nil, nil)
	if src.ReadsWithGit() {
		t.Error("ReadsWithGit with no git on PATH")
	}
	assertRaws(t, items, samples(0, 3))
	if _, err := Open(context.Background(), dir, nil, &Options{Git: GitRequired}); !errors.Is(err, ErrGitMissing) {
		t.Errorf("Open with GitRequired and no git = %v, want ErrGitMissing", err)
	}

	local := filepath.Join(t.TempDir(), "mirror")
	if _, err := Mirror(context.Background(), base, local, nil); err != nil {
		t.Fatalf("Mirror with go-git: %v", err)
	}
	_, mirrored := readAllWith(t, local, nil, nil)
	assertRaws(t, mirrored, samples(0, 3))
	if _, err := Mirror(context.Background(), base, local, &MirrorOptions{Git: GitRequired}); !errors.Is(err, ErrGitMissing) {
		t.Errorf("Mirror with GitRequired and no git = %v, want ErrGitMissing", err)
	}
}

// TestGitTooOld reads with a git older than 2.32 first on PATH: go-git
// reads instead, and GitRequired says why git was not used.
func TestGitTooOld(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(samples(0, 2)))
	bin := t.TempDir()
	old := "#!/bin/sh\necho 'git version 2.20.1'\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(old), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	src, items := readAllWith(t, dir, nil, nil)
	if src.ReadsWithGit() {
		t.Error("ReadsWithGit with git 2.20 first on PATH")
	}
	assertRaws(t, items, samples(0, 2))
	_, err := Open(context.Background(), dir, nil, &Options{Git: GitRequired})
	if !errors.Is(err, ErrGitMissing) || !strings.Contains(err.Error(), "2.20 is older than 2.32") {
		t.Errorf("Open with GitRequired and git 2.20 = %v, want ErrGitMissing saying why", err)
	}
}

// TestGitReaderInterrupted stops reading in the middle: cancelled
// contexts lose nothing, and Close stops git.
func TestGitReaderInterrupted(t *testing.T) {
	n := 2*gitChunk + 5
	dir := manyCommits(t, n)
	src, err := Open(context.Background(), dir, nil, &Options{Git: GitRequired})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range gitChunk + 3 {
		if i%10 == 0 {
			if _, err := src.Next(cancelled); !errors.Is(err, context.Canceled) {
				t.Fatalf("Next with a cancelled context = %v", err)
			}
		}
		it, err := src.Next(context.Background())
		if err != nil || string(it.Raw) != string(sample(i)) {
			t.Fatalf("message %d after cancellations: %v", i, err)
		}
	}
	if err := src.Close(); err != nil {
		t.Errorf("Close in the middle: %v", err)
	}
}

// damage is a way to break the blob of the second of three messages.
type damage struct {
	name   string
	packed bool // the epoch keeps its pack (else: loose objects)
	apply  func(t *testing.T, dir, blob string)
}

var damages = []damage{
	{"missing blob", false, func(t *testing.T, dir, blob string) {
		if err := os.Remove(looseObject(dir, blob)); err != nil {
			t.Fatal(err)
		}
	}},
	{"truncated blob", false, func(t *testing.T, dir, blob string) {
		path := looseObject(dir, blob)
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, 0o644)
		if err := os.Truncate(path, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}},
	{"corrupt pack", true, corruptPacked},
}

// TestDamagedRepository reads epochs whose second message's blob is
// missing, truncated or corrupt in its pack: both readers give the
// messages before it, then an error (not a skip) naming the epoch, the
// commit and the object, again on every later Next; no checkpoint
// given passes the unread message, so once the object is back the
// next run reads it and what follows.
func TestDamagedRepository(t *testing.T) {
	for _, d := range damages {
		for _, m := range bothModes {
			t.Run(d.name+"/"+m.name, func(t *testing.T) { testDamaged(t, d, m.mode) })
		}
	}
}

func testDamaged(t *testing.T, d damage, mode GitMode) {
	dir := filepath.Join(t.TempDir(), "0.git")
	sourcetest.InitEpoch(t, dir)
	msgs := samples(0, 3)
	sourcetest.AppendEpoch(t, dir, sourcetest.MessageCommits(msgs))
	if d.packed {
		gitOut(t, dir, "repack", "-adq")
	} else {
		unpack(t, dir) // fast-import writes so few objects loose, but may not
	}
	blob := gitOut(t, dir, "rev-parse", "HEAD~1:m")
	commit := gitOut(t, dir, "rev-parse", "HEAD~1")
	backup := t.TempDir()
	copyTree(t, dir, backup)
	d.apply(t, dir, blob)

	ctx := context.Background()
	src, err := Open(ctx, dir, nil, &Options{Git: mode})
	if err != nil {
		t.Fatal(err)
	}
	var got []*source.Item
	for {
		it, err := src.Next(ctx)
		if err == nil {
			got = append(got, it)
			continue
		}
		var rerr *source.ReadError
		if err == io.EOF || errors.As(err, &rerr) {
			t.Fatalf("after %d messages: %v, want an error that stops the reading", len(got), err)
		}
		// git rebuilds a chunk's blobs newest first: it may stop at the
		// first commit of the chunk when a later blob's delta base is
		// the damaged one.
		if !strings.Contains(err.Error(), "0.git commit ") || len(got) > 1 {
			t.Fatalf("after %d messages: %v, want the error at commit %s", len(got), err, commit)
		}
		if len(got) == 1 && (!strings.Contains(err.Error(), commit) || !strings.Contains(err.Error(), blob)) {
			t.Errorf("error %q names neither commit %s nor blob %s", err, commit, blob)
		}
		if _, again := src.Next(ctx); again == nil || again.Error() != err.Error() {
			t.Errorf("Next after the error = %v, want the error again", again)
		}
		t.Logf("%s: %v", d.name, err)
		break
	}
	src.Close()
	assertRaws(t, got, msgs[:len(got)])

	// Repaired, the next run resumes at the first message not read.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	copyTree(t, backup, dir)
	var cp []byte
	if len(got) > 0 {
		cp = last(got)
	}
	_, rest := readAllWith(t, dir, cp, &Options{Git: mode})
	assertRaws(t, rest, msgs[len(got):])
}

// unpack turns the epoch's packs into loose objects.
func unpack(t *testing.T, dir string) {
	t.Helper()
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	for _, p := range packs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{p, strings.TrimSuffix(p, ".pack") + ".idx"} {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command("git", "--git-dir", dir, "unpack-objects", "-q")
		cmd.Stdin = bytes.NewReader(data)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("unpack-objects: %v\n%s", err, out)
		}
	}
}

func looseObject(dir, hash string) string {
	return filepath.Join(dir, "objects", hash[:2], hash[2:])
}

// corruptPacked overwrites bytes of the blob's compressed data in its
// pack.
func corruptPacked(t *testing.T, dir, blob string) {
	t.Helper()
	idxs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.idx"))
	if len(idxs) != 1 {
		t.Fatalf("%d packs", len(idxs))
	}
	idx, err := os.Open(idxs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	cmd := exec.Command("git", "show-index")
	cmd.Stdin = idx
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var offset int64 = -1
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[1] == blob {
			offset = parseInt(t, f[0])
		}
	}
	if offset < 0 {
		t.Fatalf("blob %s not in the pack", blob)
	}
	pack := strings.TrimSuffix(idxs[0], ".idx") + ".pack"
	os.Chmod(pack, 0o644)
	f, err := os.OpenFile(pack, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5}, 16), offset+6); err != nil {
		t.Fatal(err)
	}
}

func parseInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"--git-dir", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// copyTree copies the directory src to dst (which may exist).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
}
