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
	"github.com/prtrack/prtrack/gitcheck/gitfixture"
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
	dir, cfgPath, k := volatileSetup(t, "")
	remote := filepath.Join(dir, "remote.git")
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
	if strings.Contains(r.out, "changed:") || !strings.Contains(r.out, "0 merges run (0 pairwise), 4 answered from the cache") {
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

// volatileSetup ingests and checks the three pull requests of
// TestVolatileAgainstGitDaemon with extra configuration, and returns
// the directory, the configuration file and the fixture.
func volatileSetup(t *testing.T, extra string) (string, string, *gitfixture.Kernel) {
	t.Helper()
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
	cfg := fmt.Sprintf("[prtrack]\n\tdatabase = %s\n[check]\n\trepository = %s\n\thost = 127.0.0.1\n[track]\n\tsince = 2023-01-01\n[volatile]\n\tpush = %s\n%s%s",
		filepath.Join(dir, "db"), filepath.Join(dir, "trees.git"), remote, demo.TreeSections(k, srv), extra)
	cfgPath := filepath.Join(dir, "config")
	os.WriteFile(cfgPath, []byte(cfg), 0o600)
	if r := run(t, "", "ingest", "--mbox", mboxPath, "--config", cfgPath); r.code != 0 {
		t.Fatalf("ingest: %+v", r)
	}
	if r := run(t, "", "check", "--update-trees", "--config", cfgPath); r.code != 0 {
		t.Fatalf("check: %+v", r)
	}
	return dir, cfgPath, k
}

// conflictDrafts lists the conflict replies in the outbox.
func conflictDrafts(t *testing.T, cfgPath string) []string {
	t.Helper()
	r := run(t, "", "replies", "list", "--json", "--config", cfgPath)
	if r.code != 0 {
		t.Fatalf("replies list: %+v", r)
	}
	var out []string
	dec := json.NewDecoder(strings.NewReader(r.out))
	for dec.More() {
		var d struct {
			PRID  uint64 `json:"pr_id"`
			Kind  string `json:"kind"`
			State string `json:"state"`
		}
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("replies list --json: %v\n%s", err, r.out)
		}
		if d.Kind == "conflict" {
			out = append(out, fmt.Sprintf("#%d %s", d.PRID, d.State))
		}
	}
	return out
}

// TestVolatileConflictReply: off by default, no reply is drafted about
// the conflict of #1 and #3 (check drafted the verdict replies); with
// volatile.conflictReply one is drafted to each, only drafted (nothing
// is sent), and a rebuild drafts no more.
func TestVolatileConflictReply(t *testing.T) {
	_, cfgPath, _ := volatileSetup(t, "[reply]\n\tfrom = Maint <maint@example.org>\n\tmaxAge = 100000d\n")
	if r := run(t, "", "volatile", "--config", cfgPath); r.code != 0 {
		t.Fatalf("volatile: %+v", r)
	}
	if got := conflictDrafts(t, cfgPath); len(got) != 0 {
		t.Fatalf("conflict replies drafted with volatile.conflictReply unset: %v", got)
	}
	raw, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, append(raw, "[volatile]\n\tconflictReply = true\n"...), 0o600)
	r := run(t, "", "volatile", "--config", cfgPath)
	if r.code != 0 || !strings.Contains(r.out, "drafted 2 replies about the conflicts") {
		t.Fatalf("volatile: %+v", r)
	}
	if got := strings.Join(conflictDrafts(t, cfgPath), ", "); got != "#1 draft, #3 draft" {
		t.Errorf("conflict drafts %s, want #1 and #3 as drafts", got)
	}
	if r := run(t, "", "volatile", "--config", cfgPath); r.code != 0 || strings.Contains(r.out, "drafted") {
		t.Errorf("rebuild: %+v", r)
	}
	if n := len(conflictDrafts(t, cfgPath)); n != 2 {
		t.Errorf("%d conflict drafts after the rebuild, want 2", n)
	}
}

// TestRunDraftsConflictReplies: the daily job drafts the conflict
// replies with volatile.conflictReply, counts them in its summary, and
// a second run drafts none.
func TestRunDraftsConflictReplies(t *testing.T) {
	_, cfgPath, _ := volatileSetup(t, "[reply]\n\tfrom = Maint <maint@example.org>\n\tmaxAge = 100000d\n[volatile]\n\tconflictReply = yes\n")
	r := run(t, "", "run", "--config", cfgPath)
	if !strings.Contains(r.out, "drafted 2 replies about the conflicts") {
		t.Fatalf("run: %+v", r)
	}
	if got := strings.Join(conflictDrafts(t, cfgPath), ", "); got != "#1 draft, #3 draft" {
		t.Errorf("conflict drafts %s, want #1 and #3 as drafts", got)
	}
	if r := run(t, "", "run", "--config", cfgPath); strings.Contains(r.out, "about the conflicts") || len(conflictDrafts(t, cfgPath)) != 2 {
		t.Errorf("second run drafted again: %+v", r)
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

// TestVolatilePushFailsRecordsAnyway: a push that fails is reported
// (exit 1), and the rebuild it followed is still recorded in the pull
// requests' histories, so the next rebuild sees nothing new.
func TestVolatilePushFailsRecordsAnyway(t *testing.T) {
	dir, cfgPath, _ := volatileSetup(t, "")
	os.RemoveAll(filepath.Join(dir, "remote.git")) // nothing to push to
	r := run(t, "", "volatile", "--push", "--config", cfgPath)
	if r.code != 1 || !strings.Contains(r.err, "remote.git") {
		t.Fatalf("volatile --push to a missing remote: %+v", r)
	}
	if !strings.Contains(r.out, "changed: #1") {
		t.Errorf("the failed push's rebuild printed no changes:\n%s", r.out)
	}
	r = run(t, "", "volatile", "--json", "--config", cfgPath)
	var got struct {
		Changes []json.RawMessage `json:"changes"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.out), &got) != nil || len(got.Changes) != 0 {
		t.Errorf("the rebuild after the failed push = %+v; want it recorded already (no changes)", r)
	}
}
