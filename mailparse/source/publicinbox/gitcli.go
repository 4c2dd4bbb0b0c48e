package publicinbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// GitMode says whether the git program does the heavy work: reading an
// epoch's messages (git cat-file --batch on the local repository) and
// mirroring (git clone --mirror, git fetch). go-git does it otherwise,
// 1.5x-2x slower on a year of linux-rdma, and more on a full epoch.
type GitMode int

const (
	// GitAuto uses git when git 2.32 or later is on PATH, else go-git.
	GitAuto GitMode = iota
	// GitNever always uses go-git.
	GitNever
	// GitRequired uses git and fails with ErrGitMissing without it.
	GitRequired
)

// ErrGitMissing is returned under GitRequired when no usable git is on
// PATH.
var ErrGitMissing = errors.New("publicinbox: git 2.32 or later is needed (GitRequired) but was not found on PATH")

// minGit is the oldest git used: GIT_CONFIG_GLOBAL (2.32) keeps the
// user's configuration out of our runs.
const minGitMajor, minGitMinor = 2, 32

var gitVersionRE = regexp.MustCompile(`^git version (\d+)\.(\d+)`)

// gitProgram finds a usable git for mode: "" means use go-git. The
// found program is checked once per path and process.
func gitProgram(mode GitMode) (string, error) {
	if mode == GitNever {
		return "", nil
	}
	path, err := exec.LookPath("git")
	if err == nil {
		err = checkGit(path)
	}
	if err != nil {
		if mode == GitRequired {
			return "", fmt.Errorf("%w: %v", ErrGitMissing, err)
		}
		return "", nil
	}
	return path, nil
}

var gitChecked sync.Map // path -> error (nil when usable)

func checkGit(path string) error {
	if v, ok := gitChecked.Load(path); ok {
		err, _ := v.(error)
		return err
	}
	err := gitVersionOK(path)
	gitChecked.Store(path, err)
	return err
}

func gitVersionOK(path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Env = gitEnv()
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("git version: %w", err)
	}
	m := gitVersionRE.FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("git version: unexpected output %q", bytes.TrimSpace(out))
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	if major < minGitMajor || major == minGitMajor && minor < minGitMinor {
		return fmt.Errorf("git %d.%d is older than %d.%d", major, minor, minGitMajor, minGitMinor)
	}
	return nil
}

// gitEnv is the controlled environment of every git run: no GIT_*
// variable from the caller, no system or global configuration, no
// prompts, no replace refs, C messages.
func gitEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "LC_ALL=") {
			env = append(env, kv)
		}
	}
	env = append(env, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0",
		"GIT_NO_REPLACE_OBJECTS=1", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	return append(env, extra...)
}

// gitCommand prepares git args on the bare repository dir ("" for
// none), bounded by ctx.
func gitCommand(ctx context.Context, git, dir string, args ...string) *exec.Cmd {
	full := []string{"-c", "core.hooksPath=/dev/null"}
	if dir != "" {
		full = append(full, "-c", "safe.directory="+dir, "--git-dir", dir)
	}
	cmd := exec.CommandContext(ctx, git, append(full, args...)...)
	cmd.Env = gitEnv()
	cmd.WaitDelay = 2 * time.Second // a killed git's children may hold the pipes
	return cmd
}

// tailBuffer keeps the last bytes written to it: a git's stderr.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - 4096; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// String returns the lines kept, joined by "; ".
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "; ")
}
