// Package volatile implements the volatile for-next: an integration
// tree rebuilt from scratch that merges every pending pull request, in a
// fixed order, on top of a base (the rdma tree's for-next), as an early
// warning of merge conflicts, the way linux-next and DRM's drm-tip are
// rebuilt.
//
// Merges are git's own three-way merges: "git merge-tree --write-tree"
// (git 2.38 or later) writes each merged tree without a work tree and
// names the conflicted paths, and "git commit-tree" records the merge.
// Both run on prtrack's repository with no user or system
// configuration, no hooks and a bounded time. A pull request that does
// not merge is left out and reported linux-next style: the conflicting
// paths, what it conflicts with (the base or an earlier pull request)
// and, for each side, the commits touching those paths. Every pair of
// pull requests that merge onto the base alone is also trial-merged as
// (base + A) + B, so that conflicts between pending pull requests show
// before the merge window.
//
// The merge commits carry an integration manifest (pull request, tip,
// base, order) in their messages and fixed author, committer and dates
// derived from the commits merged, so unchanged inputs give the same
// commit ids.
//
// A rebuild looks every tip up in one "git cat-file --batch" and reads
// their history in one "git rev-list", runs the merges onto the base
// and the pairs side by side (with git 2.40 or later, many to one
// "git merge-tree --stdin"), and keeps what git answered in CacheFile,
// keyed by the object ids merged: a rebuild where one pull request
// changed runs only the merges that involve it.
package volatile
