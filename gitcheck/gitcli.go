package gitcheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitcli"
)

// The git CLI, for trusted local work only: fetching the accepted trees
// the configuration names, and writing the commit-graph. Mail-supplied
// URLs never reach it (they go through prfetch.go's bounded go-git
// fetch). Every command runs with no system or global configuration, an
// empty HOME, no terminal prompt, no hooks, and within a deadline.

// ErrNoGit is returned when the git CLI is needed and missing or older
// than MinGitVersion.
var ErrNoGit = errors.New("git " + MinGitVersion + " or later not found")

// MinGitVersion is the oldest git prtrack runs: --no-write-fetch-head
// and --no-auto-maintenance came in 2.29.
const MinGitVersion = "2.29"

// gitCLI runs one git binary on one repository.
type gitCLI struct {
	path   string
	gitDir string
	home   string // an empty directory for HOME
}

// findGit resolves how Config.Git names git: "" looks it up in PATH,
// "none" disables it, anything else is the binary. It returns ErrNoGit
// when there is none recent enough.
func findGit(name string) (string, error) {
	if name == "none" {
		return "", fmt.Errorf("gitcheck: %w (disabled by configuration)", ErrNoGit)
	}
	g, err := gitcli.Find(name, 2, 29)
	if err != nil {
		return "", fmt.Errorf("gitcheck: %w: %v", ErrNoGit, err)
	}
	return g.Path, nil
}

func newGitCLI(path, gitDir string) (*gitCLI, error) {
	home, err := os.MkdirTemp("", "prtrack-git-home-")
	if err != nil {
		return nil, fmt.Errorf("gitcheck: %w", err)
	}
	return &gitCLI{path: path, gitDir: gitDir, home: home}, nil
}

func (g *gitCLI) close() { os.RemoveAll(g.home) }

// env is the whole environment of a git command (gitcli.Env, HOME at
// an empty directory), with GIT_DIR set to gitDir unless "".
func (g *gitCLI) env(gitDir string) []string {
	if gitDir == "" {
		return gitcli.Env(g.home)
	}
	return gitcli.Env(g.home, "GIT_DIR="+gitDir)
}

// safety are the -c options every command runs with, beside those of
// gitcli.Command (no hooks).
var safety = []string{
	"-c", "protocol.allow=never",
	"-c", "protocol.git.allow=always", "-c", "protocol.https.allow=always",
	"-c", "protocol.http.allow=always", "-c", "protocol.ssh.allow=always",
	"-c", "gc.auto=0", "-c", "maintenance.auto=false",
	"-c", "fetch.writeCommitGraph=false", "-c", "core.askPass=",
}

// run runs git with args within timeout; the error carries the end of
// its standard error.
func (g *gitCLI) run(ctx context.Context, timeout time.Duration, args ...string) error {
	return g.runIn(ctx, timeout, g.gitDir, g.gitDir, args...)
}

// runIn runs git in dir with GIT_DIR set to gitDir, unless "".
func (g *gitCLI) runIn(ctx context.Context, timeout time.Duration, dir, gitDir string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := (&gitcli.Git{Path: g.path}).Command(ctx, "", append(slices.Clone(safety), args...)...)
	cmd.Env = g.env(gitDir)
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	var stderr gitcli.Tail
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return fmt.Errorf("git %s: %w after %v", args[0], ctx.Err(), timeout)
	}
	if err != nil {
		return fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
