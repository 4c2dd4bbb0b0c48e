package volatile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/prtrack/prtrack/gitcheck/gitcli"
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

// env is the controlled environment (gitcli.Env, or gitcli.UserEnv for
// a push), with no pathspec magic (run adds: no hooks).
func (g *git) env() []string {
	extra := []string{"GIT_DIR=" + g.gitDir, "GIT_LITERAL_PATHSPECS=1"} // paths come from pull requests
	if g.keepConfig {
		return gitcli.UserEnv(extra...)
	}
	return gitcli.Env("", extra...)
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
	cmd := (&gitcli.Git{Path: g.path}).Command(ctx, g.gitDir, args...)
	cmd.Env = append(g.env(), extraEnv...)
	cmd.Dir = g.gitDir
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

// checkVersion finds the git program once and reports ErrGitMissing
// or ErrGitTooOld.
func (g *git) checkVersion(ctx context.Context) error {
	found, err := gitcli.Find(g.path, 2, 38)
	switch {
	case errors.Is(err, gitcli.ErrMissing):
		return fmt.Errorf("%w: %v", ErrGitMissing, err)
	case errors.Is(err, gitcli.ErrTooOld):
		return fmt.Errorf("%w (found %d.%d)", ErrGitTooOld, found.Major, found.Minor)
	}
	g.path, g.version = found.Path, found.Version // looked up once, not for every command
	g.stdin = found.AtLeast(2, 40)
	return ctx.Err()
}
