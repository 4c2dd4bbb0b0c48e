package volatile

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Defaults of Options.
const (
	DefaultBase       = "refs/trees/rdma/heads/for-next"
	DefaultRef        = "refs/heads/volatile"
	DefaultMaxPairs   = 300 // 25 pull requests
	DefaultGitTimeout = 2 * time.Minute
	DefaultMaxCommits = 20
)

// Options configure Build. The zero value, with Repo set, gives the
// defaults.
type Options struct {
	// Repo is prtrack's repository (bare, or a work tree with .git).
	Repo string
	// Base is the ref or commit the volatile tree starts from; "" means
	// DefaultBase, the rdma tree's for-next as "trees update" stores it.
	Base string
	// Ref is where the result is written; "" means DefaultRef.
	Ref string
	// MaxPairs bounds the pairwise trial merges (n pull requests need
	// n(n-1)/2); 0 means DefaultMaxPairs, negative means none.
	MaxPairs int
	// MaxCommits bounds the commits listed per side of a conflict; 0
	// means DefaultMaxCommits.
	MaxCommits int
	// GitTimeout bounds each git command; 0 means DefaultGitTimeout.
	GitTimeout time.Duration
	// Git is the git program; "" means "git" from PATH.
	Git string
	// Jobs is how many merges run side by side; 0 means one per CPU.
	// The merges of the tree itself run one after the other.
	Jobs int
	// NoCache runs every merge again: CacheFile is neither read nor
	// written.
	NoCache bool
	Logger  *slog.Logger

	// phase, when set, is told how long each phase took (benchmarks).
	phase func(name string, d time.Duration)
}

func (o Options) withDefaults() Options {
	if o.Base == "" {
		o.Base = DefaultBase
	}
	if o.Ref == "" {
		o.Ref = DefaultRef
	}
	if o.MaxPairs == 0 {
		o.MaxPairs = DefaultMaxPairs
	}
	if o.MaxCommits <= 0 {
		o.MaxCommits = DefaultMaxCommits
	}
	if o.GitTimeout <= 0 {
		o.GitTimeout = DefaultGitTimeout
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Git == "" {
		o.Git = "git"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// gitDir is the repository's git directory, as gitcheck opens it.
func gitDir(repo string) string {
	if fi, err := os.Stat(filepath.Join(repo, ".git")); err == nil && fi.IsDir() {
		return filepath.Join(repo, ".git")
	}
	return repo
}
