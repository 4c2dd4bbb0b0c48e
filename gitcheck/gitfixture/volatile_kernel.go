package gitfixture

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// VolatileKernelOptions shape the kernel-sized volatile fixture.
type VolatileKernelOptions struct {
	Commits int // upstream commits; 0 means 1,000,000
	Pending int // pending pull requests; 0 means 20
}

// The pull requests of the kernel-sized volatile fixture that conflict
// (numbered from 1): two pairs rewrite the same file, and one rewrites
// a file for-next changed.
var (
	kernelPairConflicts = [][2]int{{3, 7}, {11, 16}}
	kernelBaseConflict  = 13
)

// BuildVolatileKernel writes (or, when dir already holds it, loads) a
// volatile fixture on a large linear upstream (BuildLinear, under
// refs/trees/linus/): the rdma tree's for-next is the upstream plus five
// commits, and opts.Pending pull requests of 10 to 50 commits each,
// based on the upstream tip, are fetched under refs/prtrack/<ID>/. Each
// pull request changes its own driver's files; #3 and #7, and #11 and
// #16, also rewrite a shared file, and #13 a file for-next changed. The
// upstream's commit-graph is written, as on a kernel clone.
func BuildVolatileKernel(ctx context.Context, dir string, opts VolatileKernelOptions) (*Volatile, error) {
	if opts.Commits <= 0 {
		opts.Commits = 1_000_000
	}
	if opts.Pending <= 0 {
		opts.Pending = 20
	}
	if _, err := os.Stat(filepath.Join(dir, "volatile-fixture-done")); err == nil {
		return LoadVolatile(ctx, dir)
	}
	os.RemoveAll(dir)
	l, err := BuildLinear(ctx, dir, LinearOptions{Commits: opts.Commits, RefPrefix: "refs/trees/linus/"})
	if err != nil {
		return nil, err
	}
	out, err := runGit(ctx, dir, nil, "rev-parse", l.Upstream)
	if err != nil {
		return nil, err
	}
	up := strings.TrimSpace(out)
	err = streamTo(ctx, dir, func(w *bufio.Writer) { kernelPending(w, up, opts.Pending) })
	if err != nil {
		return nil, err
	}
	if _, err := runGit(ctx, dir, nil, "commit-graph", "write", "--reachable"); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "volatile-fixture-done"), nil, 0o644); err != nil {
		return nil, fmt.Errorf("gitfixture: %w", err)
	}
	return LoadVolatile(ctx, dir)
}

// kernelPending writes for-next and the pull requests on top of up.
func kernelPending(w *bufio.Writer, up string, n int) {
	when := fixtureEpoch.Add(24 * time.Hour).Unix()
	base := "refs/trees/rdma/heads/for-next"
	fmt.Fprintf(w, "reset %s\nfrom %s\n\n", base, up)
	for i := range 5 {
		linearCommit(w, &when, base, fmt.Sprintf("RDMA/core: for-next change %d", i),
			fmt.Sprintf("drivers/infiniband/core/f%d.c", i), fmt.Sprint("for-next ", i))
	}
	for id := 1; id <= n; id++ {
		ref := fmt.Sprintf("refs/prtrack/%d/heads/for-next", id)
		fmt.Fprintf(w, "reset %s\nfrom %s\n\n", ref, up)
		commits := 10 + (id*17)%41
		for j := range commits {
			linearCommit(w, &when, ref, fmt.Sprintf("RDMA/drv%d: change %d", id, j),
				fmt.Sprintf("drivers/infiniband/hw/drv%d/f%d.c", id, j%5), fmt.Sprint(id, ".", j))
		}
		for k, pair := range kernelPairConflicts {
			if id == pair[0] || id == pair[1] {
				linearCommit(w, &when, ref, fmt.Sprintf("RDMA/drv%d: rework the shared header", id),
					fmt.Sprintf("include/rdma/shared%d.h", k), fmt.Sprint("rework by ", id))
			}
		}
		if id == kernelBaseConflict {
			linearCommit(w, &when, ref, fmt.Sprintf("RDMA/drv%d: touch the core", id),
				"drivers/infiniband/core/f2.c", fmt.Sprint("changed by ", id))
		}
	}
}

// LoadVolatile reads a volatile fixture's layout back from its
// repository: the base under refs/trees/rdma/heads/for-next and one
// pull request per refs/prtrack/<ID>/heads/ ref, by ID.
func LoadVolatile(ctx context.Context, dir string) (*Volatile, error) {
	out, err := runGit(ctx, dir, nil, "for-each-ref", "--format=%(refname) %(objectname) %(contents:subject)",
		"refs/prtrack/", "refs/trees/rdma/heads/for-next")
	if err != nil {
		return nil, err
	}
	v := &Volatile{Dir: dir, BaseRef: "refs/trees/rdma/heads/for-next"}
	byID := map[uint64]Pending{}
	var last uint64
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.SplitN(line, " ", 3)
		if len(f) < 3 {
			continue
		}
		if f[0] == v.BaseRef {
			v.Base = f[1]
			continue
		}
		parts := strings.Split(f[0], "/")
		id, err := strconv.ParseUint(parts[2], 10, 64)
		if err != nil {
			continue
		}
		byID[id] = Pending{ID: id, Name: fmt.Sprintf("pr%d", id), Ref: f[0], Tip: f[1], Subject: f[2]}
		last = max(last, id)
	}
	for id := uint64(1); id <= last; id++ {
		if p, ok := byID[id]; ok {
			v.Pending = append(v.Pending, p)
		}
	}
	if v.Base == "" || len(v.Pending) == 0 {
		return nil, fmt.Errorf("gitfixture: %s: not a volatile fixture", dir)
	}
	return v, nil
}
