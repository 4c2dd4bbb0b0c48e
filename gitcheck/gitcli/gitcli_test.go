package gitcli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func realGit(t *testing.T) *Git {
	t.Helper()
	g, err := Find("", 2, 0)
	if err != nil {
		if os.Getenv("PRTRACK_REQUIRE_SERVERS") != "" {
			t.Fatalf("git: %v", err)
		}
		t.Skipf("git not installed, skipping: %v", err)
	}
	return g
}

// TestFindNamesTheVersionNeeded: no git, and a git too old, are errors
// that say which version is needed; the old git is returned too.
func TestFindNamesTheVersionNeeded(t *testing.T) {
	if _, err := Find(filepath.Join(t.TempDir(), "no-git"), 2, 38); !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "2.38 or later") {
		t.Errorf("Find(missing) = %v", err)
	}
	old := filepath.Join(t.TempDir(), "git")
	os.WriteFile(old, []byte("#!/bin/sh\necho git version 2.20.1\n"), 0o755)
	g, err := Find(old, 2, 32)
	if !errors.Is(err, ErrTooOld) || !strings.Contains(err.Error(), "git 2.20 is older than 2.32") || g == nil || g.Minor != 20 {
		t.Errorf("Find(2.20) = %v, %v", g, err)
	}
	if g != nil && (!g.AtLeast(2, 20) || g.AtLeast(2, 21) || g.Version != "git version 2.20.1") {
		t.Errorf("version of %v", g)
	}
}

// TestEnvKeepsOnlyWhatGitNeeds: the caller's GIT_* variables and HOME
// do not reach git; PATH does.
func TestEnvKeepsOnlyWhatGitNeeds(t *testing.T) {
	t.Setenv("GIT_DIR", "/somewhere/else")
	t.Setenv("GIT_SSH_COMMAND", "evil")
	t.Setenv("HOME", "/home/maintainer")
	env := Env("")
	for _, kv := range env {
		if strings.HasPrefix(kv, "GIT_DIR=") || strings.HasPrefix(kv, "GIT_SSH_COMMAND=") || kv == "HOME=/home/maintainer" {
			t.Errorf("Env keeps %s", kv)
		}
	}
	if !slices.Contains(env, "PATH="+os.Getenv("PATH")) || !slices.Contains(env, "GIT_CONFIG_GLOBAL=/dev/null") {
		t.Errorf("Env = %q", env)
	}
	if user := UserEnv(); slices.Contains(user, "GIT_DIR=/somewhere/else") || !slices.Contains(user, "HOME=/home/maintainer") {
		t.Errorf("UserEnv = %q", user)
	}
}

// TestCommandRunsNoHooksNoUserConfig: a hook in the repository does not
// run and the user's global configuration is not read.
func TestCommandRunsNoHooksNoUserConfig(t *testing.T) {
	g := realGit(t)
	dir := filepath.Join(t.TempDir(), "repo.git")
	if out, err := exec.Command(g.Path, "init", "-q", "--bare", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	ran := filepath.Join(t.TempDir(), "hook-ran")
	os.WriteFile(filepath.Join(dir, "hooks", "reference-transaction"), []byte("#!/bin/sh\ntouch "+ran+"\n"), 0o755)
	global := filepath.Join(t.TempDir(), "gitconfig")
	os.WriteFile(global, []byte("[prtrack]\n\tleak = yes\n"), 0o600)
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	ctx := context.Background()
	tree, err := g.Command(ctx, dir, "mktree").Output()
	if err != nil {
		t.Fatalf("mktree: %v", err)
	}
	commit := g.Command(ctx, dir, "commit-tree", "-m", "x", strings.TrimSpace(string(tree)))
	commit.Env = append(commit.Env, "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.org", "GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.org")
	id, err := commit.Output()
	if err != nil {
		t.Fatalf("commit-tree: %v", err)
	}
	if out, err := g.Command(ctx, dir, "update-ref", "refs/heads/x", strings.TrimSpace(string(id))).CombinedOutput(); err != nil {
		t.Fatalf("update-ref: %v %s", err, out)
	}
	// Plain git runs the hook: the test can tell.
	plain := exec.Command(g.Path, "--git-dir", dir, "update-ref", "refs/heads/y", strings.TrimSpace(string(id)))
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("the hook ran under Command")
	}
	if err := plain.Run(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ran); err != nil {
		t.Skip("this git does not run reference-transaction hooks")
	}
	os.Remove(ran)
	if out, err := g.Command(ctx, dir, "config", "--get", "prtrack.leak").Output(); err == nil {
		t.Errorf("the user's global configuration was read: %s", out)
	}
}
