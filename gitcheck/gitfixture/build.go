package gitfixture

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
)

// Build writes the fixture repositories under root (which should be an
// empty directory): linux.git (master, tags v6.9-rc1..rc3), net.git,
// net-next.git, rdma.git (for-next, for-rc), mlx5-next.git and driver.git
// holding one branch per sample, its HEAD on the clean sample.
func Build(ctx context.Context, root string) (*Kernel, error) {
	k := &Kernel{Root: root, Commits: map[string]string{}, world: filepath.Join(root, "world.git")}
	h := newHistory(fixtureEpoch)
	u := buildUpstream(h)
	branches := driverBranches(h, u)
	for i, b := range branches {
		if b.tag != "" {
			branches[i].at = h.tag(b.tag, b.tip, "mlx5 updates for the next merge window")
		}
	}
	if err := initBare(ctx, k.world); err != nil {
		return nil, err
	}
	marks, err := fastImport(ctx, k.world, bytes.NewReader(h.buf.Bytes()))
	if err != nil {
		return nil, err
	}
	k.name(u, marks)
	repos := k.repos(u, branches, marks)
	for _, r := range repos {
		if err := k.makeRepo(ctx, r); err != nil {
			return nil, err
		}
	}
	for _, b := range branches {
		k.Samples = append(k.Samples, Sample{Name: b.sample, Repo: "driver.git", Ref: b.ref,
			Base: marks[b.base], Tip: marks[b.tip], Driver: b.driver, Want: b.want})
	}
	return k, nil
}

// repoSpec is one served repository: full ref names to marks, and the
// branch HEAD names.
type repoSpec struct {
	name string
	refs map[string]int
	head string
}

func (k *Kernel) repos(u upstream, branches []branch, marks map[int]string) []repoSpec {
	linux := repoSpec{name: "linux.git", head: "master", refs: map[string]int{"refs/heads/master": u.rc[2]}}
	for i, t := range u.tags {
		linux.refs[fmt.Sprintf("refs/tags/v6.9-rc%d", i+1)] = t
	}
	driver := repoSpec{name: "driver.git", head: "for-next-clean", refs: map[string]int{}}
	for _, b := range branches {
		name, at := "refs/heads/"+b.ref, b.tip
		if b.tag != "" {
			name = "refs/tags/" + b.tag
		}
		if b.at != 0 {
			at = b.at
		}
		driver.refs[name] = at
	}
	k.Trees = []Tree{
		{Name: "linus", Repo: "linux.git", Refs: []string{"master", "refs/tags/v*"}},
		{Name: "net", Repo: "net.git", Refs: []string{"main"}},
		{Name: "net-next", Repo: "net-next.git", Refs: []string{"main"}},
		{Name: "rdma", Repo: "rdma.git", Refs: []string{"for-next", "for-rc"}},
		{Name: "mlx5-next", Repo: "mlx5-next.git", Refs: []string{"mlx5-next"}},
	}
	return []repoSpec{
		linux,
		{name: "net.git", head: "main", refs: map[string]int{"refs/heads/main": u.rc[1]}},
		{name: "net-next.git", head: "main", refs: map[string]int{"refs/heads/main": u.netNext}},
		{name: "rdma.git", head: "for-next", refs: map[string]int{"refs/heads/for-next": u.forNext, "refs/heads/for-rc": u.forRc}},
		{name: "mlx5-next.git", head: "mlx5-next", refs: map[string]int{"refs/heads/mlx5-next": u.mlx5Next}},
		driver,
	}
}

func (k *Kernel) makeRepo(ctx context.Context, r repoSpec) error {
	dir := filepath.Join(k.Root, r.name)
	if err := initBare(ctx, dir); err != nil {
		return err
	}
	if err := shareObjects(dir, k.world); err != nil {
		return err
	}
	refs := map[string]string{}
	for name, m := range r.refs {
		refs[name] = k.marks[m]
	}
	if err := setRefs(ctx, dir, refs); err != nil {
		return err
	}
	_, err := runGit(ctx, dir, nil, "symbolic-ref", "HEAD", "refs/heads/"+r.head)
	return err
}

func (k *Kernel) name(u upstream, marks map[int]string) {
	k.marks = marks
	for i, m := range u.rc {
		k.Commits[fmt.Sprintf("v6.9-rc%d", i+1)] = marks[m]
	}
	k.Commits["net-next"] = marks[u.netNext]
	k.Commits["linus-with-net-next"] = marks[u.linusNN]
	k.Commits["rdma-for-next"] = marks[u.forNext]
	k.Commits["rdma-for-rc"] = marks[u.forRc]
	k.Commits["mlx5-next"] = marks[u.mlx5Next]
}

// LandNetNext moves Linus's master to the merge of net-next, as when the
// merge window opens: pull requests waiting on net-next become clean.
func (k *Kernel) LandNetNext(ctx context.Context) error {
	return setRefs(ctx, filepath.Join(k.Root, "linux.git"),
		map[string]string{"refs/heads/master": k.Commits["linus-with-net-next"]})
}

// SetRef points a ref of a served repository at a commit.
func (k *Kernel) SetRef(ctx context.Context, repo, ref, commit string) error {
	return setRefs(ctx, filepath.Join(k.Root, repo), map[string]string{ref: commit})
}
