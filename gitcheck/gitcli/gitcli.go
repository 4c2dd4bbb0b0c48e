// Package gitcli runs the git program for prtrack's trusted local
// work: fetching the accepted trees the configuration names, writing
// the commit-graph, reading public-inbox epochs, mirroring the list
// archive, the volatile tree's trial merges. Mail-supplied URLs never
// reach it; they stay on gitcheck's bounded go-git fetch.
//
// It is the one place that finds git, checks its version and builds a
// git command: none of the caller's GIT_* variables, no system or
// global configuration, no terminal or askpass prompt, no hooks, C
// messages, and a context bounding the run. Code that cannot find a
// recent enough git gets an error naming the version it needs
// (ErrMissing, ErrTooOld) and can fall back to go-git.
package gitcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrMissing means there is no git program to run.
var ErrMissing = errors.New("git not found")

// ErrTooOld means the git found is older than what the caller needs.
var ErrTooOld = errors.New("git too old")

// Git is a git program whose version is known.
type Git struct {
	Path         string // absolute
	Major, Minor int
	Version      string // what git version said: "git version 2.39.5"
}

// AtLeast reports whether g is version major.minor or later.
func (g *Git) AtLeast(major, minor int) bool {
	return g.Major > major || g.Major == major && g.Minor >= minor
}

// String is "git 2.39 (/usr/bin/git)".
func (g *Git) String() string { return fmt.Sprintf("git %d.%d (%s)", g.Major, g.Minor, g.Path) }

var (
	probeMu sync.Mutex
	probed  = map[string]probe{}
)

type probe struct {
	g   *Git
	err error
}

// Find looks name up ("" means "git" on PATH) and checks, once per
// program and process, that it is version major.minor or later. The
// error matches ErrMissing or ErrTooOld and names the version needed;
// with ErrTooOld the Git found is returned too.
func Find(name string, major, minor int) (*Git, error) {
	if name == "" {
		name = "git"
	}
	path, err := exec.LookPath(name)
	if err == nil {
		path, err = filepath.Abs(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w (git %d.%d or later is needed): %v", ErrMissing, major, minor, err)
	}
	probeMu.Lock()
	p, ok := probed[path]
	if !ok {
		p.g, p.err = version(path)
		probed[path] = p
	}
	probeMu.Unlock()
	if p.err != nil {
		return nil, p.err
	}
	if !p.g.AtLeast(major, minor) {
		return p.g, fmt.Errorf("%w: git %d.%d is older than %d.%d (%s at %s)", ErrTooOld, p.g.Major, p.g.Minor, major, minor, p.g.Version, p.g.Path)
	}
	return p.g, nil
}

var versionRE = regexp.MustCompile(`^git version (\d+)\.(\d+)`)

func version(path string) (*Git, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Env = Env("")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%w: %s version: %v", ErrMissing, path, err)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("%w: %s version says %q", ErrMissing, path, bytes.TrimSpace(out))
	}
	g := &Git{Path: path, Version: string(bytes.TrimSpace(out))}
	g.Major, _ = strconv.Atoi(string(m[1]))
	g.Minor, _ = strconv.Atoi(string(m[2]))
	return g, nil
}

// passed are the caller's variables a git run keeps: where programs
// are, proxies, the temporary directory, the ssh agent.
var passed = map[string]bool{"path": true, "http_proxy": true, "https_proxy": true, "all_proxy": true,
	"no_proxy": true, "tmpdir": true, "ssh_auth_sock": true}

// Env is the whole environment of a controlled git run: of the
// caller's only PATH, the proxies, TMPDIR and SSH_AUTH_SOCK; HOME (and
// XDG_CONFIG_HOME) at home, or a directory that does not exist when
// home is ""; no system or global configuration; no prompts; no
// replace objects or optional locks; C messages. extra comes last.
func Env(home string, extra ...string) []string {
	if home == "" {
		home = "/nonexistent/prtrack-git-home"
	}
	env := []string{
		"HOME=" + home, "XDG_CONFIG_HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=",
		"GIT_NO_REPLACE_OBJECTS=1", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C",
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if passed[strings.ToLower(k)] {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// UserEnv is the environment of a git run that must see the user's own
// configuration, such as a push to the maintainer's remote (credential
// helpers and URL rewrites live there): the caller's environment
// without its GIT_* variables, no system configuration, no prompts, C
// messages. extra comes last.
func UserEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "LC_ALL=") {
			env = append(env, kv)
		}
	}
	env = append(env, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	return append(env, extra...)
}

// Command prepares git args on the repository gitDir ("" for none),
// bounded by ctx, in the controlled environment Env(""), with hooks off
// and gitDir marked safe whoever owns it.
func (g *Git) Command(ctx context.Context, gitDir string, args ...string) *exec.Cmd {
	full := []string{"-c", "core.hooksPath=/dev/null"}
	if gitDir != "" {
		full = append(full, "-c", "safe.directory="+gitDir, "--git-dir", gitDir)
	}
	cmd := exec.CommandContext(ctx, g.Path, append(full, args...)...)
	cmd.Env = Env("")
	cmd.WaitDelay = 2 * time.Second // a killed git's children may hold the pipes
	return cmd
}

// Tail keeps the last 4 KiB written to it: a git's standard error, for
// error messages.
type Tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *Tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - 4096; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// String returns the lines kept, joined by "; ".
func (t *Tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.FieldsFunc(strings.TrimSpace(string(t.buf)), func(r rune) bool { return r == '\n' || r == '\r' })
	return strings.Join(lines, "; ")
}
