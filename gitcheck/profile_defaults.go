package gitcheck

// The mlx5-next shared branch: pulled by both netdev and rdma, so it is
// based on a mainline tag and never rebased.
func sharedProfile() Profile {
	return Profile{
		Name:       ProfileShared,
		SelectURLs: []string{"git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux"},
		SelectRefs: []string{"mlx5-next", "tags/mlx5-next*"},
		Paths: []string{"include/linux/mlx5/", "drivers/net/ethernet/mellanox/mlx5/core/",
			"drivers/infiniband/hw/mlx5/"},
		UAPI:       []string{"include/uapi/"},
		Base:       BaseMainlineTag,
		Self:       "mlx5-next",
		AppendOnly: true,
	}
}

// rdma-core, the userspace tree: provider work under providers/<driver>/
// with that driver's pyverbs and tests, the packaging symbol file every
// provider with a public library adds to, and kernel-headers/ only as a
// copy of an accepted kernel uAPI.
func rdmaCoreProfile() Profile {
	return Profile{
		Name:         ProfileRdmaCore,
		SelectURLs:   []string{"github.com/linux-rdma/rdma-core"},
		SelectBaseIn: "rdma-core",
		Scope:        []string{"providers/<driver>/", "pyverbs/providers/<driver>/", "tests/test_<driver>"},
		Paths:        []string{"debian/ibverbs-providers.symbols"},
		Headers:      "kernel-headers/",
		Base:         BaseUpstream,
		Upstream:     "rdma-core",
		// rdma-core takes GitHub branches, never signed tags.
		Signature: SignatureOff,
	}
}
