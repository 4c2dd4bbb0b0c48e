package volatile

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseMergeTrees(t *testing.T) {
	tree := strings.Repeat("a", 40)
	ok := "1\x00" + tree + "\x00\x00"
	conflict := "0\x00" + tree + "\x00x.c\x00dir/y.c\x00\x00"
	ms, err := parseMergeTrees(ok+conflict+ok, 3)
	if err != nil || len(ms) != 3 || ms[0].Tree != tree || len(ms[0].Conflicts) != 0 ||
		!slices.Equal(ms[1].Conflicts, []string{"x.c", "dir/y.c"}) || len(ms[2].Conflicts) != 0 {
		t.Fatalf("parse: %+v, %v", ms, err)
	}
	for _, bad := range []string{ok, ok + ok + ok, "1\x00" + tree + "\x00x.c\x00\x00" + ok, "2\x00" + tree + "\x00\x00" + ok,
		"0\x00" + tree + "\x00\x00" + ok, ok + ok + "junk"} {
		if _, err := parseMergeTrees(bad, 2); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
}

// fakeGit240 is a git that says it is 2.40 and answers "merge-tree
// --stdin" the way git 2.40 does, with one real merge-tree per line; it
// logs each --stdin run to $log.
const fakeGit240 = `#!/bin/sh
for a; do
	case "$a" in
	version) echo "git version 2.40.0"; exit 0;;
	--stdin) stdin=1;;
	merge-tree) merge=1;;
	esac
done
[ -n "$merge" ] && [ -n "$stdin" ] || exec REAL "$@"
echo batch >> LOG
out=$(mktemp)
while read ours theirs; do
	REAL merge-tree --write-tree -z --name-only --no-messages $ours $theirs > $out
	case $? in
	0) printf '1\0';;
	1) printf '0\0';;
	*) echo "fatal: refusing to merge unrelated histories" >&2; exit 128;;
	esac
	cat $out
	printf '\0'
done
rm -f $out
`

// TestMergeTreeStdin: with a git that has "merge-tree --stdin", the
// merges onto the base and the pairs run as one git per job, and the
// result is the one of a merge at a time; a batch git refuses (an
// unrelated tip) is merged again one at a time.
func TestMergeTreeStdin(t *testing.T) {
	v, in := extraFixture(t)
	real, _ := exec.LookPath("git")
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	script := filepath.Join(dir, "git")
	os.WriteFile(script, []byte(strings.NewReplacer("REAL", real, "LOG", log).Replace(fakeGit240)), 0o755)
	want := build(t, Options{Repo: v.Dir, NoCache: true, Ref: "refs/heads/want"}, in)
	got := build(t, Options{Repo: v.Dir, NoCache: true, Ref: "refs/heads/want", Git: script, Jobs: 2}, in)
	if !sameResult(want, got) {
		t.Errorf("with merge-tree --stdin:\n%+v\nwant\n%+v", got, want)
	}
	raw, _ := os.ReadFile(log)
	if n := strings.Count(string(raw), "batch"); n != 4 {
		t.Errorf("%d merge-tree --stdin runs, want 4 (2 jobs for the base, 2 for the pairs)", n)
	}
	tree := runGit(t, v, "rev-parse", v.Base+"^{tree}")
	orphan := runGit(t, v, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit-tree", "-m", "orphan", tree)
	withOrphan := append(in[3:], Input{ID: 8, MessageID: "orphan@example.org", Tip: orphan})
	r := build(t, Options{Repo: v.Dir, NoCache: true, Git: script, Jobs: 1}, withOrphan)
	if l := leftOut(r, 8); l == nil || l.Reason != ReasonRefused || !strings.Contains(l.Error, "unrelated") || len(r.Kept) != 3 {
		t.Errorf("orphan in a batch: %+v", r)
	}
}
