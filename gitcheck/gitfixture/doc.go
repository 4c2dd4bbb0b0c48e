// Package gitfixture builds small, real git worlds for prtrack: bare
// repositories written with git fast-import and served by git daemon
// on 127.0.0.1, shaped like the RDMA subsystem's trees.
//
//   - Build: Linus's tree with release tags v6.9-rc1..rc3, net,
//     net-next, rdma (for-next, for-rc), mlx5-next and a driver tree
//     with one branch per sample pull request (clean, waiting,
//     out-of-scope, uapi, rebased, tag, ...); AddProfileSamples adds
//     the shared-branch and rdma-core samples, CommitMaintainers a
//     MAINTAINERS file, NewKey and AddTag a signed tag and its keyring.
//   - BuildShared, BuildRdmaCore, BuildVolatile: the worlds of the
//     shared-branch and rdma-core profiles and of the volatile tree.
//   - BuildLinear: a large linear upstream (a million commits in about
//     a minute) for the benchmarks.
//   - Start and Serve: git daemon over a fixture, and its URLs.
//   - RequestPull: the text git request-pull prints for a sample.
//
// Its users are the tests and benchmarks of every package that talks
// to git, and "prtrack demo", whose world package (cmd/prtrack/demo)
// links it into the binary on purpose: the demo needs real repositories
// and a real server, without network or setup. It needs the git CLI
// (ErrNoGit otherwise) and, to serve, git daemon (CheckDaemon).
package gitfixture
