package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prtrack/prtrack/cmd/prtrack/demo"
	"github.com/prtrack/prtrack/gitcheck/volatile"
	"github.com/prtrack/prtrack/tracker/review"
)

// TestVolatileAgainstGitDaemon records three pull requests (two
// accepted ones that both rewrite mlx5/main.c, one rejected), checks
// them against a real git daemon, then rebuilds the volatile for-next:
// the first accepted one is merged, the second left out as conflicting
// with it, the rejected one never considered; --push lands the result
// in the configured remote and a rebuild gives the same commit.
func TestVolatileAgainstGitDaemon(t *testing.T) {
	ctx := context.Background()
	k, srv, dir := serveFixture(t)
	var mbox strings.Builder
	for _, name := range []string{"clean", "uapi", "waiting"} {
		s, _ := k.Sample(name)
		block, err := k.RequestPull(ctx, s, srv.RepoURL(s.Repo))
		if err != nil {
			t.Fatal(err)
		}
		mbox.WriteString(testMail(name+"@example.org", "[GIT PULL] mlx5 "+name, "", block))
	}
	mboxPath := filepath.Join(dir, "list.mbox")
	os.WriteFile(mboxPath, []byte(mbox.String()), 0o644)
	remote := filepath.Join(dir, "remote.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", remote).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	// The fixture has no release tag: the horizon comes from track.since.
	cfg := fmt.Sprintf("[prtrack]\n\tdatabase = %s\n[check]\n\trepository = %s\n\thost = 127.0.0.1\n[track]\n\tsince = 2023-01-01\n[volatile]\n\tpush = %s\n%s",
		filepath.Join(dir, "db"), filepath.Join(dir, "trees.git"), remote, demo.TreeSections(k, srv))
	cfgPath := filepath.Join(dir, "config")
	os.WriteFile(cfgPath, []byte(cfg), 0o600)

	if r := run(t, "", "ingest", "--mbox", mboxPath, "--config", cfgPath); r.code != 0 {
		t.Fatalf("ingest: %+v", r)
	}
	if r := run(t, "", "check", "--update-trees", "--config", cfgPath); r.code != 0 {
		t.Fatalf("check: %+v", r)
	}
	r := run(t, "", "volatile", "--json", "--push", "--config", cfgPath)
	if r.code != 0 {
		t.Fatalf("volatile: %+v", r)
	}
	var got struct {
		volatile.Result
		Changes []review.VolatileChange
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("volatile --json: %v\n%s", err, r.out)
	}
	if got.Base.Commit != k.Commits["rdma-for-next"] || len(got.Kept) != 1 || got.Kept[0].MessageID != "clean@example.org" {
		t.Fatalf("result %s", r.out)
	}
	if len(got.LeftOut) != 1 || got.LeftOut[0].MessageID != "waiting@example.org" ||
		strings.Join(got.LeftOut[0].ConflictsWith, " ") != "clean@example.org" || len(got.Pairs) != 1 ||
		strings.Join(got.Pairs[0].Paths, " ") != "drivers/infiniband/hw/mlx5/main.c" {
		t.Errorf("conflict not reported: %s", r.out)
	}
	head, err := exec.Command("git", "--git-dir="+remote, "rev-parse", "refs/heads/volatile").Output()
	if err != nil || strings.TrimSpace(string(head)) != got.Commit || got.Pushed != remote {
		t.Errorf("remote volatile at %q (%v), result %s pushed to %q", head, err, got.Commit, got.Pushed)
	}
	if len(got.Changes) != 2 {
		t.Errorf("first rebuild: changes %+v, want both pull requests", got.Changes)
	}
	r = run(t, "", "volatile", "--config", cfgPath)
	if strings.Contains(r.out, "changed:") {
		t.Errorf("an unchanged rebuild reports changes:\n%s", r.out)
	}
	if r := run(t, "", "show", "3", "--config", cfgPath); !strings.Contains(r.out, "volatile left out, conflict: conflicts with clean@example.org") {
		t.Errorf("show lacks the volatile result:\n%s", r.out)
	}
	for _, want := range []string{"conflicts with clean@example.org in:", "drivers/infiniband/hw/mlx5/main.c",
		`("RDMA/mlx5: use the new counters")`, "#1 and #3: drivers/infiniband/hw/mlx5/main.c", "refs/heads/volatile at " + got.Commit[:12]} {
		if !strings.Contains(r.out, want) {
			t.Errorf("volatile output lacks %q:\n%s", want, r.out)
		}
	}
}

// TestVolatileErrors: --push needs volatile.push; without prtrack's
// repository the command says to update the trees first.
func TestVolatileErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	if r := run(t, "", "volatile", "--push", "--db", db); r.code != 1 || !strings.Contains(r.err, "volatile.push is not set") {
		t.Errorf("--push without volatile.push: %+v", r)
	}
	if r := run(t, "", "volatile", "--db", db); r.code != 1 || !strings.Contains(r.err, "update the accepted trees first") {
		t.Errorf("no repository: %+v", r)
	}
}
