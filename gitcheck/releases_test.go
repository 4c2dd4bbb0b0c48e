package gitcheck

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gitUnix runs a git command printing Unix seconds in a fixture
// repository and returns the time.
func gitUnix(t *testing.T, repo string, args ...string) time.Time {
	t.Helper()
	out, err := exec.Command("git", append([]string{"--git-dir", repo}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil || sec == 0 {
		t.Fatalf("git %v: %q: %v", args, out, err)
	}
	return time.Unix(sec, 0)
}

// TestReleaseTags lists the fixture's annotated v6.9-rc tags at their
// tagger dates and a lightweight tag at its commit's date, sorted by
// name; another tree's tags are not the mainline's.
func TestReleaseTags(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	rc3 := e.k.Commits["v6.9-rc3"]
	if err := e.k.SetRef(ctx, "linux.git", "refs/tags/v6.9", rc3); err != nil {
		t.Fatal(err)
	}
	if err := e.k.SetRef(ctx, "net-next.git", "refs/tags/v6.9-rc9", rc3); err != nil {
		t.Fatal(err)
	}
	e.updateTrees(t)
	tags, err := e.c.ReleaseTags()
	if err != nil {
		t.Fatal(err)
	}
	linux := filepath.Join(e.k.Root, "linux.git")
	want := []ReleaseTag{{Name: "v6.9", Date: gitUnix(t, linux, "log", "-1", "--format=%ct", rc3)}}
	for _, n := range []string{"v6.9-rc1", "v6.9-rc2", "v6.9-rc3"} {
		d := gitUnix(t, linux, "for-each-ref", "--format=%(taggerdate:unix)", "refs/tags/"+n)
		if d.Equal(gitUnix(t, linux, "log", "-1", "--format=%ct", n)) {
			t.Fatalf("%s is tagged when it was committed: the test cannot tell the dates apart", n)
		}
		want = append(want, ReleaseTag{Name: n, Date: d})
	}
	if !slices.EqualFunc(tags, want, func(a, b ReleaseTag) bool { return a.Name == b.Name && a.Date.Equal(b.Date) }) {
		t.Errorf("tags %v, want %v", tags, want)
	}
}
