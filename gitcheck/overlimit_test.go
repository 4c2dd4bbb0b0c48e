package gitcheck

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/mailparse"
)

// addBigBranch commits a 2 MiB incompressible blob on branch "big" of the
// served driver.git, on top of the clean sample, and returns its tip.
func addBigBranch(t *testing.T, e *env) string {
	t.Helper()
	dir := filepath.Join(e.k.Root, "driver.git")
	git := func(stdin []byte, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Stdin = bytes.NewReader(stdin)
		cmd.Env = append(cmd.Environ(), "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.org",
			"GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.org")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	blob := make([]byte, 2<<20)
	rand.Read(blob)
	b := git(blob, "hash-object", "-w", "--stdin")
	tree := git([]byte("100644 blob "+b+"\tbig.bin\n"), "mktree")
	s, _ := e.k.Sample("clean")
	tip := git(nil, "commit-tree", tree, "-p", s.Tip, "-m", "big")
	git(nil, "update-ref", "refs/heads/big", tip)
	return tip
}

// TestFetchOverLimitLeavesNoPack fetches a branch whose pack is well
// over the limit: the partial pack must not stay behind, run after run.
func TestFetchOverLimitLeavesNoPack(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxFetchBytes = 256 << 10 })
	tip := addBigBranch(t, e)
	s, _ := e.k.Sample("clean")
	pr := &mailparse.PullRequest{URL: e.srv.RepoURL("driver.git"), Ref: "big", Base: s.Base, Tip: tip}
	for run := 0; run < 2; run++ {
		v, err := e.c.Check(context.Background(), "pr1", pr)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != Unchecked || !v.OverLimit || !strings.Contains(v.Reason, "byte limit") {
			t.Fatalf("verdict %+v", v)
		}
		left, _ := filepath.Glob(filepath.Join(e.cfg.Repo, "objects", "pack", "tmp_*"))
		if len(left) > 0 {
			t.Fatalf("run %d left temporary packs: %v", run, left)
		}
		if fds := openTempPacks(); len(fds) > 0 {
			t.Fatalf("run %d left temporary packs open: %v", run, fds)
		}
	}
}

// openTempPacks lists this process's descriptors open on a temporary
// pack (removed or not).
func openTempPacks() []string {
	fds, _ := filepath.Glob("/proc/self/fd/*")
	var out []string
	for _, fd := range fds {
		if l, err := os.Readlink(fd); err == nil && strings.Contains(l, "tmp_pack_") {
			out = append(out, l)
		}
	}
	return out
}
