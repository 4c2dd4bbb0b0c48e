package gitfixture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoGit is returned when the git program is not installed.
var ErrNoGit = errors.New("gitfixture: git not found in PATH")

// gitEnv isolates git from the user's and the system's configuration.
func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0")
}

// runGit runs git in dir with stdin and returns its standard output.
func runGit(ctx context.Context, dir string, stdin io.Reader, args ...string) (string, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return "", ErrNoGit
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("gitfixture: git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// initBare creates a bare repository at dir.
func initBare(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("gitfixture: %w", err)
	}
	_, err := runGit(ctx, dir, nil, "init", "--bare", "-q", "-b", "master", ".")
	return err
}

// fastImport feeds a fast-import stream to the repository at dir and
// returns the hashes of the marks.
func fastImport(ctx context.Context, dir string, stream io.Reader) (map[int]string, error) {
	marks := filepath.Join(dir, "fixture-marks")
	defer os.Remove(marks)
	if _, err := runGit(ctx, dir, stream, "fast-import", "--quiet", "--export-marks="+marks); err != nil {
		return nil, err
	}
	f, err := os.Open(marks)
	if err != nil {
		return nil, fmt.Errorf("gitfixture: %w", err)
	}
	defer f.Close()
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var n int
		var h string
		if _, err := fmt.Sscanf(sc.Text(), ":%d %s", &n, &h); err != nil {
			return nil, fmt.Errorf("gitfixture: marks line %q: %w", sc.Text(), err)
		}
		out[n] = h
	}
	return out, sc.Err()
}

// shareObjects makes the repository at dir borrow the objects of world.
func shareObjects(dir, world string) error {
	alt := filepath.Join(dir, "objects", "info", "alternates")
	if err := os.MkdirAll(filepath.Dir(alt), 0o755); err != nil {
		return fmt.Errorf("gitfixture: %w", err)
	}
	abs, err := filepath.Abs(filepath.Join(world, "objects"))
	if err != nil {
		return fmt.Errorf("gitfixture: %w", err)
	}
	return os.WriteFile(alt, []byte(abs+"\n"), 0o644)
}

// setRefs points refs (full name to hash) in the repository at dir.
func setRefs(ctx context.Context, dir string, refs map[string]string) error {
	var b strings.Builder
	for name, h := range refs {
		fmt.Fprintf(&b, "update %s %s\n", name, h)
	}
	_, err := runGit(ctx, dir, strings.NewReader(b.String()), "update-ref", "--stdin")
	return err
}
