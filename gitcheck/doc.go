// Package gitcheck implements the linux-rdma shared-pull-request rules:
// it fetches what a "git request-pull" mail names into a private ref
// namespace of a local repository and judges the pull request commit by
// commit against the accepted trees (Linus's master and tags, net,
// net-next, rdma, shared branches such as mlx5-next).
//
// The pull request's own commits are those reachable from its tip and not
// from any accepted ref; they must stay inside one driver's directory and
// must not touch the uAPI. Shared commits (reachable from the tip and from
// an accepted ref) are ignored by those rules but decide readiness: a pull
// request is clean once every shared commit is in the mainline tree.
//
// Membership in the accepted trees is answered by an index of every
// accepted commit with one bit per tree, kept beside the repository and
// updated incrementally, so checking a pull request walks only its own
// commits and the shared commits not yet in the mainline, never the whole
// history.
//
// A pull request whose tip is already in the mainline has been merged; it
// is reported as such, with the merge commit that brought it in, found on
// the mainline branch's first-parent history by a walk pruned with
// commit-graph generation numbers (or commit dates when there are none).
// One whose tip is only on another accepted tree's branch (the rdma
// for-next its maintainer pulled it into) is reported pulled into that
// tree, with that tree's merge, and waits for the mainline like any
// shared commit.
//
// Those are the rules of the driver profile (Check). CheckWith judges by
// another Profile: what own commits may touch, what the base must be,
// and extra rules. The built-in "shared" profile (mlx5-next) allows only
// the shared paths, wants a mainline release tag as base and is
// append-only: an own commit with the author, author date and subject
// of a commit an accepted tree already pulled, but another id, is a
// rebase of that commit. The built-in "rdma-core" profile allows one
// provider's paths, kernel-headers/ only as a byte-identical copy of an
// accepted kernel's include/uapi/, and has rdma-core itself as the tree
// its pull requests build on and land in. Which profile judges a pull
// request is the caller's choice; the verdict records it.
//
// URLs come from untrusted mail: they are validated against allow-listed
// schemes and hosts before any network access or process is started, and
// every fetch is bounded in time and bytes. They are fetched with go-git.
// The accepted trees, which the configuration names, are fetched with
// the git CLI when git 2.29 or later is installed (gitcli.go: no user or
// system configuration, no hooks, no prompts, a deadline), which also
// writes the commit-graph; without it, with go-git.
//
// Objects are read the way git reads them, whatever the size of the
// repository: pack indexes, the commit-graph and the accepted index are
// searched in their files, never loaded whole (packread.go, cgraph.go),
// so a check costs what its pull request touches.
//
// Errors: the sentinels (ErrURLRefused, ErrTooLarge, ErrRefLimit,
// ErrNotFetched, ErrNoMaintainers) say what went wrong without a
// package name, so that they can be wrapped with context; the package
// name "gitcheck: " is put in front exactly once, by the function that
// returns the error to the caller. Match them with errors.Is.
package gitcheck
