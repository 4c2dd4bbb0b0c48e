package gitcheck

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// addMaintainers commits a MAINTAINERS file with content on top of the
// fixture's mainline master and updates the trees.
func (e *env) addMaintainers(t *testing.T, content []byte) {
	t.Helper()
	dir := filepath.Join(e.k.Root, "linux.git")
	blob := gitOut(t, dir, content, "hash-object", "-w", "--stdin")
	list := gitOut(t, dir, nil, "ls-tree", "refs/heads/master")
	list = strings.Join(slices.DeleteFunc(strings.Split(list, "\n"), func(l string) bool {
		return strings.HasSuffix(l, "\tMAINTAINERS")
	}), "\n")
	tree := gitOut(t, dir, []byte(list+"\n100644 blob "+blob+"\tMAINTAINERS\n"), "mktree")
	commit := gitOut(t, dir, nil, "commit-tree", tree, "-p", "refs/heads/master", "-m", "MAINTAINERS: update")
	gitOut(t, dir, nil, "update-ref", "refs/heads/master", commit)
	e.updateTrees(t)
}

func gitOut(t *testing.T, dir string, stdin []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
	if stdin != nil {
		cmd.Stdin = strings.NewReader(string(stdin))
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func fixtureMaintainers(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("maintainers/testdata/MAINTAINERS")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMaintainersFromMainline(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if _, err := e.c.Maintainers(ctx); !errors.Is(err, ErrNoMaintainers) {
		t.Fatalf("no MAINTAINERS yet: err %v", err)
	}
	e.addMaintainers(t, fixtureMaintainers(t))
	f, err := e.c.Maintainers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Sections("drivers/infiniband/hw/mlx5/qp.c"); len(got) != 3 || got[0].Name != "MELLANOX MLX5 IB DRIVER" {
		t.Errorf("sections %+v", got)
	}
	again, err := e.c.Maintainers(ctx)
	if err != nil || again != f {
		t.Errorf("same blob read again (%v)", err)
	}
	e.addMaintainers(t, []byte("ONLY\nM:\tA <a@example.org>\nF:\tdrivers/\n"))
	moved, err := e.c.Maintainers(ctx)
	if err != nil || moved == f || len(moved.Entries) != 1 {
		t.Errorf("new blob not read: %v", err)
	}
	// The mainline tree holds drivers/infiniband/hw/mlx5/: named
	// without its "/", it is still the directory.
	e.addMaintainers(t, []byte("MLX5\nM:\tA <a@example.org>\nF:\tdrivers/infiniband/hw/mlx5\n"))
	dirs, err := e.c.Maintainers(ctx)
	if err != nil || len(dirs.Sections("drivers/infiniband/hw/mlx5/qp.c")) != 1 {
		t.Errorf("directory without its slash not marked: %v", err)
	}
}

func TestSenderNotMaintainer(t *testing.T) {
	e := newEnv(t, nil)
	e.addMaintainers(t, fixtureMaintainers(t))
	pr := e.request(t, "clean")

	pr.Sender = "leonro@nvidia.com"
	if v := e.check(t, pr); v.Status != Accepted || len(v.Findings) != 0 {
		t.Errorf("the mlx5 IB maintainer: %+v", v.Findings)
	}

	pr.Sender = "saeedm@nvidia.com"
	v := e.check(t, pr)
	if v.Status != Accepted || !slices.Equal(codes(v), []Code{CodeSenderNotMaintainer}) {
		t.Fatalf("status %s, findings %+v", v.Status, v.Findings)
	}
	f := v.Findings[0]
	if f.Severity != Warning || len(f.Sections) != 2 || f.Sections[0].Name != "MELLANOX MLX5 IB DRIVER" ||
		f.Sections[1].Name != "INFINIBAND SUBSYSTEM" || f.Sections[0].Maintainers[0] != "Leon Romanovsky <leonro@nvidia.com>" {
		t.Errorf("finding %+v", f)
	}
	if !strings.Contains(f.Message, "saeedm@nvidia.com maintains no MAINTAINERS section covering drivers/infiniband/hw/mlx5/") ||
		!strings.Contains(f.Message, "INFINIBAND SUBSYSTEM (Jason Gunthorpe <jgg@nvidia.com>, Leon Romanovsky <leonro@nvidia.com>)") {
		t.Errorf("message %q", f.Message)
	}

	e.cfg.RequireMaintainer = true
	e.c = e.open(t)
	if v := e.check(t, pr); v.Status != Rejected || v.Findings[0].Severity != Error {
		t.Errorf("with requireMaintainer: %s %+v", v.Status, v.Findings)
	}

	pr.Sender = ""
	if v := e.check(t, pr); v.Status != Accepted {
		t.Errorf("no sender: %s %+v", v.Status, v.Findings)
	}
}
