package main

import (
	"strings"
	"testing"
)

const fixtureMaintainers = "../../gitcheck/maintainers/testdata/MAINTAINERS"

func TestMaintainersFile(t *testing.T) {
	r := run(t, "", "maintainers", "--file", fixtureMaintainers, "--sender", "saeedm@nvidia.com",
		"drivers/infiniband/hw/mlx5/main.c", "include/linux/mlx5/driver.h")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	want := `drivers/infiniband/hw/mlx5/main.c
  saeedm@nvidia.com does not maintain it
  MELLANOX MLX5 IB DRIVER [Supported]
    M: Leon Romanovsky <leonro@nvidia.com>
    L: linux-rdma@vger.kernel.org
  INFINIBAND SUBSYSTEM [Supported]
    M: Jason Gunthorpe <jgg@nvidia.com>
    M: Leon Romanovsky <leonro@nvidia.com>
    L: linux-rdma@vger.kernel.org
    T: git git://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git
  THE REST [Buried alive in reporters]
    M: Linus Torvalds <torvalds@linux-foundation.org>
    L: linux-kernel@vger.kernel.org
    T: git git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git
include/linux/mlx5/driver.h
  saeedm@nvidia.com maintains it
  MELLANOX MLX5 core VPI driver [Maintained]
`
	if !strings.HasPrefix(r.out, want) {
		t.Errorf("output:\n%s\nwant it to start with:\n%s", r.out, want)
	}
}

func TestMaintainersKeywordNote(t *testing.T) {
	r := run(t, "", "maintainers", "--file", fixtureMaintainers, "drivers/net/hyperv/netvsc.c")
	if r.code != 0 || !strings.Contains(r.out, "  Hyper-V/Azure CORE AND DRIVERS [Supported]\n") ||
		!strings.Contains(r.out, "    (1 K: pattern not matched: K: matches patch content, not paths)\n") {
		t.Errorf("exit %d, output:\n%s", r.code, r.out)
	}
}

func TestMaintainersUsage(t *testing.T) {
	if r := run(t, "", "maintainers", "--file", fixtureMaintainers); r.code != 2 || !strings.Contains(r.err, "at least one path") {
		t.Errorf("no path: exit %d, %s", r.code, r.err)
	}
	if r := run(t, "", "maintainers", "--file", "/nonexistent/MAINTAINERS", "x"); r.code != 1 {
		t.Errorf("missing file: exit %d", r.code)
	}
	db := t.TempDir() + "/db"
	if r := run(t, "", "maintainers", "--db", db, "x"); r.code != 1 || !strings.Contains(r.err, "no MAINTAINERS file at the mainline tip") ||
		!strings.Contains(r.err, "prtrack trees update") {
		t.Errorf("no trees: exit %d, %s", r.code, r.err)
	}
}
