package publicinbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
)

// gitMirrorConfig keeps mirroring runs from starting work of their own:
// no hooks, no background gc or maintenance.
var gitMirrorConfig = []string{"-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "fetch.writeCommitGraph=false"}

// gitClone is clone done by git clone --mirror, several times faster
// than go-git on a deltified epoch.
func (o *MirrorOptions) gitClone(ctx context.Context, remote, path string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".clone-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	args := append(gitMirrorConfig[:len(gitMirrorConfig):len(gitMirrorConfig)], "clone", "--mirror", o.quiet(), "--", remote, tmp)
	if err := o.runGit(ctx, remote, "", args...); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// gitFetch is the fetch of syncEpoch done by git fetch: every ref,
// forced (a purge rewrites history), none pruned, as go-git does.
func (o *MirrorOptions) gitFetch(ctx context.Context, remote, path string) (updated bool, err error) {
	before, err := o.refs(ctx, path)
	if err != nil {
		return false, err
	}
	args := append(gitMirrorConfig[:len(gitMirrorConfig):len(gitMirrorConfig)],
		"fetch", o.quiet(), "--no-tags", "--update-head-ok", "--", remote, "+refs/*:refs/*")
	if err := o.runGit(ctx, remote, path, args...); err != nil {
		return false, err
	}
	after, err := o.refs(ctx, path)
	return !bytes.Equal(before, after), err
}

// refs lists the refs of the repository at path.
func (o *MirrorOptions) refs(ctx context.Context, path string) ([]byte, error) {
	cmd := gitCommand(ctx, o.git, path, "for-each-ref", "--format=%(objectname) %(refname)")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git for-each-ref: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

func (o *MirrorOptions) quiet() string {
	if o.GitProgress != nil {
		return "--progress"
	}
	return "--quiet"
}

// runGit runs git for the remote URL (already checked by mirrorBase:
// only its scheme is allowed as a transport), on the repository dir if
// any, bounded by ctx.
func (o *MirrorOptions) runGit(ctx context.Context, remote, dir string, args ...string) error {
	u, err := url.Parse(remote)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	cmd := gitCommand(ctx, o.git, dir, args...)
	cmd.Env = append(cmd.Env, "GIT_ALLOW_PROTOCOL="+u.Scheme)
	stderr := &tailBuffer{}
	cmd.Stderr = stderr
	if o.GitProgress != nil {
		cmd.Stderr = io.MultiWriter(o.GitProgress, stderr)
	}
	err = cmd.Run()
	if ctx.Err() != nil {
		return fmt.Errorf("git %s: %w", args[len(gitMirrorConfig)], ctx.Err())
	}
	if err != nil {
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			return fmt.Errorf("git %s: %w: %s", args[len(gitMirrorConfig)], err, stderr.String())
		}
		return fmt.Errorf("git %s: %w", args[len(gitMirrorConfig)], err)
	}
	return nil
}
