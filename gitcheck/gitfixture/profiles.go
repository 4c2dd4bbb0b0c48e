package gitfixture

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// AddProfileSamples extends a Build world with pull requests for the
// other rule profiles: net-next pulls a new mlx5-next commit on
// v6.9-rc1, which is then rebased onto v6.9-rc2 under the tag
// mlx5-next-rebased (sample shared-rebased); and rdma-core (the
// accepted tree "rdma-core", RdmaCoreRepo) with a fork whose branch
// changes one provider (sample rdma-core-provider). The other samples'
// verdicts and rdma for-next do not change.
func (k *Kernel) AddProfileSamples(ctx context.Context) error {
	next, err := k.commitOn(ctx, k.Commits["v6.9-rc1"], mlx5Dev, "net/mlx5: add the port query bits",
		"include/linux/mlx5/mlx5_ifc.h", "ifc port query\n")
	if err != nil {
		return err
	}
	if _, err := k.Merge(ctx, "net-next.git", "refs/heads/main", next,
		"Merge branch 'mlx5-next' of git://git.kernel.org/pub/scm/linux/kernel/git/mellanox/linux"); err != nil {
		return err
	}
	rebased, err := k.rebase(ctx, next, k.Commits["v6.9-rc2"])
	if err != nil {
		return err
	}
	if err := setRefs(ctx, filepath.Join(k.Root, "mlx5-next.git"), map[string]string{"refs/tags/mlx5-next-rebased": rebased}); err != nil {
		return err
	}
	k.Samples = append(k.Samples, Sample{Name: "shared-rebased", Repo: "mlx5-next.git", Ref: "tags/mlx5-next-rebased",
		Base: k.Commits["v6.9-rc2"], Tip: rebased, Want: "rejected rebased-shared"})
	return k.addRdmaCore(ctx)
}

// rebase copies commit onto onto, a descendant of the commit's parent,
// keeping its author, author date and message, as git rebase does, and
// returns the copy.
func (k *Kernel) rebase(ctx context.Context, commit, onto string) (string, error) {
	raw, err := runGit(ctx, k.world, nil, "cat-file", "commit", commit)
	if err != nil {
		return "", err
	}
	header, msg, _ := strings.Cut(raw, "\n\n")
	var author string
	for _, l := range strings.Split(header, "\n") {
		if a, ok := strings.CutPrefix(l, "author "); ok {
			author = a
		}
	}
	// onto holds the commit's parent, so the merge's base is that
	// parent and the merged tree is the commit's change onto onto.
	tree, err := runGit(ctx, k.world, nil, "merge-tree", "--write-tree", onto, commit)
	if err != nil {
		return "", err
	}
	k.merges++
	when := fixtureEpoch.Add(30 * 24 * time.Hour).Add(time.Duration(k.merges) * 24 * time.Hour).Unix()
	obj := fmt.Sprintf("tree %s\nparent %s\nauthor %s\ncommitter %s %d +0000\n\n%s",
		strings.TrimSpace(tree), onto, author, mlx5Dev, when, msg)
	out, err := runGit(ctx, k.world, strings.NewReader(obj), "hash-object", "-t", "commit", "-w", "--stdin")
	return strings.TrimSpace(out), err
}

// addRdmaCore serves rdma-core and a fork with one provider branch.
func (k *Kernel) addRdmaCore(ctx context.Context) error {
	h := newHistory(fixtureEpoch)
	r := h.commit(nil, rdmaCoreDev, "Initial import", rdmaCoreFiles)
	master := h.commit([]int{r}, rdmaCoreDev, "Update library version to 51.0", files{"CMakeLists.txt": "project(rdma-core 51)\n"})
	tip := h.commit([]int{master}, rdmaCoreDev, "mlx5: support a new QP type", files{"providers/mlx5/qp.c": "mlx5 qp 1\n"})
	marks, err := k.importMore(ctx, h.buf.Bytes())
	if err != nil {
		return err
	}
	repos := map[string]map[string]string{
		RdmaCoreRepo: {"refs/heads/master": marks[master]},
		RdmaForkRepo: {"refs/heads/master": marks[master], "refs/heads/mlx5-qp": marks[tip]},
	}
	for name, refs := range repos {
		if err := k.serveRepo(ctx, name, refs); err != nil {
			return err
		}
	}
	k.Trees = append(k.Trees, Tree{Name: "rdma-core", Repo: RdmaCoreRepo, Refs: []string{"master", "refs/heads/stable-v*"}})
	k.Samples = append(k.Samples, Sample{Name: "rdma-core-provider", Repo: RdmaForkRepo, Ref: "mlx5-qp",
		Base: marks[master], Tip: marks[tip], Driver: "mlx5", Want: "accepted clean"})
	return nil
}

// serveRepo writes a served repository borrowing the world's objects,
// its HEAD on master.
func (k *Kernel) serveRepo(ctx context.Context, name string, refs map[string]string) error {
	dir := filepath.Join(k.Root, name)
	if err := initBare(ctx, dir); err != nil {
		return err
	}
	if err := shareObjects(dir, k.world); err != nil {
		return err
	}
	return setRefs(ctx, dir, refs)
}

// commitOn records a commit on parent (40-hex) that sets one file, and
// returns it.
func (k *Kernel) commitOn(ctx context.Context, parent, author, msg, path, content string) (string, error) {
	when := fixtureEpoch.Add(2 * time.Hour).Unix()
	stream := fmt.Sprintf("commit refs/fixture/work\nmark :1\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\nfrom %s\nM 100644 inline %s\ndata %d\n%s\n\n",
		author, when, author, when, len(msg)+1, msg, parent, path, len(content), content)
	marks, err := k.importMore(ctx, []byte(stream))
	return marks[1], err
}

// importMore feeds another fast-import stream to the world, its work
// ref started afresh.
func (k *Kernel) importMore(ctx context.Context, stream []byte) (map[int]string, error) {
	if _, err := runGit(ctx, k.world, nil, "update-ref", "-d", "refs/fixture/work"); err != nil {
		return nil, err
	}
	return fastImport(ctx, k.world, bytes.NewReader(stream))
}
