package gitfixture

import (
	"fmt"
	"time"
)

// Sample is one driver branch and what its pull request mail quotes.
type Sample struct {
	Name   string // short name: clean, waiting, out-of-scope, ...
	Repo   string // repository path under the server root
	Ref    string // ref as the mail quotes it ("for-next-clean", "tags/...")
	Base   string // 40-hex base commit the mail quotes
	Tip    string // 40-hex tip the mail quotes (the old tip for "rebased")
	Driver string // driver the branch works on
	// Want is the verdict prtrack should reach: "accepted clean",
	// "accepted waiting" or "rejected <code>".
	Want string
}

// Tree is one accepted tree of the fixture.
type Tree struct {
	Name string
	Repo string   // repository path under the server root
	Refs []string // refs prtrack should accept
}

// Kernel is a set of small kernel-like repositories under Root, sharing
// one object store, ready to be served by Serve.
type Kernel struct {
	Root    string
	Trees   []Tree
	Samples []Sample
	// Commits names interesting commits by label (v6.9-rc1, net-next,
	// linus-with-net-next, ...), 40-hex.
	Commits map[string]string

	world  string         // repository holding every object
	marks  map[int]string // fast-import marks
	merges int            // merges made by Merge, to date them
}

// Sample returns the sample with the given name.
func (k *Kernel) Sample(name string) (Sample, bool) {
	for _, s := range k.Samples {
		if s.Name == name {
			return s, true
		}
	}
	return Sample{}, false
}

// base tree of the fixture kernel.
var baseFiles = files{
	"Makefile":                                     "VERSION = 6\nPATCHLEVEL = 9\n",
	"kernel/sched/core.c":                          "sched 0\n",
	"mm/memory.c":                                  "memory 0\n",
	"net/core/dev.c":                               "dev 0\n",
	"drivers/infiniband/core/cm.c":                 "cm 0\n",
	"drivers/infiniband/core/verbs.c":              "verbs 0\n",
	"drivers/infiniband/hw/mlx5/main.c":            "mlx5 ib 0\n",
	"drivers/infiniband/hw/mlx5/qp.c":              "mlx5 qp 0\n",
	"drivers/infiniband/hw/hns/hns_roce_main.c":    "hns 0\n",
	"drivers/infiniband/hw/efa/efa_main.c":         "efa 0\n",
	"drivers/net/ethernet/mellanox/mlx5/core/en.c": "mlx5 en 0\n",
	"include/linux/mlx5/driver.h":                  "mlx5 driver.h 0\n",
	"include/uapi/rdma/ib_user_verbs.h":            "uverbs 0\n",
}

// upstream is the marks of the shared history.
type upstream struct {
	rc       []int // commits tagged v6.9-rc1, rc2, rc3
	tags     []int // the tag objects
	netNext  int   // net-next main: three commits on rc3
	linusNN  int   // Linus master after merging net-next
	forNext  int   // rdma for-next
	forRc    int   // rdma for-rc
	mlx5Next int   // mlx5-next shared branch
}

func buildUpstream(h *history) upstream {
	var u upstream
	cur := h.commit(nil, maintainer, "Linux 6.8", baseFiles)
	for i := 1; i <= 3; i++ {
		cur = h.commit([]int{cur}, maintainer, fmt.Sprintf("sched: tweak %d", i),
			files{"kernel/sched/core.c": fmt.Sprintf("sched %d\n", i)})
		cur = h.commit([]int{cur}, maintainer, fmt.Sprintf("mm: fix %d", i),
			files{"mm/memory.c": fmt.Sprintf("memory %d\n", i)})
		cur = h.commit([]int{cur}, maintainer, fmt.Sprintf("Linux 6.9-rc%d", i),
			files{"Makefile": fmt.Sprintf("VERSION = 6\nPATCHLEVEL = 9\nEXTRAVERSION = -rc%d\n", i)})
		u.rc = append(u.rc, cur)
		u.tags = append(u.tags, h.tag(fmt.Sprintf("v6.9-rc%d", i), cur, fmt.Sprintf("Linux 6.9-rc%d", i)))
	}
	nn := u.rc[2]
	for i, p := range []string{"net/core/dev.c", "drivers/net/ethernet/mellanox/mlx5/core/en.c", "include/linux/mlx5/driver.h"} {
		nn = h.commit([]int{nn}, netdev, fmt.Sprintf("net/mlx5: shared change %d", i+1), files{p: fmt.Sprintf("net-next %d\n", i+1)})
	}
	u.netNext = nn
	u.linusNN = h.merge(u.rc[2], nn, u.rc[2], maintainer, "Merge tag 'net-next-6.10' of git://git.kernel.org/pub/scm/linux/kernel/git/netdev/net-next", nil)
	u.forNext = h.commit([]int{u.rc[0]}, rdmaMaint, "RDMA/core: clean up verbs", files{"drivers/infiniband/core/verbs.c": "verbs 1\n"})
	u.forRc = h.commit([]int{u.rc[1]}, rdmaMaint, "RDMA/cm: fix a leak", files{"drivers/infiniband/core/cm.c": "cm 1\n"})
	u.mlx5Next = h.commit([]int{u.rc[0]}, mlx5Dev, "net/mlx5: add a capability bit", files{"include/linux/mlx5/driver.h": "mlx5 driver.h next\n"})
	return u
}

// driverBranches adds the sample branches and returns, per sample, the
// marks of its base and tip and the ref holding it.
func driverBranches(h *history, u upstream) []branch {
	rc1, rc2 := u.rc[0], u.rc[1]
	mlx5 := func(p, n int, what string) int {
		return h.commit([]int{p}, mlx5Dev, "RDMA/mlx5: "+what, files{"drivers/infiniband/hw/mlx5/main.c": fmt.Sprintf("mlx5 ib %d %s\n", n, what)})
	}
	var out []branch
	c := mlx5(rc1, 1, "add counters")
	c = h.commit([]int{c}, mlx5Dev, "RDMA/mlx5: fix qp state", files{"drivers/infiniband/hw/mlx5/qp.c": "mlx5 qp 1\n"})
	c = mlx5(c, 2, "use the new counters")
	out = append(out, branch{sample: "clean", ref: "for-next-clean", base: rc1, tip: c, driver: "mlx5", want: "accepted clean"},
		branch{sample: "tag", ref: "tags/mlx5-for-next", tag: "mlx5-for-next", base: rc1, tip: c, driver: "mlx5", want: "accepted clean"})

	w := mlx5(u.netNext, 3, "use the shared capability")
	w = mlx5(w, 4, "enable the capability")
	out = append(out, branch{sample: "waiting", ref: "for-next-waiting", base: u.netNext, tip: w, driver: "mlx5", want: "accepted waiting"})

	o := h.commit([]int{rc1}, hnsDev, "RDMA/hns: fix a typo", files{"drivers/infiniband/hw/hns/hns_roce_main.c": "hns 1\n"})
	o = h.commit([]int{o}, hnsDev, "RDMA/core: export a helper for hns", files{"drivers/infiniband/core/cm.c": "cm hns\n"})
	out = append(out, branch{sample: "out-of-scope", ref: "for-next-out-of-scope", base: rc1, tip: o, driver: "hns", want: "rejected out-of-scope"})

	a := h.commit([]int{rc1}, efaDev, "RDMA/efa: add a query", files{"drivers/infiniband/hw/efa/efa_main.c": "efa 1\n"})
	a = h.commit([]int{a}, efaDev, "RDMA/efa: expose the query to userspace", files{"include/uapi/rdma/ib_user_verbs.h": "uverbs efa\n"})
	out = append(out, branch{sample: "uapi", ref: "for-next-uapi", base: rc1, tip: a, driver: "efa", want: "rejected uapi-change"})

	old := mlx5(rc1, 5, "add a debug knob")
	re := mlx5(rc2, 5, "add a debug knob (rebased)")
	out = append(out, branch{sample: "rebased", ref: "for-next-rebased", base: rc1, tip: old, at: re, driver: "mlx5", want: "rejected tip-mismatch"})

	m := mlx5(rc1, 6, "prepare for net-next")
	m = h.merge(m, u.netNext, rc1, mlx5Dev, "Merge branch 'main' of net-next into for-next", nil)
	m = mlx5(m, 7, "use net-next")
	out = append(out, branch{sample: "merge-net-next", ref: "for-next-merge", base: rc1, tip: m, driver: "mlx5", want: "accepted waiting"})

	e := mlx5(rc1, 8, "prepare")
	e = h.merge(e, u.netNext, rc1, mlx5Dev, "Merge branch 'main' of net-next", files{"drivers/infiniband/core/cm.c": "cm evil\n"})
	out = append(out, branch{sample: "evil-merge", ref: "for-next-evil", base: rc1, tip: e, driver: "mlx5", want: "rejected out-of-scope"})

	two := h.commit([]int{rc1}, hnsDev, "RDMA/hns: support a new device", files{"drivers/infiniband/hw/hns/hns_roce_main.c": "hns 2\n"})
	two = h.commit([]int{two}, mlx5Dev, "RDMA/mlx5: share a helper with hns", files{"drivers/infiniband/hw/mlx5/qp.c": "mlx5 qp hns\n"})
	out = append(out, branch{sample: "two-drivers", ref: "for-next-two-drivers", base: rc1, tip: two, driver: "hns", want: "rejected out-of-scope"})

	out = append(out, branch{sample: "empty", ref: "for-next-empty", base: rc1, tip: rc1, want: "rejected empty"})
	return out
}

type branch struct {
	sample, ref, tag, driver, want string
	base, tip, at                  int // at: where the ref points when not at tip
}

var fixtureEpoch = Epoch

// Epoch is when the fixture's history starts (v6.9-rc1 is tagged then):
// the demo's world is dated from it.
var Epoch = time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
