package gitfixture

import (
	"bytes"
	"context"
	"fmt"
	"strings"
)

// Pending is one pending pull request of the volatile fixture, fetched
// as gitcheck fetches them: under refs/prtrack/<ID>/.
type Pending struct {
	ID      uint64
	Name    string // mlx5-a, mlx5-b, core, efa
	Ref     string // full local ref
	Tip     string // 40-hex
	Subject string // subject of the tip commit
}

// Volatile is a bare repository laid out as prtrack's own: the rdma
// tree's for-next under refs/trees/rdma/heads/for-next and four pending
// pull requests, all based on the same upstream commit. mlx5-a and
// mlx5-b rewrite the same lines of drivers/infiniband/hw/mlx5/main.c;
// core rewrites the line of drivers/infiniband/core/device.c that
// for-next changed; efa touches only its driver.
type Volatile struct {
	Dir      string
	BaseRef  string // refs/trees/rdma/heads/for-next
	Base     string // its commit
	Upstream string // the commit every pull request is based on
	Pending  []Pending
}

// volatileFiles is the upstream tree of the volatile fixture: files of
// several lines, so that changes to different lines merge cleanly.
var volatileFiles = files{
	"Makefile":                             "VERSION = 6\nPATCHLEVEL = 9\n",
	"drivers/infiniband/core/device.c":     "device 1\ndevice 2\ndevice 3\ndevice 4\ndevice 5\n",
	"drivers/infiniband/core/verbs.c":      "verbs 1\nverbs 2\n",
	"drivers/infiniband/hw/mlx5/main.c":    "mlx5 1\nmlx5 2\nmlx5 3\nmlx5 4\nmlx5 5\nmlx5 6\nmlx5 7\n",
	"drivers/infiniband/hw/efa/efa_main.c": "efa 1\nefa 2\n",
}

// replaceLine returns content with line n (from 1) replaced.
func replaceLine(content string, n int, line string) string {
	lines := strings.Split(content, "\n")
	lines[n-1] = line
	return strings.Join(lines, "\n")
}

// BuildVolatile writes the volatile fixture into dir, a new bare
// repository.
func BuildVolatile(ctx context.Context, dir string) (*Volatile, error) {
	return BuildVolatileN(ctx, dir, 0)
}

// BuildVolatileN is BuildVolatile with extra clean pull requests after
// the four, each adding its own mlx5 file in three commits: for
// measuring rebuilds of many pull requests.
func BuildVolatileN(ctx context.Context, dir string, extra int) (*Volatile, error) {
	h := newHistory(fixtureEpoch)
	up := h.commit(nil, maintainer, "Linux 6.9-rc1", volatileFiles)
	dev, mlx5 := "drivers/infiniband/core/device.c", "drivers/infiniband/hw/mlx5/main.c"
	forNext := h.commit([]int{up}, rdmaMaint, "RDMA/core: rework device registration",
		files{dev: replaceLine(volatileFiles[dev], 2, "device 2 reworked")})
	type spec struct {
		name, author, subject, path string
		line                        int
		text                        string
	}
	specs := []spec{
		{"mlx5-a", mlx5Dev, "RDMA/mlx5: add counters", mlx5, 4, "mlx5 4 counters"},
		{"mlx5-b", mlx5Dev, "RDMA/mlx5: rework the probe", mlx5, 4, "mlx5 4 probe"},
		{"core", hnsDev, "RDMA/core: let hns register early", dev, 2, "device 2 hns"},
		{"efa", efaDev, "RDMA/efa: add a query", "drivers/infiniband/hw/efa/efa_main.c", 2, "efa 2 query"},
	}
	tips := make([]int, len(specs))
	for i, s := range specs {
		prep := h.commit([]int{up}, s.author, strings.SplitN(s.subject, ":", 2)[0]+": prepare", nil)
		tips[i] = h.commit([]int{prep}, s.author, s.subject, files{s.path: replaceLine(volatileFiles[s.path], s.line, s.text)})
	}
	for i := range extra {
		path := fmt.Sprintf("drivers/infiniband/hw/mlx5/extra%d.c", i)
		c := up
		for j := range 3 {
			c = h.commit([]int{c}, mlx5Dev, fmt.Sprintf("RDMA/mlx5: extra %d, step %d", i, j), files{path: fmt.Sprintf("extra %d.%d\n", i, j)})
		}
		specs = append(specs, spec{name: fmt.Sprintf("extra%d", i), subject: fmt.Sprintf("RDMA/mlx5: extra %d, step 2", i)})
		tips = append(tips, c)
	}
	if err := initBare(ctx, dir); err != nil {
		return nil, err
	}
	marks, err := fastImport(ctx, dir, bytes.NewReader(h.buf.Bytes()))
	if err != nil {
		return nil, err
	}
	v := &Volatile{Dir: dir, BaseRef: "refs/trees/rdma/heads/for-next", Base: marks[forNext], Upstream: marks[up]}
	refs := map[string]string{v.BaseRef: v.Base}
	for i, s := range specs {
		p := Pending{ID: uint64(i + 1), Name: s.name, Ref: fmt.Sprintf("refs/prtrack/%d/heads/for-next-%s", i+1, s.name),
			Tip: marks[tips[i]], Subject: s.subject}
		refs[p.Ref] = p.Tip
		v.Pending = append(v.Pending, p)
	}
	if err := setRefs(ctx, dir, refs); err != nil {
		return nil, err
	}
	_, err = runGit(ctx, dir, nil, "update-ref", "-d", "refs/fixture/work")
	return v, err
}

// Git runs git in the fixture repository and returns its output, for
// tests that check results against the git CLI.
func (v *Volatile) Git(ctx context.Context, args ...string) (string, error) {
	return runGit(ctx, v.Dir, nil, args...)
}
