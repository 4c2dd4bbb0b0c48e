package volatile

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
	"time"
)

// ErrGitMissing is returned when the git program cannot be run.
var ErrGitMissing = errors.New("volatile: git not found (git 2.38 or later is needed for merge-tree --write-tree)")

// ErrGitTooOld is returned when git is older than 2.38.
var ErrGitTooOld = errors.New("volatile: git 2.38 or later is needed for merge-tree --write-tree")

// exitError is a git run that ended with a non-zero status.
type exitError struct {
	args   []string
	code   int
	stderr string
}

func (e *exitError) Error() string {
	return fmt.Sprintf("git %s: exit status %d: %s", strings.Join(e.args, " "), e.code, e.stderr)
}

// git runs the git program on one repository.
type git struct {
	path    string // the program
	gitDir  string
	timeout time.Duration
	// keepConfig keeps the user's global configuration (push only:
	// credentials and URL rewrites live there).
	keepConfig bool
	version    string // "git version 2.39.5", once checked
	// stdin says merge-tree takes many merges on its standard input
	// (git 2.40 or later).
	stdin bool
}

// env is the controlled environment: no GIT_* variable from the caller,
// no system or global configuration, no prompts, no pathspec magic
// (run adds: no hooks).
func (g *git) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			env = append(env, kv)
		}
	}
	env = append(env, "GIT_DIR="+g.gitDir, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0",
		"GIT_LITERAL_PATHSPECS=1") // paths come from pull requests: no pathspec magic
	if !g.keepConfig {
		env = append(env, "GIT_CONFIG_GLOBAL=/dev/null")
	}
	return env
}

// run runs git with args and extra environment, bounded by the timeout,
// and returns its standard output. A non-zero exit is an *exitError.
func (g *git) run(ctx context.Context, extraEnv []string, args ...string) (string, error) {
	return g.runInput(ctx, "", extraEnv, args...)
}

// runInput is run with stdin as git's standard input.
func (g *git) runInput(ctx context.Context, stdin string, extraEnv []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	full := append([]string{"-c", "core.hooksPath=/dev/null"}, args...)
	cmd := exec.CommandContext(ctx, g.path, full...)
	cmd.Env = append(g.env(), extraEnv...)
	cmd.Dir = g.gitDir
	cmd.WaitDelay = time.Second // a killed git's children may hold the pipes
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", fmt.Errorf("volatile: git %s: %w after %v", args[0], ctx.Err(), g.timeout)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), &exitError{args: args, code: ee.ExitCode(), stderr: strings.TrimSpace(errb.String())}
	}
	if err != nil {
		return "", fmt.Errorf("volatile: run git: %w", err)
	}
	return out.String(), nil
}

var gitVersion = regexp.MustCompile(`^git version (\d+)\.(\d+)`)

// checkVersion reports ErrGitMissing or ErrGitTooOld.
func (g *git) checkVersion(ctx context.Context) error {
	path, err := exec.LookPath(g.path)
	if err != nil {
		return ErrGitMissing
	}
	if g.path, err = filepath.Abs(path); err != nil { // looked up once, not for every command
		return ErrGitMissing
	}
	out, err := g.run(ctx, nil, "version")
	if err != nil {
		return fmt.Errorf("volatile: git version: %w", err)
	}
	m := gitVersion.FindStringSubmatch(out)
	if m == nil {
		return fmt.Errorf("volatile: git version: unexpected output %q", strings.TrimSpace(out))
	}
	g.version = strings.TrimSpace(out)
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major < 2 || major == 2 && minor < 38 {
		return fmt.Errorf("%w (found %d.%d)", ErrGitTooOld, major, minor)
	}
	g.stdin = major > 2 || minor >= 40
	return nil
}
