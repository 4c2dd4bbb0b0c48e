package publicinbox

import (
	"context"
	"errors"
	"fmt"
	"os/exec"

	"github.com/prtrack/prtrack/gitcheck/gitcli"
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

// The oldest git used: GIT_CONFIG_GLOBAL (2.32) keeps the user's
// configuration out of our runs.
const minGitMajor, minGitMinor = 2, 32

// gitProgram finds a usable git for mode: "" means use go-git.
func gitProgram(mode GitMode) (string, error) {
	if mode == GitNever {
		return "", nil
	}
	g, err := gitcli.Find("", minGitMajor, minGitMinor) // on ErrTooOld, g is the old git
	if err != nil {
		if mode == GitRequired {
			return "", fmt.Errorf("%w: %v", ErrGitMissing, err)
		}
		return "", nil
	}
	return g.Path, nil
}

// gitEnv is the controlled environment of every git run (gitcli.Env).
func gitEnv(extra ...string) []string { return gitcli.Env("", extra...) }

// gitCommand prepares git args on the bare repository dir ("" for
// none), bounded by ctx, as gitcli builds every git command.
func gitCommand(ctx context.Context, git, dir string, args ...string) *exec.Cmd {
	return (&gitcli.Git{Path: git}).Command(ctx, dir, args...)
}

// tailBuffer keeps the end of a git's standard error.
type tailBuffer = gitcli.Tail
