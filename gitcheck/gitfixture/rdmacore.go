package gitfixture

import (
	"context"
	"fmt"
)

// Where BuildRdmaCore serves rdma-core (the accepted tree) and a
// contributor's fork holding the pull requests' branches.
const (
	RdmaCoreRepo = "linux-rdma/rdma-core.git"
	RdmaForkRepo = "contributor/rdma-core.git"
)

// rdma-core's layout, after the real tree: providers and their pyverbs
// and tests, the libraries, the uAPI copy and the packaging.
var rdmaCoreFiles = files{
	"CMakeLists.txt":                       "project(rdma-core)\n",
	"libibverbs/verbs.c":                   "verbs 0\n",
	"librdmacm/cma.c":                      "cma 0\n",
	"providers/mlx5/qp.c":                  "mlx5 qp 0\n",
	"providers/mlx5/mlx5dv.h":              "mlx5dv 0\n",
	"providers/efa/efa.c":                  "efa 0\n",
	"pyverbs/providers/mlx5/mlx5dv.pyx":    "pyverbs mlx5 0\n",
	"pyverbs/providers/efa/efadv.pyx":      "pyverbs efa 0\n",
	"tests/test_mlx5_dc.py":                "test mlx5 dc 0\n",
	"tests/test_efa_srd.py":                "test efa srd 0\n",
	"kernel-headers/rdma/mlx5-abi.h":       "mlx5 abi 1\n",
	"kernel-headers/rdma/efa-abi.h":        "efa abi 1\n",
	"debian/ibverbs-providers.symbols":     "libmlx5.so.1 ibverbs-providers #MINVER#\n",
	"debian/control":                       "Source: rdma-core\n",
	"redhat/rdma-core.spec":                "Name: rdma-core\n",
	"Documentation/pyverbs.md":             "pyverbs\n",
	"providers/mlx5/man/mlx5dv_query.3.md": "mlx5dv_query\n",
}

// The kernel's uAPI headers the copy follows: mlx5-abi.h is one version
// ahead of rdma-core's copy.
var kernelUAPIFiles = files{
	"Makefile":                          "VERSION = 6\nPATCHLEVEL = 9\n",
	"include/uapi/rdma/mlx5-abi.h":      "mlx5 abi 2\n",
	"include/uapi/rdma/efa-abi.h":       "efa abi 1\n",
	"drivers/infiniband/hw/mlx5/main.c": "mlx5 ib 0\n",
}

const rdmaCoreDev = "Yishai Hadas <yishaih@nvidia.com>"

// BuildRdmaCore writes an rdma-core world under root: Linus's tree
// (linux.git, tag v6.9-rc1) with the uAPI headers, rdma-core (master
// and stable-v50) and a fork whose branches are the samples:
// core-provider, core-pyverbs (provider, its pyverbs and tests),
// core-symbols, core-headers-synced (a header byte-identical to the
// kernel's), core-headers-new (one that is not), core-libibverbs,
// core-two-providers, core-stable (on stable-v50) and core-base-fork
// (based on a commit rdma-core does not have).
func BuildRdmaCore(ctx context.Context, root string) (*Kernel, error) {
	h := newHistory(fixtureEpoch)
	l := h.commit(nil, maintainer, "Linux 6.8", kernelUAPIFiles)
	l = h.commit([]int{l}, maintainer, "Linux 6.9-rc1", files{"Makefile": "VERSION = 6\nPATCHLEVEL = 9\nEXTRAVERSION = -rc1\n"})
	tag := h.tag("v6.9-rc1", l, "Linux 6.9-rc1")
	c := rdmaCoreHistory(h)
	repos := []repoSpec{
		{name: "linux.git", head: "master", refs: map[string]int{"refs/heads/master": l, "refs/tags/v6.9-rc1": tag}},
		{name: RdmaCoreRepo, head: "master", refs: map[string]int{"refs/heads/master": c.master, "refs/heads/stable-v50": c.stable}},
		{name: RdmaForkRepo, head: "master", refs: c.forkRefs()},
	}
	k, err := buildWorld(ctx, root, h, repos)
	if err != nil {
		return nil, err
	}
	k.Trees = []Tree{
		{Name: "linus", Repo: "linux.git", Refs: []string{"master", "refs/tags/v*"}},
		{Name: "rdma-core", Repo: RdmaCoreRepo, Refs: []string{"master", "refs/heads/stable-v*"}},
	}
	k.addSamples(c.samples)
	k.Commits["rdma-core-master"] = k.marks[c.master]
	return k, nil
}

type rdmaCoreWorld struct {
	master, stable int
	samples        []sampleSpec
}

func rdmaCoreHistory(h *history) *rdmaCoreWorld {
	w := &rdmaCoreWorld{}
	r := h.commit(nil, rdmaCoreDev, "Initial import", rdmaCoreFiles)
	v50 := h.commit([]int{r}, rdmaCoreDev, "Update library version to 50.0", files{"CMakeLists.txt": "project(rdma-core 50)\n"})
	w.stable = h.commit([]int{v50}, rdmaCoreDev, "mlx5: fix a leak on the stable branch", files{"providers/mlx5/qp.c": "mlx5 qp stable\n"})
	w.master = h.commit([]int{v50}, rdmaCoreDev, "Update library version to 51.0", files{"CMakeLists.txt": "project(rdma-core 51)\n"})
	m := w.master
	one := func(name string, base int, want string, subjects []string, changes ...files) {
		tip := base
		for i, ch := range changes {
			tip = h.commit([]int{tip}, rdmaCoreDev, subjects[i], ch)
		}
		w.samples = append(w.samples, sampleSpec{name: name, repo: RdmaForkRepo, ref: name, base: base, tip: tip, driver: "mlx5", want: want})
	}
	prov := files{"providers/mlx5/qp.c": "mlx5 qp 1\n"}
	one("core-provider", m, "accepted clean", []string{"mlx5: support a new QP type"}, prov)
	one("core-pyverbs", m, "accepted clean", []string{"mlx5: add DC streams", "pyverbs/mlx5: expose DC streams", "tests: add a DC streams test"},
		prov, files{"pyverbs/providers/mlx5/mlx5dv.pyx": "pyverbs mlx5 1\n"}, files{"tests/test_mlx5_dc.py": "test mlx5 dc 1\n"})
	one("core-symbols", m, "accepted clean", []string{"mlx5: add mlx5dv_query_port"},
		files{"providers/mlx5/qp.c": "mlx5 qp 2\n", "debian/ibverbs-providers.symbols": "libmlx5.so.1 ibverbs-providers #MINVER#\n mlx5dv_query_port@MLX5_1.25 51\n"})
	one("core-headers-synced", m, "accepted clean", []string{"Update kernel headers", "mlx5: use the new ABI"},
		files{"kernel-headers/rdma/mlx5-abi.h": "mlx5 abi 2\n"}, prov)
	one("core-headers-new", m, "rejected uapi-change", []string{"Update kernel headers", "mlx5: use the new ABI"},
		files{"kernel-headers/rdma/mlx5-abi.h": "mlx5 abi 3\n"}, prov)
	one("core-libibverbs", m, "rejected out-of-scope", []string{"mlx5: support a new QP type", "verbs: add a helper for mlx5"},
		prov, files{"libibverbs/verbs.c": "verbs mlx5\n"})
	one("core-two-providers", m, "rejected out-of-scope", []string{"mlx5: support a new QP type", "efa: follow mlx5"},
		prov, files{"providers/efa/efa.c": "efa 1\n"})
	one("core-stable", w.stable, "accepted clean", []string{"mlx5: fix another leak"}, files{"providers/mlx5/qp.c": "mlx5 qp stable 2\n"})
	fork := h.commit([]int{m}, rdmaCoreDev, "mlx5: work in progress", files{"providers/mlx5/mlx5dv.h": "mlx5dv wip\n"})
	one("core-base-fork", fork, "rejected base-not-accepted", []string{"mlx5: finish the work"}, prov)
	return w
}

func (w *rdmaCoreWorld) forkRefs() map[string]int {
	refs := map[string]int{"refs/heads/master": w.master}
	for _, s := range w.samples {
		refs[fmt.Sprintf("refs/heads/%s", s.ref)] = s.tip
	}
	return refs
}
