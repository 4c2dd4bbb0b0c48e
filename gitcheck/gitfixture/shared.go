package gitfixture

import (
	"context"
	"time"
)

// SharedRepo is where BuildShared serves the mlx5-next shared branch,
// as on git.kernel.org.
const SharedRepo = "mellanox/linux.git"

// BuildShared writes a shared-branch world under root: Linus's tree
// (v6.9-rc1..rc3), net-next and rdma, which have both pulled the first
// mlx5-next pull request (two commits on v6.9-rc1), and SharedRepo
// holding mlx5-next (the accepted tree "mlx5-next") and one tag per
// later pull request: samples shared-append (only adds a commit),
// shared-rebased (the pulled commits rebased onto v6.9-rc2),
// shared-outside (touches drivers/infiniband/core/) and shared-for-next
// (based on rdma's for-next, not a tag). Commits names "pulled-1" and
// "pulled-2" (the pulled commits) and "rebased-1", "rebased-2".
func BuildShared(ctx context.Context, root string) (*Kernel, error) {
	h := newHistory(fixtureEpoch)
	u := buildUpstream(h)
	w := sharedHistory(h, u)
	k, err := buildWorld(ctx, root, h, w.repos(u))
	if err != nil {
		return nil, err
	}
	k.Trees = []Tree{
		{Name: "linus", Repo: "linux.git", Refs: []string{"master", "refs/tags/v*"}},
		{Name: "net-next", Repo: "net-next.git", Refs: []string{"main"}},
		{Name: "rdma", Repo: "rdma.git", Refs: []string{"for-next", "for-rc"}},
		{Name: "mlx5-next", Repo: SharedRepo, Refs: []string{"mlx5-next"}},
	}
	k.addSamples(w.samples)
	for name, m := range map[string]int{"pulled-1": w.pulled[0], "pulled-2": w.pulled[1],
		"rebased-1": w.rebased[0], "rebased-2": w.rebased[1], "v6.9-rc1": u.rc[0], "rdma-for-next": u.forNext} {
		k.Commits[name] = k.marks[m]
	}
	return k, nil
}

type sharedWorld struct {
	pulled, rebased   []int
	netNext, rdmaNext int // the trees after pulling
	branch            int // mlx5-next's tip
	tags              map[string]int
	samples           []sampleSpec
}

func sharedHistory(h *history, u upstream) *sharedWorld {
	w := &sharedWorld{tags: map[string]int{}}
	s1 := h.commit([]int{u.rc[0]}, mlx5Dev, "net/mlx5: add the port query bits", files{"include/linux/mlx5/mlx5_ifc.h": "ifc port query\n"})
	t1 := h.when
	s2 := h.commit([]int{s1}, mlx5Dev, "net/mlx5: query the port", files{"drivers/net/ethernet/mellanox/mlx5/core/port.c": "port query\n"})
	t2 := h.when
	w.pulled = []int{s1, s2}
	w.netNext = h.merge(u.netNext, s2, u.rc[0], netdev, "Merge branch 'mlx5-next' of git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux", nil)
	w.rdmaNext = h.merge(u.forNext, s2, u.rc[0], rdmaMaint, "Merge branch 'mlx5-next' into rdma for-next", nil)

	w.branch = h.commit([]int{s2}, mlx5Dev, "RDMA/mlx5: use the port query", files{"drivers/infiniband/hw/mlx5/main.c": "mlx5 ib port\n"})
	w.add(h, "shared-append", "mlx5-next", u.rc[0], w.branch, "mlx5", "accepted waiting")

	r1 := h.commitDated(t1, []int{u.rc[1]}, mlx5Dev, "net/mlx5: add the port query bits", files{"include/linux/mlx5/mlx5_ifc.h": "ifc port query\n"})
	r2 := h.commitDated(t2, []int{r1}, mlx5Dev, "net/mlx5: query the port", files{"drivers/net/ethernet/mellanox/mlx5/core/port.c": "port query v2\n"})
	w.rebased = []int{r1, r2}
	r3 := h.commit([]int{r2}, mlx5Dev, "net/mlx5: add a port counter", files{"drivers/net/ethernet/mellanox/mlx5/core/port.c": "port query v2\ncounter\n"})
	w.add(h, "shared-rebased", "tags/mlx5-next-rebased", u.rc[1], r3, "", "rejected rebased-shared")

	o := h.commit([]int{s2}, mlx5Dev, "RDMA/core: add a port helper for mlx5", files{"drivers/infiniband/core/verbs.c": "verbs port\n"})
	w.add(h, "shared-outside", "tags/mlx5-next-outside", u.rc[0], o, "", "rejected out-of-scope")

	f := h.commit([]int{u.forNext}, mlx5Dev, "net/mlx5: add a capability for RDMA", files{"include/linux/mlx5/device.h": "cap\n"})
	w.add(h, "shared-for-next", "tags/mlx5-next-for-next", u.forNext, f, "", "rejected base-not-tag")
	return w
}

// add records a sample; a tags/ ref gets an annotated tag on tip.
func (w *sharedWorld) add(h *history, name, ref string, base, tip int, driver, want string) {
	if tag, ok := cutTag(ref); ok {
		h.when = h.when.Add(time.Minute)
		w.tags[tag] = h.tag(tag, tip, "mlx5-next "+name)
	}
	w.samples = append(w.samples, sampleSpec{name: name, repo: SharedRepo, ref: ref, base: base, tip: tip, driver: driver, want: want})
}

func cutTag(ref string) (string, bool) {
	if len(ref) > 5 && ref[:5] == "tags/" {
		return ref[5:], true
	}
	return "", false
}

func (w *sharedWorld) repos(u upstream) []repoSpec {
	linux := repoSpec{name: "linux.git", head: "master", refs: map[string]int{"refs/heads/master": u.rc[2]}}
	for i, t := range u.tags {
		linux.refs["refs/tags/v6.9-rc"+string(rune('1'+i))] = t
	}
	shared := repoSpec{name: SharedRepo, head: "mlx5-next", refs: map[string]int{"refs/heads/mlx5-next": w.branch}}
	for tag, m := range w.tags {
		shared.refs["refs/tags/"+tag] = m
	}
	return []repoSpec{
		linux,
		{name: "net-next.git", head: "main", refs: map[string]int{"refs/heads/main": w.netNext}},
		{name: "rdma.git", head: "for-next", refs: map[string]int{"refs/heads/for-next": w.rdmaNext, "refs/heads/for-rc": u.forRc}},
		shared,
	}
}
