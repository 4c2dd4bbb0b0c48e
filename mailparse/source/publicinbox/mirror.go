package publicinbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"
)

// ErrBadURL is returned by Mirror for a URL it refuses: only http,
// https and git URLs with a host are fetched.
var ErrBadURL = errors.New("publicinbox: mirror URL must be http, https or git with a host")

// MirrorOptions tunes Mirror. The zero value gives the defaults.
type MirrorOptions struct {
	// EpochTimeout bounds the clone or fetch of one epoch. Default 30
	// minutes. The whole run is bounded by the context.
	EpochTimeout time.Duration
	// Progress, if set, is called before and after each epoch.
	Progress func(MirrorEvent)
	// GitProgress, if set, receives the server's progress messages.
	GitProgress io.Writer
	// CABundle holds extra PEM certificates trusted for https. go-git
	// does the transfers when it is set.
	CABundle []byte
	// Git says whether git clone --mirror and git fetch do the
	// transfers (GitAuto: when git 2.32 or later is on PATH and there is
	// no CABundle); go-git does them otherwise, 2x slower on a year of
	// linux-rdma and up to 5x on a full epoch.
	Git GitMode

	git string // the git program, or "" for go-git
}

// MirrorStage says what Mirror is doing with an epoch.
type MirrorStage int

const (
	// StageCloning: the epoch is new here and is being cloned.
	StageCloning MirrorStage = iota
	// StageFetching: the local epoch is being brought up to date.
	StageFetching
	// StageDone: the epoch is up to date.
	StageDone
)

// MirrorEvent reports progress on one epoch.
type MirrorEvent struct {
	Epoch int
	URL   string
	Stage MirrorStage
	// Updated tells, at StageDone, whether anything was fetched.
	Updated bool
}

// MirrorResult says what Mirror did.
type MirrorResult struct {
	// Cloned lists the epochs new to the local copy; Updated those
	// that existed and received new commits.
	Cloned, Updated []int
	// Epochs is the number of epochs the local copy now holds.
	Epochs int
}

// Mirror brings the local copy at dir of the v2 inbox at remoteURL
// (such as https://lore.kernel.org/linux-rdma) up to date: it fetches
// every epoch remoteURL/N into dir/git/N.git, cloning the epochs it
// lacks, and discovers new epochs by trying N+1 until the server has
// none. Rewritten remote histories replace the local ones.
func Mirror(ctx context.Context, remoteURL, dir string, opts *MirrorOptions) (*MirrorResult, error) {
	base, err := mirrorBase(remoteURL)
	if err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	if o.git, err = mirrorGit(o); err != nil {
		return nil, err
	}
	gitDir := filepath.Join(dir, "git")
	if err := os.MkdirAll(gitDir, 0o755); err != nil {
		return nil, fmt.Errorf("publicinbox: mirror: %w", err)
	}
	local, err := epochNumbers(gitDir)
	if err != nil {
		return nil, err
	}
	res := &MirrorResult{}
	for n := 0; ; n++ {
		have := slices.Contains(local, n)
		ev := MirrorEvent{Epoch: n, URL: base + "/" + strconv.Itoa(n), Stage: StageFetching}
		if !have {
			ok, err := o.exists(ctx, ev.URL)
			if err != nil {
				return res, fmt.Errorf("publicinbox: mirror epoch %s: %w", ev.URL, err)
			}
			if !ok && n == 0 {
				return nil, fmt.Errorf("%w: nothing at %s", ErrNotInbox, ev.URL)
			}
			if !ok && n > maxOf(local) {
				res.Epochs = n
				return res, nil
			}
			ev.Stage = StageCloning
		}
		o.progress(ev)
		path := filepath.Join(gitDir, strconv.Itoa(n)+".git")
		if ev.Updated, err = o.syncEpoch(ctx, ev.URL, path, have); err != nil {
			return res, fmt.Errorf("publicinbox: mirror epoch %s: %w", ev.URL, err)
		}
		switch {
		case !have:
			res.Cloned = append(res.Cloned, n)
		case ev.Updated:
			res.Updated = append(res.Updated, n)
		}
		ev.Stage = StageDone
		o.progress(ev)
	}
}

// exists reports whether the server has a non-empty repository at url.
func (o *MirrorOptions) exists(ctx context.Context, url string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, o.EpochTimeout)
	defer cancel()
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "probe", URLs: []string{url}})
	_, err := remote.ListContext(ctx, &git.ListOptions{CABundle: o.CABundle})
	if errors.Is(err, transport.ErrRepositoryNotFound) || errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return false, nil
	}
	return err == nil, err
}

func (o *MirrorOptions) withDefaults() *MirrorOptions {
	var out MirrorOptions
	if o != nil {
		out = *o
	}
	if out.EpochTimeout <= 0 {
		out.EpochTimeout = 30 * time.Minute
	}
	return &out
}

// mirrorGit finds the git program for the transfers, "" for go-git.
func mirrorGit(o *MirrorOptions) (string, error) {
	if len(o.CABundle) > 0 {
		if o.Git == GitRequired {
			return "", fmt.Errorf("publicinbox: mirror: a CA bundle is used by go-git only, not with GitRequired")
		}
		return "", nil
	}
	return gitProgram(o.Git)
}

func (o *MirrorOptions) progress(ev MirrorEvent) {
	if o.Progress != nil {
		o.Progress(ev)
	}
}

// mirrorBase checks remoteURL and returns it without trailing slashes.
func mirrorBase(remoteURL string) (string, error) {
	u, err := url.Parse(remoteURL)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	switch u.Scheme {
	case "http", "https", "git":
	default:
		return "", fmt.Errorf("%w: %q", ErrBadURL, remoteURL)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %q", ErrBadURL, remoteURL)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func maxOf(nums []int) int {
	if len(nums) == 0 {
		return -1
	}
	return slices.Max(nums)
}

// syncEpoch fetches url into the bare repository path, cloning it when
// it does not exist yet; updated reports whether refs changed.
func (o *MirrorOptions) syncEpoch(ctx context.Context, url, path string, have bool) (updated bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, o.EpochTimeout)
	defer cancel()
	switch {
	case !have && o.git != "":
		return true, o.gitClone(ctx, url, path)
	case !have:
		return true, o.clone(ctx, url, path)
	case o.git != "":
		return o.gitFetch(ctx, url, path)
	}
	repo, err := git.PlainOpen(path)
	if err != nil {
		return false, err
	}
	remote, err := repo.CreateRemoteAnonymous(&config.RemoteConfig{Name: "anonymous", URLs: []string{url}})
	if err != nil {
		return false, err
	}
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{"+refs/*:refs/*"},
		Tags:     git.NoTags,
		Force:    true,
		Progress: o.GitProgress,
		CABundle: o.CABundle,
	})
	if errors.Is(err, git.NoErrAlreadyUpToDate) {
		return false, nil
	}
	return err == nil, err
}

// clone makes a bare mirror of url at path, through a temporary
// directory so that an interrupted clone leaves nothing behind.
func (o *MirrorOptions) clone(ctx context.Context, url, path string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".clone-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	_, err = git.PlainCloneContext(ctx, tmp, true, &git.CloneOptions{
		URL:      url,
		Mirror:   true,
		Tags:     git.NoTags,
		Progress: o.GitProgress,
		CABundle: o.CABundle,
	})
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
