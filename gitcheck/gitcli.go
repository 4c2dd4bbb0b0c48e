package gitcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The git CLI, for trusted local work only: fetching the accepted trees
// the configuration names, and writing the commit-graph. Mail-supplied
// URLs never reach it (they go through prfetch.go's bounded go-git
// fetch). Every command runs with no system or global configuration, an
// empty HOME, no terminal prompt, no hooks, and within a deadline.

// ErrNoGit is returned when the git CLI is needed and missing or older
// than MinGitVersion.
var ErrNoGit = errors.New("gitcheck: git " + MinGitVersion + " or later not found")

// MinGitVersion is the oldest git prtrack runs: --no-write-fetch-head
// and --no-auto-maintenance came in 2.29.
const MinGitVersion = "2.29"

// gitCLI runs one git binary on one repository.
type gitCLI struct {
	path   string
	gitDir string
	home   string // an empty directory for HOME
}

var (
	gitProbeMu sync.Mutex
	gitProbed  = map[string]error{}
)

// findGit resolves how Config.Git names git: "" looks it up in PATH,
// "none" disables it, anything else is the binary. It returns ErrNoGit
// when there is none recent enough.
func findGit(name string) (string, error) {
	if name == "none" {
		return "", fmt.Errorf("%w (disabled by configuration)", ErrNoGit)
	}
	if name == "" {
		name = "git"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoGit, err)
	}
	gitProbeMu.Lock()
	defer gitProbeMu.Unlock()
	perr, ok := gitProbed[path]
	if !ok {
		perr = probeGit(path)
		gitProbed[path] = perr
	}
	return path, perr
}

var gitVersionRE = regexp.MustCompile(`^git version (\d+)\.(\d+)`)

func probeGit(path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "version").Output()
	if err != nil {
		return fmt.Errorf("%w: %s version: %v", ErrNoGit, path, err)
	}
	m := gitVersionRE.FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("%w: %s says %q", ErrNoGit, path, strings.TrimSpace(string(out)))
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	if major < 2 || major == 2 && minor < 29 {
		return fmt.Errorf("%w: %s is %s", ErrNoGit, path, strings.TrimSpace(string(out)))
	}
	return nil
}

func newGitCLI(path, gitDir string) (*gitCLI, error) {
	home, err := os.MkdirTemp("", "prtrack-git-home-")
	if err != nil {
		return nil, fmt.Errorf("gitcheck: %w", err)
	}
	return &gitCLI{path: path, gitDir: gitDir, home: home}, nil
}

func (g *gitCLI) close() { os.RemoveAll(g.home) }

// env is the whole environment of a git command: none of the caller's
// GIT_* variables, nothing read from system or user configuration.
func (g *gitCLI) env(gitDir string) []string {
	env := []string{
		"HOME=" + g.home, "XDG_CONFIG_HOME=" + g.home,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=",
		"LC_ALL=C",
	}
	if gitDir != "" {
		env = append(env, "GIT_DIR="+gitDir)
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToLower(k) {
		case "path", "http_proxy", "https_proxy", "all_proxy", "no_proxy", "tmpdir", "ssh_auth_sock":
			env = append(env, kv)
		}
	}
	return env
}

// safety are the -c options every command runs with.
var safety = []string{
	"-c", "core.hooksPath=/dev/null",
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
	cmd := exec.CommandContext(ctx, g.path, append(slices.Clone(safety), args...)...)
	cmd.Env = g.env(gitDir)
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	var stderr tailBuffer
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

// tailBuffer keeps the last 4 KiB written to it.
type tailBuffer struct{ b bytes.Buffer }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b.Write(p)
	if t.b.Len() > 8192 {
		keep := t.b.Bytes()[t.b.Len()-4096:]
		t.b = *bytes.NewBuffer(append([]byte(nil), keep...))
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return t.b.String() }
