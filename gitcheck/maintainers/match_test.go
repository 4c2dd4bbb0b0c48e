package maintainers

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const (
	ib      = "INFINIBAND SUBSYSTEM"
	rest    = "THE REST"
	mlx5ib  = "MELLANOX MLX5 IB DRIVER"
	mlx5    = "MELLANOX MLX5 core VPI driver"
	mlx5e   = "MELLANOX ETHERNET DRIVER (mlx5e)"
	netdrv  = "NETWORKING DRIVERS"
	netgen  = "NETWORKING [GENERAL]"
	xdp     = "XDP (eXpress Data Path)"
	mana    = "MICROSOFT MANA RDMA DRIVER"
	hyperv  = "Hyper-V/Azure CORE AND DRIVERS"
	innova  = "MELLANOX ETHERNET INNOVA DRIVERS"
	fixture = "testdata/MAINTAINERS"
)

// fixtureDirs are the fixture's F: names without a trailing "/" that
// are directories in the kernel tree.
var fixtureDirs = []string{"include/net/mana", "drivers/infiniband/sw/rdmavt"}

func readFixture(t testing.TB, markDirs bool) *File {
	t.Helper()
	fh, err := os.Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := Parse(fh)
	if err != nil {
		t.Fatal(err)
	}
	if markDirs {
		f.MarkDirs(func(name string) bool { return slices.Contains(fixtureDirs, name) })
	}
	return f
}

// TestSectionsFixture compares with what get_maintainer.pl --sections
// lists for each path, derived by hand from its file_match_pattern and
// the ranking by pattern depth (ties in file order).
func TestSectionsFixture(t *testing.T) {
	f := readFixture(t, true)
	tests := []struct {
		path string
		want []string
	}{
		{"drivers/infiniband/hw/mlx5/main.c", []string{mlx5ib, ib, rest}},
		{"drivers/infiniband/hw/hns/hns_roce_hw_v2.c", []string{"HISILICON ROCE DRIVER", ib, rest}},
		{"drivers/infiniband/hw/efa/efa_verbs.c", []string{"AMAZON RDMA EFA DRIVER", ib, rest}},
		{"include/uapi/rdma/mlx5-abi.h", []string{mlx5ib, ib, rest}},
		{"include/uapi/rdma/mlx5_user_ioctl_verbs.h", []string{mlx5ib, ib, rest}},
		{"include/linux/mlx5/driver.h", []string{mlx5, mlx5ib, rest}},
		{"include/linux/mlx5/mlx5_ifc_fpga.h", []string{innova, mlx5, mlx5ib, rest}},
		{"drivers/net/ethernet/mellanox/mlx5/core/en_main.c", []string{mlx5e, mlx5, netdrv, rest}},
		{"drivers/net/ethernet/mellanox/mlx5/core/en/xdp.c", []string{xdp, mlx5, netdrv, rest}},
		{"drivers/net/ethernet/mellanox/mlx5/core/en_accel/ktls.c", []string{innova, mlx5, netdrv, rest}},
		{"drivers/net/ethernet/mellanox/mlx4/en_netdev.c",
			[]string{"MELLANOX ETHERNET DRIVER (mlx4_en)", "MELLANOX MLX4 core VPI driver", netdrv, rest}},
		{"net/core/dev.c", []string{netgen, rest}},
		{"net/core/xdp.c", []string{xdp, netgen, rest}},
		{"net/wireless/core.c", []string{rest}},
		{"drivers/net/wireless/ath/ath10k/core.c", []string{rest}},
		{"drivers/net/wireless/realtek/rtw88/pci.c", []string{"NETWORKING DRIVERS (WIRELESS)", rest}},
		{"include/net/mana/gdma.h", []string{mana, hyperv, netgen, rest}},
		{"drivers/infiniband/hw/mana/qp.c", []string{mana, hyperv, ib, rest}},
		{"drivers/net/hyperv/netvsc.c", []string{netdrv, hyperv, rest}},
		{"drivers/infiniband/sw/rdmavt/qp.c", []string{"RDMAVT - RDMA verbs software", ib, rest}},
		{"MAINTAINERS", []string{rest}},
		{"include/uapi/linux/if_infiniband.h", []string{ib, netdrv, rest}},
		{"drivers/net/ethernet/intel/ice/ice_main.c", []string{"INTEL ETHERNET DRIVERS", netdrv, rest}},
		{"Documentation/networking/device_drivers/ethernet/mellanox/mlx5/kconfig.rst", []string{mlx5, netgen, rest}},
	}
	for _, tt := range tests {
		if got := names(f.Sections(tt.path)); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.path, got, tt.want)
		}
	}
}

// TestDirWithoutSlash: without MarkDirs, a directory named without its
// trailing "/" matches only a file of that name, as get_maintainer.pl
// run outside a work tree.
func TestDirWithoutSlash(t *testing.T) {
	f := readFixture(t, false)
	if got, want := names(f.Sections("include/net/mana/gdma.h")), []string{netgen, rest}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := names(f.Sections("include/net/mana")), []string{mana, hyperv, netgen, rest}; !slices.Equal(got, want) {
		t.Errorf("the name itself: got %q, want %q", got, want)
	}
}

func TestDepth(t *testing.T) {
	f := readFixture(t, true)
	m := f.Matches("drivers/net/hyperv/netvsc.c")
	var got []int
	for _, x := range m {
		got = append(got, x.Depth)
	}
	if want := []int{2, 0, -1}; !slices.Equal(got, want) {
		t.Errorf("depths %v, want %v", got, want)
	}
}

func TestCleanPath(t *testing.T) {
	f := readFixture(t, true)
	if got := names(f.Sections("./drivers/infiniband/hw/mlx5/main.c")); !slices.Equal(got, []string{mlx5ib, ib, rest}) {
		t.Errorf("got %q", got)
	}
}

func names(ss []*Section) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func TestStripExtended(t *testing.T) {
	for in, want := range map[string]string{
		`hyperv`:             `hyperv`,
		`[^a-z] tegra`:       `[^a-z]tegra`,
		`[ ]x \ y # comment`: `[ ]x y`,
		`\bmlx5\b`:           `\bmlx5\b`,
	} {
		if got := stripExtended(in); got != want {
			t.Errorf("stripExtended(%q) = %q, want %q", in, got, strings.TrimSpace(want))
		}
	}
}
